"""Offline intersphinx inventories for PyTorch and Python, written from what is installed.

The build makes no network request, so instead of fetching PyTorch's ``objects.inv`` this
module writes a small one from the installed torch, with PyTorch's URL scheme; Python's
builtins get the same treatment for type hints such as ``int`` and ``None``.

Not a Sphinx extension and no event: ``conf.py`` calls :func:`offline_intersphinx_mapping`
while it is read, and hands the result to ``sphinx.ext.intersphinx`` as
``intersphinx_mapping`` (tests/test_reference.py does the same for its small projects).
Intersphinx reads an inventory from a URL or from a file; this module writes the file.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import sys
import warnings
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import torch
import torch.nn.functional as F
from nnguide_files import write_if_changed
from torch import nn

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
    for name, obj in _public(nn.Module):
        if callable(obj):
            yield (
                f"torch.nn.Module.{name}",
                "py:method",
                f"generated/torch.nn.Module.html#torch.nn.Module.{name}",
            )
    yield from _further_entries()


# The further namespaces the part-3 chapters name: (module, page), where ``page`` is
# "generated" when PyTorch gives each public object a page of its own
# (``generated/<name>.html``), or the one page that documents them all.
FURTHER = (
    ("torch.nn.utils", "generated"),
    ("torch.nn.utils.parametrize", "generated"),
    ("torch.nn.utils.parametrizations", "generated"),
    ("torch.nn.parallel", "generated"),
    ("torch.nn.attention", "generated"),
    ("torch.compiler", "generated"),
    ("torch.ao.quantization", "generated"),
    ("torch.ao.quantization.quantize_fx", "generated"),
    ("torch.ao.nn.quantized", "generated"),
    ("torch.distributed", "distributed.html"),
    ("torch.distributed.fsdp", "distributed.fsdp.fully_shard.html"),
    ("torch.utils.checkpoint", "checkpoint.html"),
    ("torch.utils.benchmark", "benchmark_utils.html"),
    ("torch.fx", "fx.html"),
    ("torch.export", "export.html"),
)
# Module-level functions documented under torch.nn.modules.module's own pages.
GLOBAL_HOOKS = (
    "register_module_forward_hook",
    "register_module_forward_pre_hook",
    "register_module_full_backward_hook",
    "register_module_buffer_registration_hook",
    "register_module_module_registration_hook",
    "register_module_parameter_registration_hook",
)


def _role(mod: object, name: str) -> str | None:
    """``py:class`` or ``py:function`` for a public object, None for others and deprecated ones."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a name that warns when touched is deprecated: not linked
        try:
            obj = getattr(mod, name, None)
            if isinstance(obj, type):
                return "py:class"
            if inspect.isfunction(obj) or inspect.isbuiltin(obj):
                return "py:function"
        except Warning:
            pass
    return None


def _further_entries() -> Iterator[Entry]:
    """Classes and functions of :data:`FURTHER`, and the global module hooks."""
    for mod_name, page in FURTHER:
        try:
            mod = importlib.import_module(mod_name)
        except ImportError:  # e.g. a torch built without distributed support
            continue
        names = getattr(mod, "__all__", None) or [n for n in dir(mod) if not n.startswith("_")]
        for name in sorted(set(names)):
            role = _role(mod, name)
            if role is None:
                continue
            full = f"{mod_name}.{name}"
            uri = f"generated/{full}.html" if page == "generated" else f"{page}#{full}"
            if role == "py:class":
                yield from _class_entries(full, getattr(mod, name), uri)
            else:
                yield full, role, uri
    for name in GLOBAL_HOOKS:
        full = f"torch.nn.modules.module.{name}"
        yield full, "py:function", f"generated/{full}.html"


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


def offline_intersphinx_mapping(folder: Path) -> dict[str, tuple[str, str]]:
    """Write both inventories into ``folder`` and return an ``intersphinx_mapping``."""
    torch_inv = inventory_bytes("PyTorch", torch.__version__, torch_entries())
    py_version = f"{sys.version_info.major}.{sys.version_info.minor}"
    python_inv = inventory_bytes("Python", py_version, python_entries())
    return {
        "torch": (torch_docs_url(), str(write_if_changed(folder / "torch.inv", torch_inv))),
        "python": (python_docs_url(), str(write_if_changed(folder / "python.inv", python_inv))),
    }
