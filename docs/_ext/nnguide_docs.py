"""Build helpers for the nnguide site: offline inventories and the gallery reset.

Kept out of ``conf.py`` so that tests can import and check them, and so that
sphinx-gallery can name the reset function by its dotted path (a string keeps
the Sphinx configuration picklable, hence incremental builds incremental).
"""

from __future__ import annotations

import builtins
import html
import inspect
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import torch
import torch.nn.functional as F
from docutils import nodes
from torch import nn

# --------------------------------------------------------------------------------------
# Offline intersphinx inventories
# --------------------------------------------------------------------------------------
# The build makes no network request, so instead of fetching PyTorch's objects.inv we
# write a small one from the installed torch, with PyTorch's URL scheme. Python's
# builtins get the same treatment for type hints such as ``int`` and ``None``.

Entry = tuple[str, str, str]  # (name, "domain:role", uri relative to the base URL)


def torch_docs_url() -> str:
    """PyTorch's documentation for the installed release, e.g. ``.../docs/2.13/``."""
    major, minor = torch.__version__.split("+")[0].split(".")[:2]
    return f"https://docs.pytorch.org/docs/{major}.{minor}/"


def python_docs_url() -> str:
    """Python's documentation for the running interpreter, e.g. ``.../3.11/``."""
    return f"https://docs.python.org/{sys.version_info.major}.{sys.version_info.minor}/"


def _public(module: object) -> Iterator[tuple[str, object]]:
    for name in sorted(dir(module)):
        if not name.startswith("_"):
            yield name, getattr(module, name)


def _class_entries(public: str, cls: type, uri: str) -> Iterator[Entry]:
    """A class under its public name and under its defining path.

    Autodoc writes type hints with the defining path (``torch.nn.modules.module.Module``),
    readers write the public one (``torch.nn.Module``); both must resolve.
    """
    yield public, "py:class", uri
    canonical = f"{cls.__module__}.{cls.__qualname__}"
    if canonical != public:
        yield canonical, "py:class", uri


def torch_entries() -> Iterator[Entry]:
    """Every object of torch, torch.nn and torch.nn.functional the guide may name."""
    for mod, page in [
        ("torch", "torch.html"),
        ("torch.nn", "nn.html"),
        ("torch.nn.functional", "nn.functional.html"),
        ("torch.func", "func.html"),
        ("torch.testing", "testing.html"),
        ("torch.nn.init", "nn.init.html"),
        ("torch.optim", "optim.html"),
        ("torch.utils.data", "data.html"),
    ]:
        yield mod, "py:module", f"{page}#module-{mod}"

    for name, obj in _public(nn):
        if isinstance(obj, type) and issubclass(obj, (nn.Module, torch.Tensor)):
            yield from _class_entries(f"torch.nn.{name}", obj, f"generated/torch.nn.{name}.html")
    for name, obj in _public(F):
        is_own_function = inspect.isfunction(obj) and obj.__module__ == F.__name__
        if is_own_function or inspect.isbuiltin(obj):
            uri = f"generated/torch.nn.functional.{name}.html"
            yield f"torch.nn.functional.{name}", "py:function", uri
    for name in sorted(torch.__all__):
        obj = getattr(torch, name, None)
        if inspect.isfunction(obj) or inspect.isbuiltin(obj):
            yield f"torch.{name}", "py:function", f"generated/torch.{name}.html"
    for name, obj in _public(torch.Tensor):
        if callable(obj):
            yield f"torch.Tensor.{name}", "py:method", f"generated/torch.Tensor.{name}.html"

    yield "torch.Tensor", "py:class", "tensors.html"
    yield "torch.Size", "py:class", "size.html"
    for name in ("dtype", "device", "layout"):
        yield f"torch.{name}", "py:class", "tensor_attributes.html"
    yield from _class_entries("torch.Generator", torch.Generator, "generated/torch.Generator.html")
    yield "torch.testing.assert_close", "py:function", "testing.html"
    for name in torch.func.__all__:
        yield f"torch.func.{name}", "py:function", f"generated/torch.func.{name}.html"
    for name, obj in _public(torch.nn.init):
        if inspect.isfunction(obj) and obj.__module__ == torch.nn.init.__name__:
            yield f"torch.nn.init.{name}", "py:function", "nn.init.html"
    for name, obj in _public(torch.optim):
        if isinstance(obj, type) and issubclass(obj, torch.optim.Optimizer):
            yield from _class_entries(
                f"torch.optim.{name}", obj, f"generated/torch.optim.{name}.html"
            )
    for name in ("DataLoader", "Dataset", "TensorDataset"):
        cls = getattr(torch.utils.data, name)
        yield from _class_entries(f"torch.utils.data.{name}", cls, "data.html")


