"""Fewer blocking requests: one stylesheet for the extensions' ten, their scripts deferred.

Sphinx extension. On a phone's connection every stylesheet in ``<head>`` and every
script without ``defer`` delays the first paint by a round trip. The theme's own
stylesheet stays as it is; the extensions' stylesheets (Pygments, myst-nb,
sphinx-gallery, sphinx-design, copybutton, ours) become one file,
``_static/nnguide-bundle.css``, in the same order; their scripts run deferred, in the
same order.

Events:

- ``html-page-context`` (priority 900, after every extension has added its files):
  the page links the bundle in place of the stylesheets it holds, and defers scripts;
- ``build-finished`` (priority 900, after myst-nb writes its stylesheet): writes the
  bundle, and only when its content changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from nnguide_files import write_if_changed
from sphinx.application import Sphinx

BUNDLE = "_static/nnguide-bundle.css"
SYNC_SCRIPTS = {"_static/documentation_options.js"}  # the theme's inline scripts read it


def _bundled(app: Sphinx) -> list[Any]:
    """The site-wide stylesheets that go into the bundle, in their order."""
    stylesheets = dict.fromkeys(getattr(app.builder, "_orig_css_files", None) or [])
    return [
        css
        for css in sorted(stylesheets, key=lambda css: css.priority)
        # Directly in _static/, so that their url()s stay right in the bundle beside them.
        if css.filename.startswith("_static/")
        and css.filename.count("/") == 1
        and set(css.attributes) <= {"rel", "type"}
        and css.attributes.get("rel", "stylesheet") == "stylesheet"
    ]


def _bundle_assets(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Link the bundle instead of the stylesheets it holds; defer the page's scripts."""
    from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

    bundled = set(_bundled(app))
    css_files = context.get("css_files")
    if bundled and css_files is not None:
        kept = [css for css in css_files if css not in bundled]
        first = min((i for i, css in enumerate(css_files) if css in bundled), default=0)
        kept.insert(min(first, len(kept)), _CascadingStyleSheet(BUNDLE, priority=500))
        css_files[:] = kept
    scripts = context.get("script_files")
    if scripts is not None:
        scripts[:] = [
            _JavaScript(js.filename, priority=js.priority, **{**js.attributes, "defer": "defer"})
            if js.filename
            and js.filename.startswith("_static/")
            and js.filename not in SYNC_SCRIPTS
            and not {"defer", "async"} & set(js.attributes)
            else js
            for js in scripts
        ]


def _write_bundle(app: Sphinx, exception: Exception | None) -> None:
    """Concatenate the bundled stylesheets, each under a comment naming it."""
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    parts = [
        f"/* {css.filename} */\n" + (out / css.filename).read_text(encoding="utf-8")
        for css in _bundled(app)
    ]
    write_if_changed(out / BUNDLE, "\n".join(parts).encode())


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect ``html-page-context`` and ``build-finished``, both late (priority 900)."""
    app.connect("html-page-context", _bundle_assets, priority=900)
    app.connect("build-finished", _write_bundle, priority=900)  # after myst-nb writes its CSS
    return {"parallel_read_safe": True, "parallel_write_safe": True}
