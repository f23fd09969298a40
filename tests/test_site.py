"""The built site, both languages: executed once, linked to each other, indexed for search.

One module-scoped fixture builds a copy of the docs cold in English, then in Chinese,
exactly as ``nox -s docs`` does, and keeps both logs.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DOCS, EXAMPLES, copy_docs, sphinx_html
from nnguide_hosting import NOT_FOUND, language_root
from nnguide_languages import LANGUAGES as SITE_LANGUAGES
from site_checks import BUDGET, page_weight, third_party_loads

LANGUAGES = {code: language.tag for code, language in SITE_LANGUAGES.items()}
HAN = re.compile(r"[\u4e00-\u9fff]")
SITE_URL = re.search(r'nnguide_site_url = "([^"]+)"', (DOCS / "conf.py").read_text())[1]


def hosted(language: str) -> str:
    """Where Read the Docs serves ``language`` (the absolute URLs the pages announce)."""
    return language_root(SITE_URL, language)


@dataclass
class Site:
    html: Path
    logs: dict[str, str]


def executed(log: str) -> tuple[int, int]:
    """(pages executed by myst-nb, scripts executed by sphinx-gallery) in a build log."""
    pages = len(re.findall(r"Executing notebook", log))
    scripts = re.findall(r"successfully executed (\d+) out of", log)
    assert scripts, "sphinx-gallery printed no execution summary"
    return pages, sum(map(int, scripts))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    base = tmp_path_factory.mktemp("site")
    copy_docs(base / "docs")
    shutil.copytree(EXAMPLES, base / "examples")
    # The performance and compile pages read the benchmark scripts whose data they render.
    shutil.copytree(EXAMPLES.parent / "benchmarks", base / "benchmarks")
    logs = {}
    for language in LANGUAGES:
        status, logs[language] = sphinx_html(
            base / "docs",
            base / "_build" / "html" / language,
            *("-d", str(base / "_build" / "doctrees" / language)),
            *("-D", f"language={language}"),
        )
        assert status == 0, logs[language][-3000:]
    return Site(html=base / "_build" / "html", logs=logs)


def test_english_build_executes_the_pages_and_scripts(site: Site):
    pages, scripts = executed(site.logs["en"])
    assert pages == len([p for p in DOCS.glob("*.md") if "file_format: mystnb" in p.read_text()])
    assert scripts == len(list(EXAMPLES.glob("*.py")))


def test_chinese_build_executes_nothing(site: Site):
    assert executed(site.logs["zh_CN"]) == (0, 0)


def test_executed_outputs_stay_out_of_the_deployed_folder(site: Site):
    """myst-nb's jupyter_execute/ goes beside the doctrees (nnguide_build), not in html/."""
    assert sorted(p.name for p in site.html.iterdir()) == sorted(LANGUAGES)
    outputs = site.html.parent / "doctrees" / "jupyter_execute"
    assert list(outputs.glob("*.png")), f"no executed output in {outputs}"


def test_the_log_leaves_out_the_configuration_dumps(site: Site):
    for language, log in site.logs.items():
        for start in ("myst v", "myst-nb v", "Using jupyter-cache at"):
            assert start not in log, (language, start)
        assert "MdParserConfig(" not in log and "NbParserConfig(" not in log, language


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.switch: list[dict[str, str | None]] = []
        self.alternates: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "a" and "nnguide-language-link" in (a.get("class") or ""):
            self.switch.append(a)
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates.append(a)


def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


def pages(site: Site, language: str) -> list[Path]:
    root = site.html / language
    skip = {"_static", "_downloads", "_images"}
    return sorted(
        p for p in root.rglob("*.html") if not skip & set(p.parts) and p.stem != NOT_FOUND
    )


