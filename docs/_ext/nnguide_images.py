"""Every figure gets its width and height, so the page keeps its place as it loads.

Sphinx extension. The figures that the pages and examples draw carry no size; the
browser reserves no room for them and the text jumps when they arrive (layout shift).
nnguide.css keeps them fluid (``height: auto``) while the attributes give their aspect
ratio. Sizes are read from the PNG files' headers: the pages' images (Sphinx's
``builder.images``) and sphinx-gallery's figures, which it writes into
``<gallery>/images/`` and links itself.

The gallery's thumbnails (``sphx_glr_*_thumb.png``, 400 x 280, about 25 kB each) are
line plots in a few colours stored as full-colour PNGs: the gallery page, which shows
them all, weighed about 680 kB. They are written again as 128-colour palette PNGs
without dithering (:func:`palette_png`): a quarter of the bytes, and side by side with
the originals at full size we saw no difference.

Events: ``html-page-context``, which adds ``width`` and ``height`` to each ``<img>`` of
the page's body that has neither; ``build-finished``, which rewrites the thumbnails
that Sphinx copied into ``_images/``.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from nnguide_files import is_site_build
from sphinx.application import Sphinx


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG file from its header, or None if it is not one."""
    try:
        with path.open("rb") as file:
            header = file.read(24)
    except OSError:
        return None
    if len(header) < 24 or header[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def _size_images(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Give each unsized ``<img>`` of the page the size of the PNG file it shows."""
    body = context.get("body")
    if not body or "<img" not in body:
        return
    sources = {Path(dest).name: Path(app.srcdir) / src for src, dest in app.builder.images.items()}
    # sphinx-gallery writes its figures' <img> itself, from <gallery>/images/.
    gallery = app.config.sphinx_gallery_conf.get("gallery_dirs", [])
    for folder in [gallery] if isinstance(gallery, str) else gallery:
        for figure in (Path(app.srcdir) / folder / "images").glob("*.png"):
            sources.setdefault(figure.name, figure)

    def sized(match: re.Match[str]) -> str:
        tag = match.group(0)
        src = re.search(r'\ssrc="([^"]+)"', tag)
        if src is None or re.search(r"\s(width|height)=", tag):
            return tag
        source = sources.get(Path(src[1].split("?")[0]).name)
        size = png_size(source) if source else None
        if size is None:
            return tag
        return tag.replace("<img ", f'<img width="{size[0]}" height="{size[1]}" ', 1)

    context["body"] = re.sub(r"<img\b[^>]*>", sized, body)


THUMBNAILS = "sphx_glr_*_thumb.png"
PALETTE = 128  # colours


def palette_png(data: bytes, colours: int = PALETTE) -> bytes | None:
    """``data`` (a PNG) as a palette PNG of ``colours`` colours, or None if it is one already.

    Transparency is kept (the palette holds alpha); colours are not dithered, so lines
    and text keep their edges.
    """
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode == "P":
            return None
        quantized = image.convert("RGBA").quantize(
            colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    quantized.save(out, "PNG", optimize=True)
    return out.getvalue()


def _shrink_thumbnails(app: Sphinx, exception: Exception | None) -> None:
    """Write the gallery's thumbnails in ``_images/`` as palette PNGs, where smaller."""
    if exception is not None or not is_site_build(app):
        return
    for path in sorted(Path(app.outdir, "_images").glob(THUMBNAILS)):
        data = path.read_bytes()
        smaller = palette_png(data)
        if smaller is not None and len(smaller) < len(data):
            path.write_bytes(smaller)


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect ``html-page-context`` and ``build-finished`` (see the module docstring)."""
    app.connect("html-page-context", _size_images)
    app.connect("build-finished", _shrink_thumbnails)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
