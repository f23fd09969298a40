"""Verification cases of the padding modules (torch/nn/modules/padding.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _padding_cases() -> None:
    shapes = {1: (2, 3, 6), 2: (2, 3, 5, 6), 3: (1, 2, 4, 4, 4)}
    pads: dict[int, list[Any]] = {1: [2, (1, 3)], 2: [1, (1, 0, 2, 3)], 3: [1, (1, 0, 2, 1, 0, 2)]}
    for n, shape in shapes.items():
        for p in pads[n]:
            for base, extra in (
                ("ConstantPad", (1.5,)),
                ("ZeroPad", ()),
                ("ReflectionPad", ()),
                ("ReplicationPad", ()),
                ("CircularPad", ()),
            ):
                cls = getattr(nn, f"{base}{n}d")
                CASES.one(
                    cls.__name__,
                    f"pad={p}",
                    partial(cls, p, *extra),
                    [shape, shape[1:]],
                )
        cls = getattr(nn, f"ConstantPad{n}d")
        CASES.one(cls.__name__, "negative", partial(cls, (-1, 2) * n, -2.0), [shape])


_padding_cases()
