"""The module-to-function registry: every ``torch.nn`` module and its functional form.

For every public :class:`torch.nn.Module` subclass that the *installed* ``torch.nn``
exports, the registry says which public function computes what the module's
``forward`` computes (its *counterpart*), how the module's state (parameters,
buffers, hyper-parameters, ``training``) maps onto the call, or why there is no
such function (:class:`Unmapped`).

The list of modules is enumerated from ``dir(torch.nn)`` at run time, and every
count is computed from the installed torch, never typed in. A module that this
registry does not know yet (a newer torch) still gets an :class:`Entry`, with the
reason ``Unmapped.UNCLASSIFIED``, and the test suite fails on it.

The counterpart rule: a public function of :mod:`torch.nn.functional` where one
computes the module's result exactly (bit for bit on the verification cases, except
within the :class:`Tolerance` an entry lists), else a public function of :mod:`torch`.
When the module's ``forward`` itself calls a different (equivalent) function,
the entry names it in ``Entry.via``.
"""

from __future__ import annotations

import enum
import importlib
import inspect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch.nn as nn
import torch.nn.functional as F

from nnguide.registry.table import FUNCTIONAL as _F
from nnguide.registry.table import SPECS as _SPECS

__all__ = [
    "Entry",
    "Tolerance",
    "Unmapped",
    "entry",
    "public_functions",
    "registry",
    "registry_counts",
    "resolve",
    "unmapped_functions",
]


class Unmapped(enum.Enum):
    """Why a ``torch.nn`` module has no functional counterpart."""

    CONTAINER = "holds other modules or parameters; computes nothing of its own"
    BASE_CLASS = "an abstract base class; its forward is unimplemented"
    WRAPPER = "wraps another module to run it elsewhere (devices, processes)"
    COMPOSITION = "composes several modules; its functional form is a composition of calls"
    RNN_INTERNAL = "runs a private _VF kernel (torch._VF.lstm, ...); torch.nn.functional has no RNN"
    PRIVATE_FUNCTION = "runs a private autograd Function; no public function computes the same"
    IDENTITY = "returns its input unchanged; there is no function to call"
    UNCLASSIFIED = "not yet classified by nnguide (a torch newer than this registry)"


@dataclass(frozen=True)
class Tolerance:
    """A tolerance an entry needs in its verification, and why.

    Args:
        rtol: relative tolerance for ``torch.testing.assert_close``.
        atol: absolute tolerance for ``torch.testing.assert_close``.
        dtype: the dtype it applies to (``"float32"`` or ``"float64"``).
        reason: why the module and its functional form are not bit-identical.
    """

    rtol: float
    atol: float
    dtype: str
    reason: str


@dataclass(frozen=True)
class Entry:
    """One ``torch.nn`` module and its functional counterpart, or why it has none.

    Args:
        module: the class name in ``torch.nn`` (``"Conv2d"``).
        counterpart: qualified name of the function (``"torch.nn.functional.conv2d"``),
            or ``None`` when unmapped.
        state: how the module's state maps onto the call.
        reason: why there is no counterpart (``None`` when mapped).
        via: what the module's ``forward`` calls when that is not the counterpart
            itself (``Tensor.flatten`` for :class:`~torch.nn.Flatten`).
        aliases: other public functions that compute the same for some state
            (``*_with_indices`` variants, in-place ``*_`` variants, deprecated aliases).
        tolerances: tolerances the verification needs; empty means bit-identical.
        note: anything else a reader should know.
    """

    module: str
    counterpart: str | None
    state: str
    reason: Unmapped | None = None
    via: str | None = None
    aliases: tuple[str, ...] = ()
    tolerances: tuple[Tolerance, ...] = ()
    note: str = ""

    @property
    def mapped(self) -> bool:
        """Whether the module has a counterpart."""
        return self.counterpart is not None

    @property
    def module_class(self) -> type[nn.Module]:
        """The class ``torch.nn.<module>`` in the installed torch."""
        cls = getattr(nn, self.module)
        assert isinstance(cls, type) and issubclass(cls, nn.Module)
        return cls

    def function(self) -> Callable[..., Any]:
        """The counterpart function object (raises ``ValueError`` when unmapped)."""
        if self.counterpart is None:
            raise ValueError(
                f"torch.nn.{self.module} has no functional counterpart "
                f"({self.reason.name if self.reason else 'unknown'}); expected a mapped entry"
            )
        return resolve(self.counterpart)


def resolve(qualname: str) -> Callable[..., Any]:
    """Return the function object named by a qualified name.

    Args:
        qualname: a dotted name such as ``"torch.nn.functional.conv2d"`` or
            ``"torch.Tensor.flatten"``.

    Returns:
        The callable it names in the installed torch.

    Examples:

        >>> import torch
        >>> from nnguide.registry import resolve
        >>> resolve("torch.nn.functional.relu") is torch.nn.functional.relu
        True
    """
    modname, _, attr = qualname.rpartition(".")
    try:
        obj: Any = importlib.import_module(modname)
    except ImportError:
        owner, _, cls = modname.rpartition(".")
        obj = getattr(importlib.import_module(owner), cls)
    fn = getattr(obj, attr, None)
    if not callable(fn):
        raise ValueError(f"expected {qualname!r} to name a callable in torch, got {fn!r}")
    return fn  # type: ignore[no-any-return]


# Public names of torch.nn.functional that are not functions of tensors: the
# argument checker and the torch-function dispatch helpers re-exported there.
_HELPER_MODULES = ("torch._C", "torch.overrides", "torch._jit_internal", "typing")
_HELPER_NAMES = frozenset({"assert_int_or_pair"})


