"""The verification cases: modules and inputs on which each module and its form must agree.

:func:`verification_cases` holds, for every mapped module, the cases on which its
functional form is checked against it; ``nnguide.verification`` runs them, for the test
suite, ``python -m nnguide table`` and the reference page alike. They are written in one
file per family of modules, named as in ``torch/nn/modules/`` (``activation.py``,
``conv.py``, ``loss.py``, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from nnguide.cases import (
    activation,
    channelshuffle,
    conv,
    distance,
    dropout,
    flatten,
    fold,
    linear,
    loss,
    normalization,
    padding,
    pixelshuffle,
    pooling,
    sparse,
    upsampling,
)
from nnguide.cases._base import _Gen, _Made

__all__ = ["Case", "verification_cases"]


@dataclass(frozen=True)
class Case:
    """One verification case: a module and inputs on which module and form must agree.

    Args:
        module: the registry name of the module (``"Conv2d"``).
        id: a unique, readable id (``"Conv2d-reflect-stride2"``).
        make: builds ``(module, args, kwargs)`` from a seeded input factory.
        fast_path: the entry's tolerances apply to this case in eval mode: the case
            where MultiheadAttention takes its fused path. That path also needs
            ``no_grad`` here, as it is not taken while grad is enabled and a projection
            weight requires grad (parameters do by default).
        no_grad: run the module and the form under ``torch.no_grad()``.
    """

    module: str
    id: str
    make: Callable[[_Gen], _Made]
    fast_path: bool = False
    no_grad: bool = False

    def build(self, dtype: torch.dtype) -> _Made:
        """Build the module (cast to ``dtype``) and its inputs, reproducibly.

        Args:
            dtype: ``torch.float32`` or ``torch.float64``.

        Returns:
            ``(module, args, kwargs)``; the global RNG is left as it was.

        Examples:

            >>> case = verification_cases("Linear")[0]
            >>> m, args, kwargs = case.build(torch.float64)
            >>> m.weight.dtype, args[0].dtype
            (torch.float64, torch.float64)
            >>> rng = torch.get_rng_state()
            >>> again = case.build(torch.float64)
            >>> torch.equal(again[1][0], args[0]), torch.equal(again[0].weight, m.weight)
            (True, True)
            >>> torch.equal(torch.get_rng_state(), rng)
            True
        """
        seed = sum(ord(c) * (i + 1) for i, c in enumerate(self.id)) % (2**31)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            m, args, kwargs = self.make(_Gen(dtype, seed))
        return m.to(dtype), args, kwargs


# Every family's cases, by module, in the order they are written.
_FAMILIES = (
    activation,
    linear,
    conv,
    pooling,
    normalization,
    dropout,
    sparse,
    loss,
    padding,
    pixelshuffle,
    channelshuffle,
    upsampling,
    fold,
    flatten,
    distance,
)
_CASES: dict[str, list[Case]] = {}
for _family in _FAMILIES:
    for _spec in _family.CASES.specs:
        _CASES.setdefault(_spec.module, []).append(
            Case(
                _spec.module,
                f"{_spec.module}-{_spec.id}",
                _spec.make,
                _spec.fast_path,
                _spec.no_grad,
            )
        )


def verification_cases(module: str | None = None) -> list[Case]:
    """The verification cases, of one module or of all.

    Args:
        module: a registry name (``"Conv2d"``), or ``None`` for all cases.

    Returns:
        The cases; an empty list for a module without cases.

    Examples:

        >>> len(verification_cases("Conv2d")) > 3
        True
        >>> verification_cases("LSTM")
        []
    """
    if module is None:
        return [c for cs in _CASES.values() for c in cs]
    return list(_CASES.get(module, []))
