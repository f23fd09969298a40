"""Verification cases of Flatten and Unflatten (torch/nn/modules/flatten.py)."""

from __future__ import annotations

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _flatten_cases() -> None:
    CASES.one("Flatten", "default", lambda: nn.Flatten(), [(2, 3, 4), (5, 2)])
    CASES.one("Flatten", "0-to-1", lambda: nn.Flatten(0, 1), [(2, 3, 4)])
    CASES.one("Unflatten", "1-(2,3)", lambda: nn.Unflatten(1, (2, 3)), [(4, 6, 5)])
    CASES.one("Unflatten", "-1-(2,-1)", lambda: nn.Unflatten(-1, (2, -1)), [(4, 6)])


_flatten_cases()
