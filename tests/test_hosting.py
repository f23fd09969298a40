"""Hosting helpers, without a build: URLs, descriptions, sitemap, MathML, the local server.

The built site itself (sitemap entries, Open Graph, the 404 page, third-party loads, page
weights) is checked in tests/test_site.py, on a fresh build.
"""

from __future__ import annotations

import gzip
import struct
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from nnguide_hosting import NOT_FOUND, language_root, twin_url, url_prefix
from nnguide_images import png_size
from nnguide_languages import LANGUAGES
from nnguide_mathml import mathml
from nnguide_meta import summary
from nnguide_sitemap import sitemap_xml
from site_checks import css_loads, html_loads, is_remote, page_weight, serve

SITE = "https://example.org/"


@pytest.mark.parametrize(
    ("language", "version", "expected"),
    [
        ("en", None, "https://example.org/en/latest/"),
        ("zh_CN", None, "https://example.org/zh-cn/latest/"),
        ("zh_CN", "stable", "https://example.org/zh-cn/stable/"),
    ],
)
def test_language_root_follows_read_the_docs_paths(language, version, expected):
    assert language_root(SITE, language, version) == expected


def test_language_root_wants_a_trailing_slash():
    with pytest.raises(ValueError, match="must end with '/'"):
        language_root("https://example.org", "en")


def test_the_404_page_links_from_the_root():
    assert url_prefix("zh_CN", None) == "/zh_CN/"
    assert url_prefix("zh_CN", "latest") == "/zh-cn/latest/"
    assert twin_url(NOT_FOUND, "404.html", "en", None) == "/en/404.html"


def test_summary_cuts_english_at_a_word_and_chinese_at_a_character():
    english = summary("word " * 60, limit=30)
    assert english.endswith("word…") and len(english) <= 30
    chinese = summary("原地操作" * 60, limit=30)
    assert len(chinese) == 30 and chinese.endswith("…")
    assert summary("  short\n text ") == "short text"


def test_sitemap_lists_each_page_with_every_language():
    roots = {code: language_root(SITE, code) for code in LANGUAGES}
    xml = sitemap_xml(["index.html", "auto_examples/plot_x.html"], roots, "zh_CN")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ElementTree.fromstring(xml).findall("s:url", ns)
    assert [u.find("s:loc", ns).text for u in urls] == [
        "https://example.org/zh-cn/latest/index.html",
        "https://example.org/zh-cn/latest/auto_examples/plot_x.html",
    ]
    links = {link.get("hreflang"): link.get("href") for link in urls[0].findall("x:link", ns)}
    assert links == {"en": roots["en"] + "index.html", "zh-CN": roots["zh_CN"] + "index.html"}


def test_math_becomes_mathml_with_text_kept_literal():
    inline = mathml(r"H_{in} = \text{in\_features}")
    assert inline.startswith("<math") and 'display="inline"' in inline
    assert "<mtext>in_features</mtext>" in inline
    assert 'display="block"' in mathml(r"H, W \ge 2", display="block")


def write_png(path: Path, width: int, height: int) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"".join(b"\0" + b"\0" * width for _ in range(height)))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )
    return path


def test_png_size_reads_the_header(tmp_path: Path):
    assert png_size(write_png(tmp_path / "a.png", 7, 3)) == (7, 3)
    (tmp_path / "b.png").write_bytes(b"not a png at all, just text....")
    assert png_size(tmp_path / "b.png") is None
    assert png_size(tmp_path / "missing.png") is None


@pytest.mark.parametrize(
    ("url", "remote"),
    [
        ("https://cdn.example.org/x.js", True),
        ("//cdn.example.org/x.js", True),
        ("_static/x.js", False),
        ("/en/_static/x.js", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_is_remote(url: str, remote: bool):
    assert is_remote(url) is remote


@pytest.fixture
def mini_site(tmp_path: Path) -> Path:
    """Two languages with one page each, a stylesheet that loads an image, and a 404 page."""
    for language in ("en", "zh_CN"):
        root = tmp_path / language
        (root / "_static").mkdir(parents=True)
        (root / "_static" / "a.css").write_text(
            '@import "b.css"; .x { background: url("pic.svg"); } '
            '@font-face { src: url("font.woff2"); }'
        )
        (root / "_static" / "b.css").write_text("p { color: red }")
        (root / "_static" / "pic.svg").write_bytes(b"<svg/>" * 100)
        (root / "_static" / "font.woff2").write_bytes(b"\0" * 5000)
        (root / "index.html").write_text(
            '<html><head><link rel="stylesheet" href="_static/a.css">'
            '<link rel="canonical" href="https://elsewhere.org/">'
            '<script src="_static/missing.js"></script></head>'
            '<body><a href="https://elsewhere.org/">out</a></body></html>'
        )
        (root / "404.html").write_text(f"<html><body>not found ({language})</body></html>")
    return tmp_path


def test_html_loads_lists_what_the_browser_fetches(mini_site: Path):
    loads = html_loads(mini_site / "en" / "index.html")
    assert loads == ["_static/a.css", "_static/missing.js"]  # not canonical, not <a>
    assert css_loads(mini_site / "en" / "_static" / "a.css") == ["b.css", "pic.svg", "font.woff2"]


def test_page_weight_counts_stylesheets_loads_but_not_fonts(mini_site: Path):
    page = mini_site / "en" / "index.html"
    weight, missing = page_weight(page, mini_site)
    files = ("_static/a.css", "_static/b.css", "_static/pic.svg")
    expected = page.stat().st_size + sum((mini_site / "en" / f).stat().st_size for f in files)
    assert weight == expected
    assert missing == [(mini_site / "en" / "_static" / "missing.js").resolve()]


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_server_answers_a_missing_path_with_the_languages_404_page(mini_site: Path):
    with serve(mini_site) as base:
        status, _, body = fetch(f"{base}/zh_CN/deep/down/nowhere.html")
        assert status == 404 and b"not found (zh_CN)" in body
        status, _, body = fetch(f"{base}/nowhere.html")
        assert status == 404 and b"not found (en)" in body


def test_server_compresses_text_for_a_browser_that_accepts_it(mini_site: Path):
    with serve(mini_site) as base:
        status, headers, body = fetch(f"{base}/en/index.html", **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(body) == (mini_site / "en" / "index.html").read_bytes()
        status, headers, body = fetch(f"{base}/en/index.html")
        assert "Content-Encoding" not in headers
        assert body == (mini_site / "en" / "index.html").read_bytes()


def test_palette_png_keeps_the_picture_in_fewer_bytes():
    import matplotlib

    matplotlib.use("Agg")
    import io

    import matplotlib.pyplot as plt
    from nnguide_images import palette_png
    from PIL import Image

    figure, axes = plt.subplots(figsize=(4, 2.8), dpi=100)
    axes.plot(range(50), [x * x for x in range(50)], "o-")
    axes.set_title("a thumbnail")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    original = buffer.getvalue()
    smaller = palette_png(original)
    assert smaller is not None and len(smaller) < len(original) / 2
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(smaller)) as after:
        assert after.mode == "P" and after.size == before.size
        # The same picture: no pixel far from the original (no dithering noise).
        a, b = before.convert("RGBA"), after.convert("RGBA")
        worst = max(abs(x - y) for x, y in zip(a.tobytes(), b.tobytes(), strict=True))
        assert worst <= 24, worst
    assert palette_png(smaller) is None  # a palette PNG is left as it is
