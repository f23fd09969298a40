"""Verification cases of the dropout modules (torch/nn/modules/dropout.py)."""

from __future__ import annotations

from functools import partial

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _dropout_cases() -> None:
    table: dict[str, list[tuple[int, ...]]] = {
        "Dropout": [(20,), (4, 5, 6)],
        "Dropout1d": [(2, 4, 6), (4, 6)],
        "Dropout2d": [(2, 4, 5, 5)],
        "Dropout3d": [(2, 4, 3, 3, 3), (4, 3, 3, 3)],
        "AlphaDropout": [(20,), (4, 5, 6)],
        "FeatureAlphaDropout": [(2, 4, 5, 5)],
    }
    for name, shapes in table.items():
        cls = getattr(nn, name)
        CASES.one(name, "p0.3", partial(cls, 0.3), shapes)
        if "Alpha" not in name:
            CASES.one(name, "p0.5-inplace", partial(cls, 0.5, inplace=True), shapes[:1])


_dropout_cases()