_STDTYPES = {"str", "bytes", "list", "tuple", "dict", "set", "frozenset", "range", "memoryview"}


def python_entries() -> Iterator[Entry]:
    """Python's builtins and the few standard-library names that type hints use."""
    for name, obj in sorted(vars(builtins).items()):
        if name.startswith("_") or not isinstance(obj, type):
            continue
        if issubclass(obj, BaseException):
            yield name, "py:exception", "library/exceptions.html"
        elif name in _STDTYPES:
            yield name, "py:class", "library/stdtypes.html"
        else:
            yield name, "py:class", "library/functions.html"
    for name in ("None", "True", "False", "Ellipsis", "NotImplemented"):
        yield name, "py:data", "library/constants.html"
    for name in ("Callable", "Iterable", "Iterator", "Mapping", "Sequence", "MutableMapping"):
        yield f"collections.abc.{name}", "py:class", "library/collections.abc.html"
    for name in ("Any", "Literal", "TypeAlias", "NamedTuple", "Protocol"):
        yield f"typing.{name}", "py:data", "library/typing.html"
    yield "pathlib.Path", "py:class", "library/pathlib.html"
    yield "enum.Enum", "py:class", "library/enum.html"
    for module in ("random", "enum", "pathlib", "typing", "os"):
        yield module, "py:module", f"library/{module}.html#module-{module}"
    yield "os.PathLike", "py:class", "library/os.html"


def inventory_bytes(project: str, version: str, entries: Iterable[Entry]) -> bytes:
    """Serialise entries in Sphinx's inventory format, version 2.

    Every entry links to its anchor (``#name``) on its page; duplicates collapse.
    """
    seen: dict[tuple[str, str], str] = {}
    for name, role, uri in entries:
        seen.setdefault((name, role), f"{uri}#{name}" if "#" not in uri else uri)
    lines = "".join(f"{name} {role} 1 {uri} -\n" for (name, role), uri in sorted(seen.items()))
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    return header.encode() + zlib.compress(lines.encode())


def write_if_changed(path: Path, data: bytes) -> Path:
    """Write ``data`` unless the file already holds it (keeps rebuilds incremental)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def offline_intersphinx_mapping(folder: Path) -> dict[str, tuple[str, str]]:
    """Write both inventories into ``folder`` and return an ``intersphinx_mapping``."""
    torch_inv = inventory_bytes("PyTorch", torch.__version__, torch_entries())
    py_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    python_inv = inventory_bytes("Python", py_version, python_entries())
    return {
        "torch": (torch_docs_url(), str(write_if_changed(folder / "torch.inv", torch_inv))),
        "python": (python_docs_url(), str(write_if_changed(folder / "python.inv", python_inv))),
    }


# --------------------------------------------------------------------------------------
# Reset torch's global state between gallery scripts
# --------------------------------------------------------------------------------------
# All gallery scripts run in the Sphinx process, one after another. A script that seeds,
# switches on deterministic algorithms, changes the default dtype or the thread count
# would otherwise leak that into the next one.


def _torch_globals() -> dict[str, object]:
    return {
        "rng_state": torch.random.get_rng_state(),
        "deterministic": torch.are_deterministic_algorithms_enabled(),
        "deterministic_warn_only": torch.is_deterministic_algorithms_warn_only_enabled(),
        "default_dtype": torch.get_default_dtype(),
        "num_threads": torch.get_num_threads(),
        "grad_enabled": torch.is_grad_enabled(),
        "cudnn_deterministic": torch.backends.cudnn.deterministic,
        "cudnn_benchmark": torch.backends.cudnn.benchmark,
    }


_INITIAL = _torch_globals()


def torch_globals() -> dict[str, object]:
    """Torch's process-wide settings that a script can change (for tests)."""
    return _torch_globals()


def initial_torch_globals() -> dict[str, object]:
    """The settings captured when the build started, which ``reset_torch`` restores."""
    return dict(_INITIAL)


def reset_torch(gallery_conf: object, fname: str) -> None:
    """sphinx-gallery ``reset_modules`` hook: restore torch's settings of start-up."""
    state = _INITIAL
    torch.random.set_rng_state(state["rng_state"])  # type: ignore[arg-type]
    torch.use_deterministic_algorithms(
        bool(state["deterministic"]), warn_only=bool(state["deterministic_warn_only"])
    )
    torch.set_default_dtype(state["default_dtype"])  # type: ignore[arg-type]
    torch.set_num_threads(int(state["num_threads"]))  # type: ignore[call-overload]
    torch.set_grad_enabled(bool(state["grad_enabled"]))
    torch.backends.cudnn.deterministic = bool(state["cudnn_deterministic"])
    torch.backends.cudnn.benchmark = bool(state["cudnn_benchmark"])


