"""Every page's description, in its own language, and the facts its Open Graph card needs.

Sphinx extension. ``layout.html`` writes the Open Graph tags (``og:title``, ``og:url``
from ``pageurl``, ``og:description``, ``og:locale`` and its alternates) from the context
this extension fills; ``<meta name="description">`` is added where a page has none.

Events: ``html-page-context``, which sets ``nnguide_description`` and
``nnguide_og_locale`` and, where the page sets no description, adds one to ``metatags``.

Why not sphinxext-opengraph (0.13.0, tried on a small project with this site's settings):
its ``og:description`` is always its own walk over the page's text (titles, list items,
up to ``ogp_description_length``), never the page's ``myst.html_meta.description``, so
the two descriptions of a page differ (a test page whose front matter says "Own
description of the page." got ``og:description`` "First paragraph of prose, which is
long enough. Other.", its first paragraph and its toctree's entry); it writes
nothing on pages without a doctree (``search.html``, ``genindex.html``), which this site
gives a card too; it has no ``og:locale`` (only fixed ``ogp_custom_meta_tags``); and it
draws a social-card image per page with Matplotlib unless ``ogp_social_cards`` disables it.
"""

from __future__ import annotations

import html
import re
from typing import Any

from docutils import nodes
from nnguide_languages import LANGUAGES
from nnguide_strings import SITE_DESCRIPTION
from sphinx.application import Sphinx

DESCRIPTION_LENGTH = 160  # search engines show about this many characters
_META_DESCRIPTION = re.compile(r'<meta\s+content="([^"]*)"\s+name="description"')


def summary(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut at a word (or, in Chinese, a character) before ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and cut.isascii():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，；：、") + "…"


def first_paragraph(doctree: nodes.document) -> str | None:
    """The text of the page's first paragraph of prose (not a note, not a table)."""
    skip = (nodes.Admonition, nodes.table, nodes.sidebar, nodes.topic, nodes.field_list)
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        inside = False
        while parent is not None:
            if isinstance(parent, skip):
                inside = True
                break
            parent = parent.parent
        text: str = paragraph.astext().strip()
        if not inside and text:
            return text
    return None


def _describe(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Every page gets a description, in its own language, for search engines and cards.

    A page's ``myst.html_meta.description`` (translated through its catalog like any
    other message) wins; otherwise the first paragraph of the translated page; otherwise
    (search, indices) the site's description from the ``sphinx`` catalog.
    """
    from sphinx.locale import get_translation

    metatags = context.get("metatags", "")
    found = _META_DESCRIPTION.search(metatags)
    if found:
        description = html.unescape(found.group(1))
    else:
        text = first_paragraph(doctree) if doctree is not None else None
        description = summary(text or str(get_translation("sphinx")(SITE_DESCRIPTION)))
        metatags += f'\n<meta name="description" content="{html.escape(description)}" />'
        context["metatags"] = metatags
    context["nnguide_description"] = description
    context["nnguide_og_locale"] = LANGUAGES[app.config.language].og_locale


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect ``html-page-context`` (see the module docstring)."""
    app.connect("html-page-context", _describe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
