"""Build helpers for the nnguide site: offline inventories and the gallery reset.

Kept out of ``conf.py`` so that tests can import and check them, and so that
sphinx-gallery can name the reset function by its dotted path (a string keeps
the Sphinx configuration picklable, hence incremental builds incremental).
"""

from __future__ import annotations

import builtins
import inspect
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import torch
import torch.nn.functional as F
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
    "en": {"folder": "en", "tag": "en", "rtd": "en", "name": "English"},
    "zh_CN": {"folder": "zh_CN", "tag": "zh-CN", "rtd": "zh-cn", "name": "简体中文"},
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
    out of this language's folder. Read the Docs serves ``/<slug>/<version>/``.
    """
    facts = LANGUAGES[language]
    if rtd_version:
        return f"/{facts['rtd']}/{rtd_version}/{target_uri}"
    return "../" * (pagename.count("/") + 1) + f"{facts['folder']}/{target_uri}"


# On Read the Docs each language is its own project, served under /<slug>/<version>/.
RTD_VERSION = os.environ.get("READTHEDOCS_VERSION") if os.environ.get("READTHEDOCS") else None


def _add_alternates(app, pagename, templatename, context, doctree) -> None:  # type: ignore[no-untyped-def]
    target = app.builder.get_target_uri(pagename)
    context["nnguide_alternates"] = [
        {
            "code": code,
            "tag": facts["tag"],
            "name": facts["name"],
            "url": twin_url(pagename, target, code, RTD_VERSION),
            "current": code == app.config.language,
        }
        for code, facts in LANGUAGES.items()
    ]
    context["nnguide_language_tag"] = LANGUAGES[app.config.language]["tag"]


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
UNEXTRACTED_MESSAGES = ("More", "Show code cell {type}", "Hide code cell {type}")


def _translate_config(app, config) -> None:  # type: ignore[no-untyped-def]
    from sphinx.locale import get_translation

    _ = get_translation("sphinx")
    config.nb_code_prompt_show = str(_("Show code cell {type}"))
    config.nb_code_prompt_hide = str(_("Hide code cell {type}"))


def setup(app):  # type: ignore[no-untyped-def]
    _chinese_search_workaround()
    app.connect("config-inited", _translate_config)
    app.connect("html-page-context", _add_alternates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
