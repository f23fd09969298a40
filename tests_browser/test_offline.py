"""The whole guide offline (tools/offline.py): each language's zip opened from the file
system, its pages followed link by link, and its EPUB.

``nox -s browser`` builds the site with ``--offline``, which puts both files in each
language's ``_downloads/offline/`` and links them from every page's footer.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import LANGUAGES, ROOT, SITE, Browser
from selenium.webdriver.common.by import By
from test_browser import load, wait
from test_search import open_dialog

HAN = re.compile(r"[\u4e00-\u9fff]")
TAGS = {"en": "en", "zh_CN": "zh-CN"}
HOSTED = re.search(r'nnguide_site_url = "([^"]+)"', (ROOT / "docs" / "conf.py").read_text())[1]
PAGES_FOLLOWED = 6  # the landing page, then "next" from page to page


def offline_file(language: str, suffix: str) -> Path:
    path = SITE / language / "_downloads" / "offline" / f"nnguide-{language}.{suffix}"
    if not path.is_file():
        pytest.fail(f"{path} is missing: 'nox -s browser' builds the site with --offline")
    return path


@pytest.fixture(scope="module", params=list(LANGUAGES))
def unzipped(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    language = request.param
    folder = tmp_path_factory.mktemp(f"offline-{language}")
    with zipfile.ZipFile(offline_file(language, "zip")) as archive:
        assert {name.split("/")[0] for name in archive.namelist()} == {f"nnguide-{language}"}
        archive.extractall(folder)
    return language, folder / f"nnguide-{language}"


def test_every_page_links_its_languages_offline_copies(site: Path):
    for language in LANGUAGES:
        page = (site / language / "one-minute.html").read_text(encoding="utf-8")
        footer = re.search(r'<p class="nnguide-offline">(.*?)</p>', page, re.DOTALL)
        assert footer, f"{language}: no link to the offline copies"
        links = re.findall(r'href="([^"]+)"', footer[1])
        assert links == [
            f"_downloads/offline/nnguide-{language}.zip",
            f"_downloads/offline/nnguide-{language}.epub",
        ]
        for link in links:
            assert (site / language / link).is_file(), link
        if language != "en":
            assert HAN.search(footer[1]), footer[1]


def test_the_zip_holds_the_site_without_what_needs_a_server(unzipped):
    language, root = unzipped
    built = SITE / language
    pages = {p.relative_to(built) for p in built.rglob("*.html")}
    assert pages == {p.relative_to(root) for p in root.rglob("*.html")}
    assert not (root / "_pagefind").exists()
    assert not (root / "_downloads" / "offline").exists()
    for page in root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'class="nnguide-offline"' not in text, page
        for href in re.findall(r'nnguide-language-link" href="([^"]+)"', text):
            assert href.startswith(HOSTED), (page, href)


def test_the_zip_opens_from_the_file_system_and_its_links_lead_on(browser: Browser, unzipped):
    language, root = unzipped
    driver = browser.driver
    browser.reset()
    load(browser, (root / "index.html").as_uri())
    visited = []
    for _ in range(PAGES_FOLLOWED):
        url = driver.current_url
        assert url.startswith("file://"), url
        assert driver.execute_script("return document.documentElement.lang") == TAGS[language]
        heading = driver.find_element(By.CSS_SELECTOR, "article h1")
        assert heading.text.strip(), url
        if language != "en":
            assert HAN.search(heading.text), (url, heading.text)
        # The theme's stylesheet applied (the header sticks), every image drawn.
        header = driver.find_element(By.CSS_SELECTOR, ".bd-header")
        assert header.value_of_css_property("position") == "sticky", url
        broken = driver.execute_script(
            "return [...document.images].filter(i => !i.complete || !i.naturalWidth)"
            ".map(i => i.src)"
        )
        assert not broken, (url, broken)
        visited.append(Path(urlsplit(url).path).name)
        following = driver.find_element(By.CSS_SELECTOR, "a.right-next")
        driver.execute_script("arguments[0].click()", following)
        wait(browser).until(lambda d, before=url: d.current_url != before)
        wait(browser).until(lambda d: d.execute_script("return document.readyState") == "complete")
    assert len(set(visited)) == PAGES_FOLLOWED, visited
    traffic = browser.traffic()
    assert not traffic.failed, traffic.failed
    remote = [u for u in traffic.requests if not u.startswith(("file:", "data:", "blob:"))]
    assert not remote, remote


def test_search_in_the_zip_says_it_needs_the_hosted_site(browser: Browser, unzipped):
    _, root = unzipped
    load(browser, (root / "one-minute.html").as_uri())
    open_dialog(browser)
    driver = browser.driver
    driver.find_element(By.CSS_SELECTOR, "#pst-search-dialog input[name=q]").send_keys("seed")
    box = driver.find_element(By.CSS_SELECTOR, "#pst-search-dialog .nnguide-search-results")
    expected = box.get_attribute("data-unavailable")
    assert expected
    wait(browser, 20).until(lambda d: expected in box.text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_epub_holds_every_page_in_its_language(language: str):
    with zipfile.ZipFile(offline_file(language, "epub")) as book:
        first = book.infolist()[0]
        # The EPUB container: the mimetype first and stored, then the package.
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"
        package = book.read("content.opf").decode("utf-8")
        assert f"<dc:language>{TAGS[language]}</dc:language>" in package
        names = set(book.namelist())
        chapters = [page.stem for page in (ROOT / "docs").glob("*.md") if page.stem != "404"]
        examples = [f"auto_examples/{p.stem}" for p in (ROOT / "examples").glob("plot_*.py")]
        for page in chapters + examples:
            assert f"{page}.xhtml" in names, page
            text = book.read(f"{page}.xhtml").decode("utf-8")
            if language != "en":
                assert HAN.search(re.sub(r"<[^>]+>", "", text)), page
        assert "404.xhtml" not in names  # its links start from a web server's root
        assert not [name for name in names if name.endswith(".js")]
