"""The site's search (Pagefind, docs/_ext/nnguide_search.py) as a reader uses it.

The queries, and the page each must bring up, are tests_browser/search_queries.toml:
each is typed into the theme's search box, and the page must be among the first three
results. The hit rate of each language is printed at the end of the run.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import tomllib
from conftest import LANGUAGES, SEARCH_RATES, SEARCH_WEIGHTS, Browser
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from site_checks import BUDGET, weights
from test_browser import CHAPTER, assert_clean, load, wait

QUERIES = tomllib.loads((Path(__file__).with_name("search_queries.toml")).read_text("utf-8"))
TARGET_RATE = 0.90  # of each language's queries, the page among the first three results
TOP = 3
DIALOG = "#pst-search-dialog"


def open_dialog(browser: Browser) -> None:
    """Open the theme's search dialog as a reader does, with its button."""
    driver = browser.driver
    button = next(
        b
        for b in driver.find_elements(By.CSS_SELECTOR, "button.search-button__button")
        if b.is_displayed()
    )
    button.click()
    wait(browser).until(
        lambda d: d.execute_script(f"return document.querySelector('{DIALOG}').open")
    )


def results_for(browser: Browser, scope: str, query: str) -> list[str]:
    """Type ``query`` into the search box in ``scope``; the result pages' paths, in order."""
    driver = browser.driver
    box = driver.find_element(By.CSS_SELECTOR, f"{scope} input[name=q]")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE)
    box.send_keys(query)
    status = f"{scope} .nnguide-search-status"
    # The status line names the query once its results are in.
    wait(browser, 30).until(
        lambda d: any(query in e.text for e in d.find_elements(By.CSS_SELECTOR, status))
    )
    links = driver.find_elements(By.CSS_SELECTOR, f"{scope} a.nnguide-search-title")
    return [urlsplit(a.get_attribute("href")).path for a in links]


def test_every_language_has_its_queries():
    for language in LANGUAGES:
        assert len(QUERIES[language]) >= 30, language
        pages = {q["page"] for q in QUERIES[language]}
        for page in pages:
            stem = page.split("/")[-1]
            source = (
                Path("examples") / f"{stem}.py"
                if page.startswith("auto_examples/")
                else Path("docs") / f"{page}.md"
            )
            assert (Path(__file__).parents[1] / source).is_file(), (language, page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_typed_queries_find_their_page(browser: Browser, server: str, language: str):
    browser.reset()
    load(browser, f"{server}/{language}/{CHAPTER}")
    # The index is fetched only once the reader searches.
    before = browser.traffic()
    assert not [u for u in before.requests if "/_pagefind/" in u], before.requests
    open_dialog(browser)
    misses = []
    for item in QUERIES[language]:
        want = f"/{language}/{item['page']}.html"
        found = results_for(browser, DIALOG, item["query"])
        if want not in found[:TOP]:
            misses.append(f"{item['query']!r} -> {item['page']} (got {found[:TOP]})")
    total = len(QUERIES[language])
    hits = total - len(misses)
    SEARCH_RATES[language] = f"{hits}/{total} = {100 * hits / total:.0f} %" + "".join(
        f"\n    missed {miss}" for miss in misses
    )
    assert hits >= TARGET_RATE * total, SEARCH_RATES[language]
    assert_clean(browser, f"{server}/{language}/{CHAPTER}")  # all from the site itself


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_heaviest_page_with_its_search_loaded_stays_in_budget(
    browser: Browser, server: str, site: Path, language: str
):
    """What a reader downloads: the page, what it loads, then one search, cache off."""
    heaviest = weights(site / language)[0][1]
    url = f"{server}/{language}/{heaviest}"
    driver = browser.driver
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        browser.reset()
        load(browser, url)
        open_dialog(browser)
        item = QUERIES[language][0]
        assert results_for(browser, DIALOG, item["query"])
        traffic = browser.traffic()
    finally:
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})
    assert any("/_pagefind/" in u for u in traffic.requests), traffic.requests
    SEARCH_WEIGHTS[language] = (
        f"{heaviest}, searched for {item['query']!r}: {traffic.bytes / 1000:.0f} kB "
        f"transferred, {traffic.decoded / 1000:.0f} kB uncompressed, "
        f"{len(traffic.requests)} requests"
    )
    assert traffic.bytes < BUDGET, SEARCH_WEIGHTS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_page_reads_the_query_from_its_address(browser: Browser, server: str, language: str):
    item = next(q for q in QUERIES[language] if q["page"] == "inplace")
    browser.reset()
    url = f"{server}/{language}/search.html?q={urllib.parse.quote(item['query'])}"
    load(browser, url)
    scope = ".nnguide-search-page"
    wait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, f"{scope} a.nnguide-search-title")
    )
    driver = browser.driver
    assert (
        driver.find_element(By.CSS_SELECTOR, f"{scope} input[name=q]").get_attribute("value")
        == (item["query"])
    )
    paths = [
        urlsplit(a.get_attribute("href")).path
        for a in driver.find_elements(By.CSS_SELECTOR, f"{scope} a.nnguide-search-title")
    ]
    assert f"/{language}/inplace.html" in paths[:TOP], paths
    # Typing on: the results and the address follow.
    other = next(q for q in QUERIES[language] if q["page"] == "reproducibility")
    assert f"/{language}/reproducibility.html" in results_for(browser, scope, other["query"])[:TOP]
    assert urllib.parse.parse_qs(urlsplit(driver.current_url).query)["q"] == [other["query"]]
    assert_clean(browser, url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_results_follow_the_colour_mode(browser: Browser, server: str, language: str):
    load(browser, f"{server}/{language}/search.html?q=torch")
    driver = browser.driver
    scope = ".nnguide-search-page"
    wait(browser, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{scope} mark"))
    colours = {}
    for mode in ("light", "dark"):
        driver.execute_script(f"document.documentElement.dataset.theme = '{mode}';")
        colours[mode] = driver.execute_script(
            "const s = getComputedStyle(document.querySelector(arguments[0]));"
            "const m = getComputedStyle(document.querySelector(arguments[0] + ' mark'));"
            "return [s.color, m.backgroundColor];",
            scope,
        )
    assert colours["light"][0] != colours["dark"][0], colours  # text
    assert colours["light"][1] != colours["dark"][1], colours  # the marked words
