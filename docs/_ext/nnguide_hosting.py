"""Where each page lives: its hosted URL, its twin in every language, and the 404 page's links.

Sphinx extension. The site's address is one configuration value, ``nnguide_site_url`` in
conf.py; each language is its own Read the Docs project, served at
``<site>/<slug>/<version>/``. Every URL of a page follows from (site, language, version):

- the canonical URL (``html_baseurl``), which the Open Graph and sitemap extensions use
  too, and the absolute ``hreflang`` twins in ``<head>`` (``layout.html``);
- the language switcher's link to the same page in the other language
  (``language-switcher.html``), relative locally, so the local build works from any folder;
- the custom 404 page (sphinx-notfound-page), served at any depth, whose links start
  from the server's root.

Events:

- ``config-inited``: ``html_baseurl`` and ``notfound_urls_prefix`` for this language;
- ``html-page-context``: ``nnguide_alternates`` for the templates (one entry per
  language), and the 404 page's ``content_root``;
- ``doctree-resolved``: the 404 page's own links made absolute, like the theme's links
  that sphinx-notfound-page rewrites.

The languages themselves are defined in :mod:`nnguide_languages`.
"""

from __future__ import annotations

import os
from typing import Any

from docutils import nodes
from nnguide_languages import LANGUAGES
from sphinx.application import Sphinx
from sphinx.config import Config

# On Read the Docs each language is its own project, served under /<slug>/<version>/.
RTD_VERSION = os.environ.get("READTHEDOCS_VERSION") if os.environ.get("READTHEDOCS") else None
NOT_FOUND = "404"  # the custom 404 page's docname (sphinx-notfound-page's default)


def language_root(site_url: str, language: str, rtd_version: str | None = None) -> str:
    """Where ``language`` is hosted: ``<site>/<slug>/<version>/``, as Read the Docs serves it.

    Search engines and Open Graph get these absolute URLs (``latest`` outside Read the
    Docs); the site's own links stay relative, so the local build works from any folder.

    Raises:
        ValueError: if ``site_url`` does not end with ``/``.
    """
    if not site_url.endswith("/"):
        raise ValueError(f"nnguide_site_url must end with '/', got {site_url!r}")
    return f"{site_url}{LANGUAGES[language].rtd}/{rtd_version or 'latest'}/"


def url_prefix(language: str, rtd_version: str | None) -> str:
    """The path under which ``language`` is served: where the 404 page's links start."""
    return f"/{LANGUAGES[language].rtd}/{rtd_version}/" if rtd_version else f"/{language}/"


def twin_url(pagename: str, target_uri: str, language: str, rtd_version: str | None) -> str:
    """URL of the same page in ``language``, from the page ``pagename``.

    Locally each language is a sibling folder (``en/``, ``zh_CN/``), so the link climbs
    out of this language's folder. Read the Docs serves ``/<slug>/<version>/``. The 404
    page is served at any depth, so its links start from the server's root.
    """
    if rtd_version:
        return f"/{LANGUAGES[language].rtd}/{rtd_version}/{target_uri}"
    if pagename == NOT_FOUND:
        return f"/{language}/{target_uri}"
    return "../" * (pagename.count("/") + 1) + f"{language}/{target_uri}"


def is_absolute(uri: str) -> bool:
    """True for ``https://...``, ``mailto:...``, ``/path`` and ``#anchor``."""
    return uri.startswith(("/", "#")) or ":" in uri.split("/", 1)[0]


def _configure_hosting(app: Sphinx, config: Config) -> None:
    """Canonical URLs under this language's root; the 404 page's links from its prefix."""
    config.html_baseurl = language_root(config.nnguide_site_url, config.language, RTD_VERSION)
    config.notfound_urls_prefix = url_prefix(config.language, RTD_VERSION)


def _add_alternates(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """The page's twin in every language, relative (switcher) and absolute (hreflang)."""
    target = app.builder.get_target_uri(pagename)
    site = app.config.nnguide_site_url
    context["nnguide_alternates"] = [
        {
            "code": code,
            "tag": language.tag,
            "name": language.name,
            "url": twin_url(pagename, target, code, RTD_VERSION),
            "absolute": language_root(site, code, RTD_VERSION) + target,
            "current": code == app.config.language,
        }
        for code, language in LANGUAGES.items()
    ]
    if pagename == NOT_FOUND:
        # Served at any depth: the scripts must find the search index from the root too.
        context["content_root"] = url_prefix(app.config.language, RTD_VERSION)


def _anchor_not_found_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """The 404 page's own links, made absolute like its theme links (notfound does those)."""
    if docname != NOT_FOUND:
        return
    prefix = url_prefix(app.config.language, RTD_VERSION)
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if uri and not is_absolute(uri):
            reference["refuri"] = prefix + uri


def setup(app: Sphinx) -> dict[str, Any]:
    """Register ``nnguide_site_url`` and connect the three events of the module docstring."""
    app.add_config_value("nnguide_site_url", "", "html", types=[str])
    app.connect("config-inited", _configure_hosting)
    app.connect("html-page-context", _add_alternates)
    app.connect("doctree-resolved", _anchor_not_found_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
