"""Verification cases of Linear, LazyLinear and Bilinear (torch/nn/modules/linear.py)."""

from __future__ import annotations

from collections.abc import Callable

import torch.nn as nn

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


def _linear_cases() -> None:
    CASES.one("Linear", "bias", lambda: nn.Linear(5, 3), [(4, 5), (2, 3, 5), (5,)])
    CASES.one("Linear", "no-bias", lambda: nn.Linear(5, 3, bias=False), [(4, 5)])

    def lazy_linear(g: _Gen) -> _Made:
        m = nn.LazyLinear(3, dtype=g.dtype)
        m(g.randn(2, 5))  # materialise
        return m, (g.randn(4, 5),), {}

    CASES.case("LazyLinear", "materialised", lazy_linear)

    def bilinear(bias: bool) -> Callable[[_Gen], _Made]:
        return lambda g: (nn.Bilinear(4, 5, 3, bias=bias), (g.randn(6, 4), g.randn(6, 5)), {})

    CASES.case("Bilinear", "bias", bilinear(True))
    CASES.case("Bilinear", "no-bias", bilinear(False))


_linear_cases()
