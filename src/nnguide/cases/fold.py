"""Verification cases of Fold and Unfold (torch/nn/modules/fold.py)."""

from __future__ import annotations

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _fold_cases() -> None:
    CASES.one("Fold", "k2", lambda: nn.Fold((4, 5), 2), [(2, 12, 12), (12, 12)])
    CASES.one(
        "Fold",
        "k2-s2-p1-d1",
        lambda: nn.Fold((4, 4), 2, dilation=1, padding=1, stride=2),
        [(1, 8, 9)],
    )
    CASES.one("Unfold", "k2", lambda: nn.Unfold(2), [(2, 3, 4, 5)])
    CASES.one(
        "Unfold",
        "k3-d2-p1-s2",
        lambda: nn.Unfold(3, dilation=2, padding=1, stride=2),
        [(1, 2, 6, 7)],
    )


_fold_cases()