def _module_names() -> list[str]:
    out = []
    for name in dir(nn):
        obj = getattr(nn, name)
        if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, nn.Module):
            out.append(name)
    return sorted(out)


def registry() -> list[Entry]:
    """One :class:`Entry` per public ``torch.nn.Module`` subclass in the installed torch.

    Returns:
        The entries, sorted by module name. A class unknown to nnguide gets the
        reason ``Unmapped.UNCLASSIFIED``. In-place variants (``relu_`` for
        ``relu``) are added to an entry's aliases when ``torch.nn.functional`` has them.

    Examples:

        >>> conv = entry("Conv2d")
        >>> conv.counterpart
        'torch.nn.functional.conv2d'
        >>> entry("Sequential").reason
        <Unmapped.CONTAINER: 'holds other modules or parameters; computes nothing of its own'>
        >>> len(registry()) == registry_counts()["modules"]
        True
        >>> names = [e.module for e in registry()]
        >>> names == sorted(names)
        True
    """
    fnames = set(public_functions())
    out = []
    for name in _module_names():
        spec = _SPECS.get(name)
        if spec is None:
            out.append(Entry(name, None, "", Unmapped.UNCLASSIFIED))
            continue
        reason = None if spec.reason is None else Unmapped[spec.reason]
        aliases = spec.aliases
        if spec.counterpart and spec.counterpart.startswith(_F):
            inplace = spec.counterpart[len(_F) :] + "_"
            if inplace in fnames:
                aliases = (*aliases, _F + inplace)
        out.append(
            Entry(
                name,
                spec.counterpart,
                spec.state,
                reason,
                spec.via,
                aliases,
                tuple(Tolerance(**tolerance) for tolerance in spec.tolerances),
                spec.note,
            )
        )
    return out


def entry(module: str | type[nn.Module] | nn.Module) -> Entry:
    """The registry entry of one module, given its name, class or an instance.

    Args:
        module: ``"Conv2d"``, ``torch.nn.Conv2d`` or ``torch.nn.Conv2d(1, 1, 3)``.

    Returns:
        Its :class:`Entry`. Lazy modules that have materialised have the class
        they became, so their entry is that of the non-lazy class.

    Examples:

        >>> import torch
        >>> entry(torch.nn.ReLU()).counterpart
        'torch.nn.functional.relu'
        >>> lazy = torch.nn.LazyLinear(2)
        >>> _ = lazy(torch.ones(1, 3))
        >>> entry(lazy).module
        'Linear'
    """
    if isinstance(module, nn.Module):
        name = type(module).__name__
    elif isinstance(module, type):
        name = module.__name__
    elif isinstance(module, str):
        name = module
    else:
        raise TypeError(
            "expected a torch.nn.Module, a Module subclass or a class name, "
            f"got {type(module).__name__}"
        )
    for e in registry():
        if e.module == name:
            return e
    raise KeyError(f"expected the name of a public torch.nn module, got {name!r}")


def public_functions() -> list[str]:
    """The public functions of :mod:`torch.nn.functional` in the installed torch.

    Returns:
        Sorted names of the routines in ``dir(torch.nn.functional)`` that do not
        start with ``_``, less the re-exported dispatch helpers
        (``has_torch_function``, ``boolean_dispatch``, ...) and ``assert_int_or_pair``.

    Examples:

        >>> "conv2d" in public_functions(), "has_torch_function" in public_functions()
        (True, False)
    """
    out = []
    for name in dir(F):
        obj = getattr(F, name)
        if name.startswith("_") or not inspect.isroutine(obj) or name in _HELPER_NAMES:
            continue
        if getattr(obj, "__module__", None) in _HELPER_MODULES:
            continue
        out.append(name)
    return sorted(out)


def unmapped_functions() -> list[str]:
    """The public ``torch.nn.functional`` functions that no module's entry names.

    Returns:
        The sorted names that are neither the counterpart, the ``via`` nor an alias of
        any entry (``scaled_dot_product_attention``, ``one_hot``, ``normalize``, ...).

    Examples:

        >>> fns = unmapped_functions()
        >>> "one_hot" in fns, "conv2d" in fns
        (True, False)
    """
    used = set()
    for e in registry():
        for q in (e.counterpart, e.via, *e.aliases):
            if q and q.startswith(_F):
                used.add(q[len(_F) :])
    return [f for f in public_functions() if f not in used]


def registry_counts() -> dict[str, int]:
    """Counts of the registry alone, computed from the installed torch.

    Returns:
        What :func:`nnguide.counts` returns less ``verified``, which needs the
        verification run: ``modules``, ``mapped``, ``unmapped``, one
        ``unmapped.<REASON>`` per reason present, ``with_tolerance``, ``functions``
        (public ``torch.nn.functional`` functions) and ``functions_without_module``.

    Examples:

        >>> c = registry_counts()
        >>> c["modules"] == c["mapped"] + c["unmapped"]
        True
        >>> print(*sorted(key for key in c if not key.startswith("unmapped.")))
        functions functions_without_module mapped modules unmapped with_tolerance
    """
    entries = registry()
    reasons = Counter(e.reason.name for e in entries if e.reason is not None)
    out = {
        "modules": len(entries),
        "mapped": sum(e.mapped for e in entries),
        "unmapped": sum(not e.mapped for e in entries),
    }
    out.update({f"unmapped.{k}": v for k, v in sorted(reasons.items())})
    out["with_tolerance"] = sum(bool(e.tolerances) for e in entries)
    out["functions"] = len(public_functions())
    out["functions_without_module"] = len(unmapped_functions())
    return out
