"""Verification cases of PixelShuffle and PixelUnshuffle (torch/nn/modules/pixelshuffle.py)."""

from __future__ import annotations

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _pixelshuffle_cases() -> None:
    CASES.one("PixelShuffle", "2", lambda: nn.PixelShuffle(2), [(1, 8, 3, 3), (8, 2, 3)])
    CASES.one("PixelUnshuffle", "2", lambda: nn.PixelUnshuffle(2), [(1, 2, 4, 6), (2, 4, 2)])


_pixelshuffle_cases()
