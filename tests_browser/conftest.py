"""Fixtures of the browser tests: the built site on 127.0.0.1, and Debian's Chromium.

``nox -s browser`` builds the site first (a no-op when it is built) and runs these tests;
they are kept out of ``tests/`` so that ``nox -s tests`` needs no browser. Nothing is
downloaded: the browser is /usr/bin/chromium, driven by /usr/bin/chromedriver (both from
apt), and Selenium is handed both paths, so Selenium Manager never runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from site_checks import LANGUAGE_FOLDERS as LANGUAGES  # noqa: E402
from site_checks import serve  # noqa: E402

SITE = ROOT / "docs" / "_build" / "html"
CHROMIUM = Path(os.environ.get("NNGUIDE_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("NNGUIDE_CHROMEDRIVER", "/usr/bin/chromedriver"))
SCREENSHOTS = Path(os.environ.get("NNGUIDE_SCREENSHOTS", ROOT / "docs" / "_build" / "screenshots"))
# test_search.py's hit rate in each language, printed at the end of the run.
SEARCH_RATES: dict[str, str] = {}
# And the weight of the heaviest page with its search loaded, in each language.
SEARCH_WEIGHTS: dict[str, str] = {}


@pytest.fixture(scope="session")
def site() -> Path:
    for language in LANGUAGES:
        if not (SITE / language / "404.html").is_file():
            pytest.fail(
                f"no built site in {SITE / language}: run 'nox -s browser', which builds it"
            )
    return SITE


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """Base URL of the site served on 127.0.0.1 (a free port), 404 page and all."""
    with serve(site) as url:
        yield url


@dataclass
class Traffic:
    """What the browser logged since the last ``Browser.reset()``."""

    console: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    bytes: int = 0  # as transferred (compressed where the server compressed)
    decoded: int = 0  # the same, uncompressed


class Browser:
    """A Selenium Chrome driver with the logs a test needs."""

    def __init__(self, driver) -> None:  # type: ignore[no-untyped-def]
        self.driver = driver

    def traffic(self) -> Traffic:
        traffic = Traffic(console=self.driver.get_log("browser"))
        urls: dict[str, str] = {}
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message["method"], message.get("params", {})
            if method == "Network.requestWillBeSent":
                urls[params["requestId"]] = params["request"]["url"]
                traffic.requests.append(params["request"]["url"])
            elif method == "Network.responseReceived":
                traffic.statuses[params["response"]["url"]] = params["response"]["status"]
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                traffic.failed.append(f"{urls.get(params['requestId'])}: {params['errorText']}")
            elif method == "Network.dataReceived":
                traffic.decoded += int(params.get("dataLength", 0))
            elif method == "Network.loadingFinished":
                traffic.bytes += int(params.get("encodedDataLength", 0))
        return traffic

    def reset(self) -> None:
        self.traffic()  # reading the logs empties them


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.is_file():
            pytest.fail(
                f"{path} is missing: apt-get install chromium chromium-driver fonts-noto-cjk"
            )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=en-US",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield Browser(driver)
    finally:
        with contextlib.suppress(Exception):
            driver.quit()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    for language, rate in SEARCH_RATES.items():
        terminalreporter.write_line(f"search hit rate, {language}: {rate}")
    for language, weight in SEARCH_WEIGHTS.items():
        terminalreporter.write_line(f"heaviest page with its search loaded, {language}: {weight}")
    shots = sorted(SCREENSHOTS.glob("*.png")) if SCREENSHOTS.is_dir() else []
    if shots:
        terminalreporter.write_line(f"screenshots ({len(shots)}) in {SCREENSHOTS}")
