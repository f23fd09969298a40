"""Search with Pagefind: Chinese and English segmented, indexed from the built pages.

Sphinx extension. Sphinx's own search matches whole words and does not segment a
Chinese query, so most Chinese key terms found nothing or the wrong page. Pagefind's
extended build (``pagefind[extended]`` on PyPI, its binary inside the wheel) segments
Chinese both when it indexes and when the reader types, and its index is static files
that the browser fetches only when the reader searches.

- Sphinx's index is not built (``searchindex.js``, and jieba with it); the search page
  (``search.html``, which old links and ``search.html?q=...`` reach) is the site's own
  template, ``docs/_templates/search.html``.
- Each page marks its article ``data-pagefind-body`` (``docs/_templates/layout.html``),
  so the navigation and sidebars, which repeat on every page, are not indexed; pages
  without text of their own (:data:`UNINDEXED`) are left out. Pagefind weights the
  title and headings above the text.
- ``_static/nnguide-search.js`` (deferred) loads Pagefind when the reader first types
  into the theme's search box, shows results as they type, and fills the search page
  from ``?q=``.
- Chinese: Pagefind cuts the pages into words with jieba but the query with the
  browser's ``Intl.Segmenter``, which cuts differently (一分钟 is one word on the page,
  一 and 分钟 in the query), and a page must hold every word of the query. So
  :func:`segment_pages` cuts the pages' Chinese with jieba first (words separated by
  zero-width spaces, in a copy that only Pagefind reads) and writes the words with their
  jieba frequencies beside the index; the script cuts the query the same way.

Events:

- ``builder-inited``: the HTML builder writes no Sphinx index;
- ``html-collect-pages``: the search page, from the template;
- ``html-page-context``: whether the page is indexed (``nnguide_indexed``);
- ``build-finished`` (HTML builder only): runs Pagefind over the language's output into
  ``_pagefind/``, keeping only the files the script loads.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from nnguide_files import is_site_build
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

BUNDLE = "_pagefind"
# Pages with no text of their own: the search page, the indices, the 404 page.
UNINDEXED = frozenset({"search", "genindex", "py-modindex", "404"})
# Inside the article, what is not text a reader searches for: heading anchors ("#"),
# copy buttons, the gallery's download links and its "Go to the end" note.
EXCLUDED = (
    ".headerlink",
    ".copybtn",
    ".sphx-glr-download-link-note",
    ".sphx-glr-footer",
    ".sphx-glr-signature",
)
# Pagefind also writes three ready-made interfaces; the site uses its JavaScript API.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
)


WORDS = f"{BUNDLE}/nnguide-words.json"
# Pagefind's own query segmentation is replaced (see the module docstring) for these.
SEGMENTED = ("zh",)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
TAG = re.compile(r"(<[^>]*>)")
WORD_BREAK = "\u200b"  # zero-width space: no visible gap in an excerpt


def _segmented(language: str) -> bool:
    return language.split("_")[0].split("-")[0] in SEGMENTED


def _no_sphinx_index(app: Sphinx) -> None:
    """The HTML builder writes no searchindex.js (Pagefind's index replaces it)."""
    if is_site_build(app):
        app.builder.search = False  # type: ignore[attr-defined]


def _search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """The search page, which Sphinx writes only with its own index."""
    if is_site_build(app):
        yield "search", {}, "search.html"


def _mark_indexed(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Tell the layout whether to mark the page's article for the index."""
    context["nnguide_indexed"] = is_site_build(app) and pagename not in UNINDEXED
    context["nnguide_search_words"] = WORDS if _segmented(app.config.language) else ""


def segment_pages(site: Path, copy: Path) -> dict[str, int]:
    """Copy the HTML pages of ``site`` to ``copy`` with their Chinese cut into words.

    Each run of Han characters outside tags, scripts and styles becomes jieba's words
    (its dictionary, no HMM: the cut the script repeats on the query) joined by
    zero-width spaces. Returns every word with its frequency in jieba's dictionary
    (0 for a word it does not hold), and ``"": total``, the dictionary's total.
    """
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines in the log
    words: dict[str, int] = {}

    def cut(run: re.Match[str]) -> str:
        pieces = list(jieba.cut(run.group(0), HMM=False))
        for word in pieces:
            words[word] = jieba.dt.FREQ.get(word, 0)
        return WORD_BREAK.join(pieces)

    for page in site.rglob("*.html"):
        if BUNDLE in page.relative_to(site).parts:
            continue
        parts = TAG.split(page.read_text(encoding="utf-8"))
        raw = False  # inside <script> or <style>
        for i, part in enumerate(parts):
            if i % 2:
                tag = part[:8].lower()
                raw = tag.startswith(("<script", "<style")) or (
                    raw and not tag.startswith(("</script", "</style"))
                )
            elif not raw:
                parts[i] = HAN.sub(cut, part)
        target = copy / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("".join(parts), encoding="utf-8")
    words[""] = jieba.dt.total
    return words


def pagefind_command(pages: Path, bundle: Path) -> list[str]:
    """The Pagefind command that indexes the HTML under ``pages`` into ``bundle``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(pages),
        "--output-path",
        str(bundle),
        "--exclude-selectors",
        ", ".join(EXCLUDED),
        "--silent",
    ]


def index_site(site: Path, language: str) -> Path:
    """Index the built pages under ``site`` with Pagefind; returns the bundle folder.

    Pages in a language of :data:`SEGMENTED` are indexed from a copy cut into words
    (:func:`segment_pages`), whose words go to :data:`WORDS`.

    Raises:
        ExtensionError: Pagefind is not installed, or it failed (its output is the
            message).
    """
    bundle = site / BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)  # no fragment of an older index stays
    with tempfile.TemporaryDirectory(prefix="nnguide-search-") as scratch:
        pages, words = site, None
        if _segmented(language):
            pages = Path(scratch)
            words = segment_pages(site, pages)
        result = subprocess.run(
            pagefind_command(pages, bundle), capture_output=True, text=True, check=False
        )
    if result.returncode or not (bundle / "pagefind.js").is_file():
        raise ExtensionError(
            "Pagefind did not index the site (install the docs dependency group, which "
            f"holds pagefind[extended]); it exited {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )
    for pattern in UNUSED:
        for path in bundle.glob(pattern):
            path.unlink()
    if words is not None:
        total = words.pop("")
        data = {"total": total, "words": dict(sorted(words.items()))}
        (site / WORDS).write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
    return bundle


def _index(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and is_site_build(app):
        bundle = index_site(Path(app.outdir), app.config.language)
        pages = len(list((bundle / "fragment").iterdir()))
        logger.info("search: Pagefind indexed %d pages into %s", pages, bundle)


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect the four events of the module docstring; every page loads the script."""
    app.add_js_file("nnguide-search.js")
    app.connect("builder-inited", _no_sphinx_index)
    app.connect("html-collect-pages", _search_page)
    app.connect("html-page-context", _mark_indexed)
    app.connect("build-finished", _index, priority=950)  # after every page and file
    return {"parallel_read_safe": True, "parallel_write_safe": True}
