"""Each language's ``sitemap.xml``: every page at its hosted URL, with its twin in every language.

Sphinx extension. The URLs are :func:`nnguide_hosting.language_root`'s: Read the Docs'
``<site>/<slug>/<version>/`` (``zh-cn/latest/``), each ``<url>`` with one
``<xhtml:link rel="alternate" hreflang="...">`` per language (BCP 47 tags, ``zh-CN``).
The 404 page is left out; so is nothing else that Sphinx reads as a page.

Events: ``build-finished`` (HTML builders only), which writes the file, and only when
its content changed.

Why not sphinx-sitemap (2.9.0, tried on a small project with this site's settings): a
page's URL and its alternates are ``site_url + sitemap_url_scheme.format(lang=...)``,
where ``lang`` is Sphinx's ``language`` (or an entry of ``sitemap_locales``) used both
as the path and, ``_`` turned into ``-``, as the ``hreflang``. Read the Docs' path is
the slug ``zh-cn`` while the code is ``zh_CN``, and no option maps one onto the other:
with ``sitemap_locales = ["en", "zh_CN"]`` the Chinese URLs came out as
``.../zh_CN/latest/index.html`` (the site lives at ``.../zh-cn/latest/``); with
``["en", "zh-cn"]`` the alternates were right but ``hreflang="zh-cn"`` and the page's own
``<loc>`` still ``.../zh_CN/latest/...``. It also lists only the pages written in that
build (it collects them in ``html-page-context``), where this one lists every page.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from nnguide_files import write_if_changed
from nnguide_hosting import NOT_FOUND, RTD_VERSION, language_root
from nnguide_languages import LANGUAGES
from sphinx.application import Sphinx

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(pages: list[str], roots: dict[str, str], own: str) -> bytes:
    """A sitemap of ``pages`` (target URIs) under ``roots[own]``, each with its twins.

    ``roots`` maps each language's code to its hosted root URL; returns the XML file.
    """
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for page in pages:
        lines.append(f"  <url><loc>{html.escape(roots[own] + page)}</loc>")
        for code, root in roots.items():
            tag = LANGUAGES[code].tag
            href = html.escape(root + page)
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{tag}" href="{href}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def _write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``sitemap.xml`` in the output folder, from every page Sphinx found."""
    if exception is not None or app.builder.format != "html":
        return
    site = app.config.nnguide_site_url
    roots = {code: language_root(site, code, RTD_VERSION) for code in LANGUAGES}
    pages = [
        app.builder.get_target_uri(docname)
        for docname in sorted(app.env.found_docs)
        if docname != NOT_FOUND
    ]
    out = Path(app.outdir)
    write_if_changed(out / "sitemap.xml", sitemap_xml(pages, roots, app.config.language))


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect ``build-finished`` (see the module docstring)."""
    app.connect("build-finished", _write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