@pytest.mark.parametrize(("language", "other"), [("en", "zh_CN"), ("zh_CN", "en")])
def test_switcher_lands_on_the_same_page(site: Site, language: str, other: str):
    checked = 0
    for page in pages(site, language):
        links = parse(page)
        assert links.html_lang == LANGUAGES[language], page
        # The theme renders the navbar twice (header, and the drawer on small screens).
        hrefs = {a["href"] for a in links.switch}
        assert len(hrefs) == 1, f"{page}: {links.switch}"
        href = hrefs.pop()
        assert links.switch[0]["hreflang"] == LANGUAGES[other]
        target = (page.parent / href).resolve()
        relative = page.relative_to(site.html / language)
        assert target == (site.html / other / relative).resolve(), f"{page} -> {href}"
        assert target.exists(), f"{page} -> {href}"
        tags = {a["hreflang"]: a["href"] for a in links.alternates}
        assert set(tags) == {*LANGUAGES.values(), "x-default"}, page
        for tag_language, tag in LANGUAGES.items():
            assert tags[tag] == hosted(tag_language) + relative.as_posix(), page
        assert tags["x-default"] == tags["en"], page
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("language", LANGUAGES)
def test_pagefind_indexes_each_articles_content_and_nothing_else(site: Site, language: str):
    """The browser tests search (tests_browser/test_search.py); this checks what is indexed."""
    root = site.html / language
    assert not (root / "searchindex.js").exists()  # Sphinx's own index is not built
    entry = json.loads((root / "_pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert (root / "_pagefind" / "pagefind.js").is_file()
    marked = []
    for page in pages(site, language):
        text = page.read_text(encoding="utf-8")
        assert "searchtools.js" not in text and "searchindex.js" not in text, page
        if "data-pagefind-body" in text:
            marked.append(page.relative_to(root).as_posix())
    assert {"index.html", "one-minute.html", "glossary.html"} <= set(marked)
    assert not {"search.html", "genindex.html", "py-modindex.html"} & set(marked)
    assert len(marked) == sum(lang["page_count"] for lang in entry["languages"].values())
    assert list(entry["languages"]) == [LANGUAGES[language].lower()]


def test_the_chinese_search_cuts_queries_with_the_words_of_its_pages(site: Site):
    words = json.loads(
        (site.html / "zh_CN" / "_pagefind" / "nnguide-words.json").read_text(encoding="utf-8")
    )
    assert words["total"] > 0
    assert {"模块", "张量", "参数", "实参", "梯度"} <= set(words["words"])
    assert all(HAN.search(word) for word in words["words"])
    assert not (site.html / "en" / "_pagefind" / "nnguide-words.json").exists()


def test_root_index_sends_readers_on_without_javascript():
    root = (DOCS / "_root" / "index.html").read_text(encoding="utf-8")
    assert '<noscript><meta http-equiv="refresh" content="0; url=en/index.html">' in root
    for folder in LANGUAGES:
        assert f'href="{folder}/index.html"' in root


class Head(HTMLParser):
    """The <head> facts a host and a search engine read: meta, canonical, icon."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], a.get("content", ""))
        elif tag == "link" and a.get("rel") in {"canonical", "icon"}:
            self.links[a["rel"]] = a["href"]


def head(page: Path) -> Head:
    parsed = Head()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


@pytest.mark.parametrize("language", LANGUAGES)
def test_sitemap_lists_every_page_with_its_twin(site: Site, language: str):
    root = site.html / language
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    from xml.etree import ElementTree

    urls = ElementTree.parse(root / "sitemap.xml").getroot().findall("s:url", ns)
    locs = {url.find("s:loc", ns).text for url in urls}
    expected = {
        hosted(language) + page.relative_to(root).as_posix()
        for page in pages(site, language)
        if page.stem not in {"search", "genindex", "py-modindex"}
    }
    assert locs == expected
    for url in urls:
        twins = {link.get("hreflang") for link in url.findall("x:link", ns)}
        assert twins == set(LANGUAGES.values())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_open_graph_a_description_and_the_favicon(site: Site, language: str):
    root = site.html / language
    for page in pages(site, language):
        facts = head(page)
        url = hosted(language) + page.relative_to(root).as_posix()
        assert facts.links["canonical"] == url, page
        assert facts.meta["og:url"] == url, page
        assert facts.meta["og:title"] and facts.meta["og:type"] == "website", page
        assert facts.meta["og:description"] == facts.meta["description"], page
        # Translated, not the English text.
        if language == "zh_CN":
            assert re.search(r"[\u4e00-\u9fff]", facts.meta["description"]), page
        assert (page.parent / facts.links["icon"]).resolve().is_file(), page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_404_page_is_translated_and_links_from_the_root(site: Site, language: str):
    page = site.html / language / f"{NOT_FOUND}.html"
    text = page.read_text(encoding="utf-8")
    assert parse(page).html_lang == LANGUAGES[language]
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', text)
    relative = [h for h in hrefs if not h.startswith(("/", "#", "http://", "https://"))]
    assert not relative, relative
    for href in hrefs:
        if href.startswith("/"):
            assert (site.html / href.split("?")[0].split("#")[0].lstrip("/")).is_file(), href
    english = (site.html / "en" / f"{NOT_FOUND}.html").read_text(encoding="utf-8")
    assert ("Page not found" in text) == (language == "en")
    assert len(text) > len(english) // 2


def test_nothing_loads_from_another_host(site: Site):
    assert third_party_loads(site.html) == {}


def test_every_page_weighs_under_the_budget(site: Site):
    for language in LANGUAGES:
        for page in pages(site, language):
            # As a reader downloads it: text gzip-compressed, as every host serves it.
            weight, missing = page_weight(page, site.html, served=True)
            assert not missing, (page, missing)
            assert weight < BUDGET, f"{page}: {weight} bytes"
