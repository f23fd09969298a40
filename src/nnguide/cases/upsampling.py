"""Verification cases of Upsample and its fixed-mode variants (torch/nn/modules/upsampling.py)."""

from __future__ import annotations

from functools import partial

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _upsampling_cases() -> None:
    for tag, kw, shape in (
        ("nearest-x2", dict(scale_factor=2), (1, 2, 3, 4)),
        (
            "bilinear-size-align",
            dict(size=(5, 7), mode="bilinear", align_corners=True),
            (1, 2, 3, 4),
        ),
        (
            "bicubic-x1.5-recompute",
            dict(scale_factor=1.5, mode="bicubic", recompute_scale_factor=True),
            (1, 2, 4, 4),
        ),
        ("linear-1d", dict(scale_factor=3, mode="linear"), (2, 3, 4)),
        ("trilinear-3d", dict(size=(3, 4, 5), mode="trilinear"), (1, 2, 2, 3, 3)),
        ("nearest-exact", dict(scale_factor=1.7, mode="nearest-exact"), (1, 2, 5, 5)),
    ):
        CASES.one("Upsample", tag, partial(nn.Upsample, **kw), [shape])
    CASES.one(
        "UpsamplingNearest2d", "x2", lambda: nn.UpsamplingNearest2d(scale_factor=2), [(1, 2, 3, 4)]
    )
    CASES.one(
        "UpsamplingNearest2d", "size", lambda: nn.UpsamplingNearest2d(size=(5, 7)), [(1, 2, 3, 4)]
    )
    CASES.one(
        "UpsamplingBilinear2d",
        "x2",
        lambda: nn.UpsamplingBilinear2d(scale_factor=2),
        [(1, 2, 3, 4)],
    )
    CASES.one(
        "UpsamplingBilinear2d", "size", lambda: nn.UpsamplingBilinear2d(size=(5, 6)), [(1, 2, 3, 4)]
    )


_upsampling_cases()
