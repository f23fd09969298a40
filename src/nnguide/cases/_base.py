"""What every family of verification cases is written with: seeded inputs and a collector.

:class:`Family` collects one family's cases in the order they are written;
:mod:`nnguide.cases` makes a :class:`~nnguide.cases.Case` of each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import torch
import torch.nn as nn
from torch import Tensor

__all__ = ["Family", "Spec"]


class _Gen:
    """Seeded input factory for one case and dtype."""

    def __init__(self, dtype: torch.dtype, seed: int) -> None:
        self.dtype = dtype
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, *shape: int, scale: float = 1.0) -> Tensor:
        return torch.randn(shape, generator=self.g, dtype=self.dtype) * scale

    def rand(self, *shape: int) -> Tensor:
        return torch.rand(shape, generator=self.g, dtype=self.dtype)

    def randint(self, low: int, high: int, *shape: int) -> Tensor:
        return torch.randint(low, high, shape, generator=self.g)

    def sign(self, *shape: int) -> Tensor:
        return self.randint(0, 2, *shape).to(self.dtype) * 2 - 1


_Made = tuple[nn.Module, tuple[Any, ...], dict[str, Any]]


class Spec(NamedTuple):
    """One case as a family writes it; ``id`` is the part after ``"<module>-"``."""

    module: str
    id: str
    make: Callable[[_Gen], _Made]
    fast_path: bool = False
    no_grad: bool = False


class Family:
    """The verification cases of one family of modules, in the order they are written."""

    def __init__(self) -> None:
        self.specs: list[Spec] = []

    def case(
        self,
        module: str,
        id: str,
        make: Callable[[_Gen], _Made],
        *,
        fast_path: bool = False,
        no_grad: bool = False,
    ) -> None:
        """A case of ``torch.nn.<module>``, kept only when the installed torch has the class."""
        if isinstance(getattr(nn, module, None), type):
            self.specs.append(Spec(module, id, make, fast_path, no_grad))

    def one(
        self,
        module: str,
        id: str,
        ctor: Callable[[], nn.Module],
        shapes: list[tuple[int, ...]],
        scale: float = 1.0,
        positive: bool = False,
    ) -> None:
        """Cases for a one-input module on several input shapes."""
        for shape in shapes:

            def make(g: _Gen, shape: tuple[int, ...] = shape) -> _Made:
                x = g.rand(*shape) + 0.1 if positive else g.randn(*shape, scale=scale)
                return ctor(), (x,), {}

            self.case(module, f"{id}-{'x'.join(map(str, shape))}", make)

    def two(
        self, module: str, id: str, ctor: Callable[[], nn.Module], shape: tuple[int, ...]
    ) -> None:
        """A case for a two-input module, on two inputs of the same shape."""

        def make(g: _Gen) -> _Made:
            return ctor(), (g.randn(*shape), g.randn(*shape)), {}

        self.case(module, id, make)