# --------------------------------------------------------------------------------------
# Languages: the switcher, <link hreflang>, Chinese search
# --------------------------------------------------------------------------------------
# Sphinx's language code, the folder it is built into, its BCP 47 tag for <html lang>
# and hreflang, its Read the Docs slug, and its name written in itself.
LANGUAGES: dict[str, dict[str, str]] = {
    "en": {"folder": "en", "tag": "en", "rtd": "en", "name": "English", "og": "en_US"},
    "zh_CN": {"folder": "zh_CN", "tag": "zh-CN", "rtd": "zh-cn", "name": "简体中文", "og": "zh_CN"},
}


def language_from_rtd(rtd_language: str) -> str:
    """Map Read the Docs' language (``zh-cn``) onto Sphinx's code (``zh_CN``)."""
    for code, facts in LANGUAGES.items():
        if facts["rtd"] == rtd_language.lower():
            return code
    expected = ", ".join(facts["rtd"] for facts in LANGUAGES.values())
    raise ValueError(f"unknown READTHEDOCS_LANGUAGE {rtd_language!r}; expected one of {expected}")


def twin_url(pagename: str, target_uri: str, language: str, rtd_version: str | None) -> str:
    """URL of the same page in ``language``, from the page ``pagename``.

    Locally each language is a sibling folder (``en/``, ``zh_CN/``), so the link climbs
    out of this language's folder. Read the Docs serves ``/<slug>/<version>/``. The 404
    page is served at any depth, so its links start from the server's root.
    """
    facts = LANGUAGES[language]
    if rtd_version:
        return f"/{facts['rtd']}/{rtd_version}/{target_uri}"
    if pagename == NOT_FOUND:
        return f"/{facts['folder']}/{target_uri}"
    return "../" * (pagename.count("/") + 1) + f"{facts['folder']}/{target_uri}"


# On Read the Docs each language is its own project, served under /<slug>/<version>/.
RTD_VERSION = os.environ.get("READTHEDOCS_VERSION") if os.environ.get("READTHEDOCS") else None
NOT_FOUND = "404"  # the custom 404 page's docname (sphinx-notfound-page's default)


def language_root(site_url: str, language: str, rtd_version: str | None = None) -> str:
    """Where ``language`` is hosted: ``<site>/<slug>/<version>/``, as Read the Docs serves it.

    Search engines and Open Graph get these absolute URLs (``latest`` outside Read the
    Docs); the site's own links stay relative, so the local build works from any folder.
    """
    if not site_url.endswith("/"):
        raise ValueError(f"nnguide_site_url must end with '/', got {site_url!r}")
    return f"{site_url}{LANGUAGES[language]['rtd']}/{rtd_version or 'latest'}/"


def url_prefix(language: str, rtd_version: str | None) -> str:
    """The path under which ``language`` is served: where the 404 page's links start."""
    facts = LANGUAGES[language]
    return f"/{facts['rtd']}/{rtd_version}/" if rtd_version else f"/{facts['folder']}/"


def _add_alternates(app, pagename, templatename, context, doctree) -> None:  # type: ignore[no-untyped-def]
    target = app.builder.get_target_uri(pagename)
    site = app.config.nnguide_site_url
    context["nnguide_alternates"] = [
        {
            "code": code,
            "tag": facts["tag"],
            "name": facts["name"],
            "url": twin_url(pagename, target, code, RTD_VERSION),
            "absolute": language_root(site, code, RTD_VERSION) + target,
            "current": code == app.config.language,
        }
        for code, facts in LANGUAGES.items()
    ]
    context["nnguide_language_tag"] = LANGUAGES[app.config.language]["tag"]
    context["nnguide_og_locale"] = LANGUAGES[app.config.language]["og"]
    if pagename == NOT_FOUND:
        # Served at any depth: the scripts must find the search index from the root too.
        context["content_root"] = url_prefix(app.config.language, RTD_VERSION)


# --------------------------------------------------------------------------------------
# Hosting: base URL, description, Open Graph, sitemap, 404 page
# --------------------------------------------------------------------------------------
# The site's address is one configuration value, ``nnguide_site_url`` in conf.py; every
# absolute URL (canonical, hreflang, Open Graph, sitemap) is derived from it here.

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
DESCRIPTION_LENGTH = 160  # search engines show about this many characters
_META_DESCRIPTION = re.compile(r'<meta\s+content="([^"]*)"\s+name="description"')


