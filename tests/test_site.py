"""The built site, both languages: executed once, linked to each other, searchable.

One module-scoped fixture builds a copy of the docs cold in English, then in Chinese,
exactly as ``nox -s docs`` does, and keeps both logs.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DOCS, EXAMPLES, copy_docs, sphinx_html

LANGUAGES = {"en": "en", "zh_CN": "zh-CN"}
SEARCH_DICT = DOCS / "locales" / "zh_CN" / "search_dict.txt"


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
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)


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
        assert set(tags) == set(LANGUAGES.values()), page
        for tag_language, tag in LANGUAGES.items():
            resolved = (page.parent / tags[tag]).resolve()
            assert resolved == (site.html / tag_language / relative).resolve()
        checked += 1
    assert checked >= 5


class SearchIndex:
    """Sphinx's searchindex.js, queried as the search page (searchtools.js) queries it."""

    def __init__(self, path: Path, language: str) -> None:
        from sphinx.search import languages

        text = path.read_text(encoding="utf-8")
        data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
        self.docnames: list[str] = data["docnames"]
        self.terms: dict[str, int | list[int]] = data["terms"]
        self.titleterms: dict[str, int | list[int]] = data["titleterms"]
        search_class = languages[language.split("_")[0]]
        if isinstance(search_class, str):  # Sphinx names most languages by dotted path
            module, _, name = search_class.rpartition(".")
            search_class = getattr(importlib.import_module(module), name)
        # The page does not segment a query, so no jieba dictionary is loaded here.
        self.language = search_class({"dict": ""})

    def _files(self, table: dict[str, int | list[int]], word: str) -> set[int]:
        found = table.get(word, [])
        return {found} if isinstance(found, int) else set(found)

    def query(self, query: str) -> set[str]:
        """Docnames holding every word of the query, as the search page lists them.

        The page splits the query on whatever is not a letter, digit or underscore (it
        does not segment Chinese), drops stop words, stems each word with the language's
        stemmer, and looks it up whole; a word longer than two characters also matches
        the terms that contain it.
        """
        result: set[int] | None = None
        for raw in re.split(r"[^\w]+", query):
            word = raw.lower()
            if not word or word in self.language.stopwords:
                continue
            word = self.language.stem(word)
            files = self._files(self.terms, word) | self._files(self.titleterms, word)
            if len(word) > 2:
                for table in (self.terms, self.titleterms):
                    for term in table:
                        if word in term:
                            files |= self._files(table, term)
            result = files if result is None else result & files
        return {self.docnames[i] for i in result or set()}


@pytest.mark.parametrize(
    ("language", "query", "page"),
    [
        ("en", "in-place operation", "glossary"),
        ("en", "conv2d", "one-minute"),
        ("zh_CN", "原地操作", "glossary"),
        ("zh_CN", "前向传播", "glossary"),
        ("zh_CN", "随机种子", "glossary"),
        ("zh_CN", "状态字典", "glossary"),
        ("zh_CN", "模块", "one-minute"),
        ("zh_CN", "术语表", "glossary"),
    ],
)
def test_search_finds_the_page(site: Site, language: str, query: str, page: str):
    index = SearchIndex(site.html / language / "searchindex.js", language)
    assert page in index.query(query), f"{query!r} did not find {page}"


def test_chinese_index_keeps_the_guides_terms_whole(site: Site):
    index = SearchIndex(site.html / "zh_CN" / "searchindex.js", "zh_CN")
    dictionary = SEARCH_DICT.read_text(encoding="utf-8")
    glossary_terms = [line.split()[0] for line in dictionary.splitlines() if line.strip()]
    present = [term for term in glossary_terms if term in index.terms]
    assert len(present) >= 10, present


def test_root_index_sends_readers_on_without_javascript():
    root = (DOCS / "_root" / "index.html").read_text(encoding="utf-8")
    assert '<noscript><meta http-equiv="refresh" content="0; url=en/index.html">' in root
    for folder in LANGUAGES:
        assert f'href="{folder}/index.html"' in root
