"""Checks of the built site that need no browser: what each page loads, and its weight.

Used by tests/test_site.py (on a fresh build) and by ``nox -s audit`` (on docs/_build),
which prints the heaviest pages.
"""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "docs" / "_ext") not in sys.path:
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from nnguide_languages import LANGUAGES  # noqa: E402

BUDGET = 1_000_000  # bytes: a page with everything it loads
# Web fonts a stylesheet declares load only when some text needs their glyphs (the theme
# draws its icons as SVG from fontawesome.js, so its icon fonts never load); the browser
# tests measure what really loads. Every other url() of a stylesheet counts.
LAZY = {".woff", ".woff2", ".ttf", ".otf", ".eot"}
# <link rel=...> values that make the browser fetch the target.
LOADING_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


class _LoadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in {"script", "img", "iframe", "source", "audio", "video", "embed"}:
            if a.get("src"):
                self.urls.append(str(a["src"]))
            for candidate in (a.get("srcset") or "").split(","):
                if candidate.strip():
                    self.urls.append(candidate.split()[0])
        elif tag == "link" and set((a.get("rel") or "").lower().split()) & LOADING_RELS:
            if a.get("href"):
                self.urls.append(str(a["href"]))
        elif tag == "object" and a.get("data"):
            self.urls.append(str(a["data"]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def html_loads(page: Path) -> list[str]:
    """Every URL that ``page``'s markup loads (scripts, stylesheets, images, icons...)."""
    parser = _LoadParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def css_loads(stylesheet: Path) -> list[str]:
    """Every ``url(...)`` and ``@import`` of a stylesheet, data: URIs left out."""
    text = stylesheet.read_text(encoding="utf-8", errors="replace")
    found = [m[2] or m[4] for m in _CSS_URL.finditer(text)]
    return [url for url in found if not url.startswith(("data:", "#"))]


def is_remote(url: str) -> bool:
    """True for a URL with a host of its own (``https://...``, ``//cdn...``)."""
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in {"", "data", "blob"}


def local_file(base: Path, url: str, root: Path) -> Path | None:
    """The file a relative (or root-relative) URL names, or None if it is not local."""
    if is_remote(url):
        return None
    path = unquote(urlsplit(url).path)
    if not path:
        return None
    target = (root / path.lstrip("/")) if path.startswith("/") else (base / path)
    return target.resolve()


def third_party_loads(html_root: Path) -> dict[str, list[str]]:
    """{file: remote URLs it loads} over every built page and stylesheet."""
    found: dict[str, list[str]] = {}
    for page in sorted(html_root.rglob("*.html")):
        remote = [url for url in html_loads(page) if is_remote(url)]
        if remote:
            found[str(page.relative_to(html_root))] = remote
    for sheet in sorted(html_root.rglob("*.css")):
        remote = [url for url in css_loads(sheet) if is_remote(url)]
        if remote:
            found[str(sheet.relative_to(html_root))] = remote
    return found


def file_weight(path: Path, served: bool) -> int:
    """Bytes of ``path`` on disk, or as a host sends it (text gzip-compressed) if ``served``."""
    if served and path.suffix in COMPRESSED:
        return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
    return path.stat().st_size


def page_weight(page: Path, root: Path, served: bool = False) -> tuple[int, list[Path]]:
    """Bytes of ``page`` plus every local file it loads (stylesheets' own loads, fonts aside).

    ``root`` is what a leading ``/`` means (the server's root). Files missing on disk are
    returned too, so that a test can name them. With ``served``, text files count as the
    gzip-compressed bytes that :func:`serve` (like any web host) sends over the wire:
    a page's weight as a reader downloads it.
    """
    seen: set[Path] = set()
    missing: list[Path] = []
    total = file_weight(page, served)
    queue = [(page.parent, url) for url in html_loads(page)]
    while queue:
        base, url = queue.pop()
        target = local_file(base, url, root)
        if target is None or target in seen:
            continue
        seen.add(target)
        if not target.is_file():
            missing.append(target)
            continue
        total += file_weight(target, served)
        if target.suffix == ".css":
            queue.extend(
                (target.parent, inner)
                for inner in css_loads(target)
                if Path(urlsplit(inner).path).suffix not in LAZY
            )
    return total, missing


def pages(html_root: Path) -> list[Path]:
    """The site's HTML pages (not the downloads or the static files)."""
    skip = {"_static", "_downloads", "_images", "_sources"}
    return sorted(p for p in html_root.rglob("*.html") if not skip & set(p.parts))


def weights(html_root: Path) -> list[tuple[int, str]]:
    """(bytes as served, page) for every page, heaviest first."""
    rows = [
        (page_weight(p, html_root, served=True)[0], str(p.relative_to(html_root)))
        for p in pages(html_root)
    ]
    return sorted(rows, reverse=True)


# --------------------------------------------------------------------------------------
# Serving the built site as a host does
# --------------------------------------------------------------------------------------
LANGUAGE_FOLDERS = tuple(LANGUAGES)  # each language is built into a folder named by its code
# What a host such as Read the Docs compresses on the way out.
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".map"}


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site as a host does: compressed, and a missing path gets the 404 page.

    The 404 page is the language's own (``/zh_CN/...`` gets ``zh_CN/404.html``), sent
    with status 404 at the address that was asked for, whatever its depth.
    """

    def do_GET(self) -> None:
        """Text files go out gzip-compressed when the browser accepts it, as hosts send them."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        first = urlsplit(self.path).path.lstrip("/").split("/", 1)[0]
        language = first if first in LANGUAGE_FOLDERS else LANGUAGE_FOLDERS[0]
        body = (Path(self.directory) / language / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test or the audit reports what matters."""


@contextmanager
def serve(html_root: Path) -> Iterator[str]:
    """Serve ``html_root`` on 127.0.0.1 (a free port); yields the base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(html_root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# --------------------------------------------------------------------------------------
# A gallery script as a reader runs it: alone, where nnguide cannot be imported
# --------------------------------------------------------------------------------------
_BLOCK_NNGUIDE = textwrap.dedent(
    """
    import importlib.abc, runpy, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "nnguide" or name.startswith("nnguide."):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
            return None

    sys.meta_path.insert(0, Block())
    runpy.run_path(sys.argv[1], run_name="__main__")
    """
)


def run_without_nnguide(script: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a new Python (this one's) in which ``import nnguide`` fails."""
    return subprocess.run(
        [sys.executable, "-c", _BLOCK_NNGUIDE, str(script)],
        cwd=cwd,
        env={**os.environ, "MPLBACKEND": "Agg"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