def _configure_hosting(app, config) -> None:  # type: ignore[no-untyped-def]
    """Canonical URLs under this language's root; the 404 page's links from its prefix."""
    config.html_baseurl = language_root(config.nnguide_site_url, config.language, RTD_VERSION)
    config.notfound_urls_prefix = url_prefix(config.language, RTD_VERSION)


def summary(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """``text`` on one line, cut at a word (or, in Chinese, a character) before ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut and cut.isascii():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，；：、") + "…"


def first_paragraph(doctree: nodes.document) -> str | None:
    """The text of the page's first paragraph of prose (not a note, not a table)."""
    skip = (nodes.Admonition, nodes.table, nodes.sidebar, nodes.topic, nodes.field_list)
    for paragraph in doctree.findall(nodes.paragraph):
        parent = paragraph.parent
        inside = False
        while parent is not None:
            if isinstance(parent, skip):
                inside = True
                break
            parent = parent.parent
        text = paragraph.astext().strip()
        if not inside and text:
            return text
    return None


def _anchor_not_found_links(app, doctree, docname) -> None:  # type: ignore[no-untyped-def]
    """The 404 page's own links, made absolute like its theme links (notfound does those)."""
    if docname != NOT_FOUND:
        return
    prefix = url_prefix(app.config.language, RTD_VERSION)
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if uri and not is_absolute(uri):
            reference["refuri"] = prefix + uri


def is_absolute(uri: str) -> bool:
    """True for ``https://...``, ``mailto:...``, ``/path`` and ``#anchor``."""
    return uri.startswith(("/", "#")) or ":" in uri.split("/", 1)[0]


def _describe(app, pagename, templatename, context, doctree) -> None:  # type: ignore[no-untyped-def]
    """Every page gets a description, in its own language, for search engines and cards.

    A page's ``myst.html_meta.description`` (translated through its catalog like any
    other message) wins; otherwise the first paragraph of the translated page; otherwise
    (search, indices) the site's description from the ``sphinx`` catalog.
    """
    from sphinx.locale import get_translation

    metatags = context.get("metatags", "")
    found = _META_DESCRIPTION.search(metatags)
    if found:
        description = html.unescape(found.group(1))
    else:
        text = first_paragraph(doctree) if doctree is not None else None
        description = summary(text or str(get_translation("sphinx")(SITE_DESCRIPTION)))
        metatags += f'\n<meta name="description" content="{html.escape(description)}" />'
        context["metatags"] = metatags
    context["nnguide_description"] = description


def sitemap_xml(pages: list[str], roots: dict[str, str], own: str) -> bytes:
    """A sitemap of ``pages`` (target URIs) under ``roots[own]``, each with its twins."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">',
    ]
    for page in pages:
        lines.append(f"  <url><loc>{html.escape(roots[own] + page)}</loc>")
        for code, root in roots.items():
            tag = LANGUAGES[code]["tag"]
            href = html.escape(root + page)
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{tag}" href="{href}"/>')
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()


def _write_sitemap(app, exception) -> None:  # type: ignore[no-untyped-def]
    if exception is not None or app.builder.format != "html":
        return
    site = app.config.nnguide_site_url
    roots = {code: language_root(site, code, RTD_VERSION) for code in LANGUAGES}
    pages = [
        app.builder.get_target_uri(docname)
        for docname in sorted(app.env.found_docs)
        if docname != NOT_FOUND
    ]
    out = Path(app.outdir)
    write_if_changed(out / "sitemap.xml", sitemap_xml(pages, roots, app.config.language))


# --------------------------------------------------------------------------------------
# Fewer blocking requests: one stylesheet for the extensions' ten, scripts deferred
# --------------------------------------------------------------------------------------
# On a phone's connection every stylesheet in <head> and every script without ``defer``
# delays the first paint by a round trip. The theme's own stylesheet stays as it is; the
# extensions' stylesheets (Pygments, myst-nb, sphinx-gallery, sphinx-design, copybutton,
# ours) become one file, in the same order; their scripts run deferred, in the same order.

BUNDLE = "_static/nnguide-bundle.css"
SYNC_SCRIPTS = {"_static/documentation_options.js"}  # the theme's inline scripts read it


def _bundled(app) -> list:  # type: ignore[no-untyped-def]
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


def _bundle_assets(app, pagename, templatename, context, doctree) -> None:  # type: ignore[no-untyped-def]
    from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

    bundled = set(_bundled(app))
    css_files = context.get("css_files")
    if bundled and css_files is not None:
        kept = [css for css in css_files if css not in bundled]
        first = min((i for i, css in enumerate(css_files) if css in bundled), default=0)
        kept.insert(min(first, len(kept)), _CascadingStyleSheet(BUNDLE, priority=500))
        css_files[:] = kept
    scripts = context.get("script_files")
    # The search page's own scripts (searchtools.js) run at once and need doctools.js.
    if scripts is not None and pagename != "search":
        scripts[:] = [
            _JavaScript(js.filename, priority=js.priority, **{**js.attributes, "defer": "defer"})
            if js.filename
            and js.filename.startswith("_static/")
            and js.filename not in SYNC_SCRIPTS
            and not {"defer", "async"} & set(js.attributes)
            else js
            for js in scripts
        ]


def _write_bundle(app, exception) -> None:  # type: ignore[no-untyped-def]
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    parts = [
        f"/* {css.filename} */\n" + (out / css.filename).read_text(encoding="utf-8")
        for css in _bundled(app)
    ]
    write_if_changed(out / BUNDLE, "\n".join(parts).encode())


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


def _size_images(app, pagename, templatename, context, doctree) -> None:  # type: ignore[no-untyped-def]
    """Give every figure its width and height, so the page keeps its place as it loads.

    The figures that the pages and examples draw carry no size; the browser reserves no
    room for them and the text jumps when they arrive (layout shift). nnguide.css keeps
    them fluid (``height: auto``) while the attributes give their aspect ratio.
    """
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


# --------------------------------------------------------------------------------------
# Math as MathML: the browser renders it, nothing is loaded (MathJax would come from a CDN)
# --------------------------------------------------------------------------------------


def mathml(latex: str, display: str = "inline") -> str:
    """LaTeX as a MathML ``<math>`` element (``\\text{in\\_features}`` keeps its ``_``)."""
    from latex2mathml.converter import convert

    latex = re.sub(
        r"\\text\{([^}]*)\}", lambda m: "\\text{" + m[1].replace("\\_", "_") + "}", latex
    )
    return convert(latex, display=display)


def _visit_math(self, node) -> None:  # type: ignore[no-untyped-def]
    self.body.append(mathml(node.astext()))
    raise nodes.SkipNode


def _visit_displaymath(self, node) -> None:  # type: ignore[no-untyped-def]
    self.body.append(self.starttag(node, "div", CLASS="math"))
    self.body.append(mathml(node.astext(), display="block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _depart_nothing(self, node) -> None:  # type: ignore[no-untyped-def]
    """Never called: the visitors skip the node."""


def _chinese_search_workaround() -> None:
    """Sphinx 9.0's zh search page calls an undefined ``ChineseStemmer`` (sphinx#14229).

    The Chinese indexer already ships the English stemmer's JavaScript; naming the
    language "English" makes the page instantiate that stemmer, which exists.
    """
    from sphinx.search.zh import SearchChinese

    SearchChinese.language_name = "English"


# Interface strings that reach the page without passing through a template's _() that
# Sphinx's gettext builder sees: the theme's "More" menu, and myst-nb's toggle of hidden
# code, which is a configuration value. They are translated in the ``sphinx`` catalog.
# The site's description, for pages without text of their own (search, indices).
SITE_DESCRIPTION = (
    "torch.nn or torch.nn.functional? A verified, bilingual guide whose every example "
    "runs when the site is built."
)
UNEXTRACTED_MESSAGES = (
    "More",
    "Show code cell {type}",
    "Hide code cell {type}",
    SITE_DESCRIPTION,
)


def _translate_config(app, config) -> None:  # type: ignore[no-untyped-def]
    from sphinx.locale import get_translation

    _ = get_translation("sphinx")
    config.nb_code_prompt_show = str(_("Show code cell {type}"))
    config.nb_code_prompt_hide = str(_("Hide code cell {type}"))


def setup(app):  # type: ignore[no-untyped-def]
    _chinese_search_workaround()
    app.add_config_value("nnguide_site_url", "", "html", types=[str])
    app.add_html_math_renderer(
        "mathml", (_visit_math, _depart_nothing), (_visit_displaymath, _depart_nothing)
    )
    app.connect("config-inited", _translate_config)
    app.connect("config-inited", _configure_hosting)
    app.connect("html-page-context", _add_alternates)
    app.connect("html-page-context", _describe)
    app.connect("doctree-resolved", _anchor_not_found_links)
    app.connect("html-page-context", _bundle_assets, priority=900)
    app.connect("html-page-context", _size_images)
    app.connect("build-finished", _write_sitemap)
    app.connect("build-finished", _write_bundle, priority=900)  # after myst-nb writes its CSS
    return {"parallel_read_safe": True, "parallel_write_safe": True}
