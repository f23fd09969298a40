"""The built site in a real browser (headless Chromium), in English and in Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import LANGUAGES, Browser
from nnguide_languages import LANGUAGES as SITE_LANGUAGES
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

OTHER = {"en": "zh_CN", "zh_CN": "en"}
TAGS = {code: language.tag for code, language in SITE_LANGUAGES.items()}  # <html lang>
CHAPTER = "inplace.html"
EXAMPLE = "auto_examples/plot_inplace.html"
NOT_FOUND_TITLE = {"en": "Page not found", "zh_CN": "页面未找到"}


def wait(browser: Browser, seconds: float = 20) -> WebDriverWait:
    return WebDriverWait(browser.driver, seconds)


def load(browser: Browser, url: str) -> None:
    browser.driver.get(url)
    wait(browser).until(lambda d: d.execute_script("return document.readyState") == "complete")


def assert_clean(browser: Browser, url: str) -> int:
    """No console error, no failed request, nothing from another host; the bytes loaded."""
    traffic = browser.traffic()
    errors = [e for e in traffic.console if e["level"] == "SEVERE"]
    assert not errors, f"{url}: console errors {errors}"
    assert not traffic.failed, f"{url}: failed requests {traffic.failed}"
    bad = {u: s for u, s in traffic.statuses.items() if s >= 400}
    assert not bad, f"{url}: error responses {bad}"
    remote = [u for u in traffic.requests if urlsplit(u).hostname not in {"127.0.0.1", None}]
    remote = [u for u in remote if not u.startswith(("data:", "blob:"))]
    assert not remote, f"{url}: requests to other hosts {remote}"
    return traffic.bytes


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", ["index.html", CHAPTER, EXAMPLE, "api.html"])
def test_page_renders_cleanly(browser: Browser, server: str, language: str, page: str):
    browser.reset()
    url = f"{server}/{language}/{page}"
    load(browser, url)
    driver = browser.driver
    assert driver.execute_script("return document.documentElement.lang") == TAGS[language]
    assert driver.find_element(By.CSS_SELECTOR, "h1").is_displayed()
    weight = assert_clean(browser, url)
    assert weight < 1_000_000, f"{url} loaded {weight} bytes"


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_lands_on_the_same_page_and_back(browser: Browser, server: str, language: str):
    load(browser, f"{server}/{language}/{EXAMPLE}")
    for target in (OTHER[language], language):
        link = next(
            a
            for a in browser.driver.find_elements(By.CSS_SELECTOR, "a.nnguide-language-link")
            if a.is_displayed()
        )
        link.click()
        wait(browser).until(ec.url_to_be(f"{server}/{target}/{EXAMPLE}"))
        wait(browser).until(
            lambda d, t=target: d.execute_script("return document.documentElement.lang") == TAGS[t]
        )


# Records what the copy button puts on the clipboard, whichever way it writes:
# sphinx-copybutton's ClipboardJS copies a hidden textarea with execCommand("copy").
CLIPBOARD_HOOK = """
window.__copied = null;
const execCommand = document.execCommand.bind(document);
document.execCommand = (command, ...rest) => {
  if (command === 'copy') {
    const active = document.activeElement;
    window.__copied = (active && 'value' in active) ? active.value
                                                    : document.getSelection().toString();
  }
  return execCommand(command, ...rest);
};
"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_copy_button_copies_code_without_prompts_or_output(
    browser: Browser, server: str, language: str
):
    load(browser, f"{server}/{language}/api.html")
    driver = browser.driver
    block = next(
        b
        for b in driver.find_elements(By.CSS_SELECTOR, "div.highlight")
        if b.find_elements(By.CSS_SELECTOR, ".gp") and b.find_elements(By.CSS_SELECTOR, ".go")
    )
    shown = block.find_element(By.TAG_NAME, "pre").get_attribute("textContent")
    expected = "\n".join(
        line[4:] for line in shown.splitlines() if line.startswith((">>> ", "... "))
    )
    driver.execute_script(CLIPBOARD_HOOK)
    button = block.find_element(By.CSS_SELECTOR, "button.copybtn")
    driver.execute_script("arguments[0].click();", button)
    copied = wait(browser).until(lambda d: d.execute_script("return window.__copied"))
    # Blank lines aside, the copy is exactly the code after the prompts.
    assert [line for line in copied.splitlines() if line.strip()] == expected.splitlines()
    assert ">>>" not in copied
    output = [line for line in shown.splitlines() if line and not line.startswith((">>>", "..."))]
    assert output and not any(line in copied.splitlines() for line in output)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.parametrize("language", LANGUAGES)
