"""Writing build products so that a rebuild with nothing changed stays a no-op.

Not a Sphinx extension: a helper of ``nnguide_inventories`` (conf.py's inventories),
``nnguide_sitemap``, ``nnguide_assets``, ``nnguide_images``, ``nnguide_search`` and
``nnguide_downloads`` (files written at ``build-finished``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def is_site_build(app: Any) -> bool:
    """Whether ``app`` builds the web site (``html``), not the EPUB, whose builder is one
    of Sphinx's HTML builders too: the site's index, downloads and images are its own."""
    return bool(app.builder.name == "html")


def write_if_changed(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` unless the file already holds it; returns ``path``.

    An unchanged file keeps its modification time, so neither Sphinx nor a web server
    sees a change where there is none (keeps rebuilds incremental).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path