def test_example_downloads_are_served_and_valid(
    browser: Browser, server: str, language: str, tmp_path: Path
):
    page = f"{server}/{language}/{EXAMPLE}"
    load(browser, page)
    links = {
        kind: browser.driver.find_element(
            By.CSS_SELECTOR, f".sphx-glr-download-{kind} a.download"
        ).get_attribute("href")
        for kind in ("python", "jupyter")
    }
    status, notebook = fetch(urljoin(page, links["jupyter"]))
    assert status == 200
    data = json.loads(notebook)
    assert data["nbformat"] == 4
    assert any(cell["cell_type"] == "code" for cell in data["cells"])
    status, script = fetch(urljoin(page, links["python"]))
    assert status == 200
    path = tmp_path / Path(urlsplit(links["python"]).path).name
    path.write_bytes(script)
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("language", LANGUAGES)
def test_dark_mode_toggles(browser: Browser, server: str, language: str):
    load(browser, f"{server}/{language}/{CHAPTER}")
    driver = browser.driver

    def background() -> str:
        return driver.execute_script("return getComputedStyle(document.body).backgroundColor")

    for mode in ("light", "dark", "light"):
        toggle = next(
            b
            for b in driver.find_elements(By.CSS_SELECTOR, "button.theme-switch-button")
            if b.is_displayed()
        )
        toggle.click()
        choice = wait(browser).until(
            ec.element_to_be_clickable(
                (By.CSS_SELECTOR, f".dropdown-menu.show button[data-mode='{mode}']")
            )
        )
        choice.click()
        wait(browser).until(
            lambda d, m=mode: d.execute_script("return document.documentElement.dataset.theme") == m
        )
        rgb = [int(v) for v in background().split("(")[1].rstrip(")").split(",")[:3]]
        assert (sum(rgb) / 3 < 80) if mode == "dark" else (sum(rgb) / 3 > 200), (mode, rgb)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("missing", ["no-such-page.html", "deep/er/still/missing/page.html"])
def test_missing_path_serves_the_translated_404_page(
    browser: Browser, server: str, language: str, missing: str
):
    url = f"{server}/{language}/{missing}"
    status, _ = fetch(url)
    assert status == 404
    browser.reset()
    load(browser, url)
    driver = browser.driver
    assert (
        driver.find_element(By.TAG_NAME, "h1").text.strip().rstrip("#¶ ")
        == (NOT_FOUND_TITLE[language])
    )
    assert driver.execute_script("return document.documentElement.lang") == TAGS[language]
    # The theme's stylesheets and scripts loaded from this depth: nothing failed but the page.
    traffic = browser.traffic()
    failed = {u: s for u, s in traffic.statuses.items() if s >= 400 and u != url}
    assert not failed and not traffic.failed, (failed, traffic.failed)
    hrefs = {
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")
        if urlsplit(a.get_attribute("href")).hostname == "127.0.0.1"
    }
    assert len(hrefs) >= 5
    for href in sorted(hrefs):
        if urlsplit(href).path != urlsplit(url).path:  # not a link within this page
            assert fetch(href.split("#")[0])[0] == 200, href


def draws_distinct_glyphs(browser: Browser) -> bool:
    """True when two different Chinese characters draw differently in the page's font.

    A missing font draws every character as the same box (tofu).
    """
    return bool(
        browser.driver.execute_script(
            """
            const font = getComputedStyle(document.querySelector('h1')).font;
            const draw = (ch) => {
              const c = document.createElement('canvas'); c.width = c.height = 64;
              const g = c.getContext('2d'); g.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
              g.fillText(ch, 4, 48); return c.toDataURL();
            };
            return draw('原') !== draw('地') && draw('地') !== draw('操');
            """
        )
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("name", "page"), [("landing", "index.html"), ("chapter", CHAPTER), ("example", EXAMPLE)]
)
def test_screenshot(
    browser: Browser, server: str, screenshots: Path, language: str, name: str, page: str
):
    load(browser, f"{server}/{language}/{page}")
    browser.driver.execute_script("document.fonts && document.fonts.ready")
    path = screenshots / f"{language}-{name}.png"
    assert browser.driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000
    if language == "zh_CN":
        assert draws_distinct_glyphs(browser)
