"""Verification cases of the convolutions and transposed convolutions (torch/nn/modules/conv.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

import torch.nn as nn

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


_SPATIAL = {1: (9,), 2: (7, 6), 3: (5, 5, 4)}


def _conv_cases() -> None:
    for n, sp in _SPATIAL.items():
        conv, convt = getattr(nn, f"Conv{n}d"), getattr(nn, f"ConvTranspose{n}d")
        variants: dict[str, dict[str, Any]] = {
            "default": {},
            "stride2-pad1-dil2-groups2-nobias": dict(
                stride=2, padding=1, dilation=2, groups=2, bias=False
            ),
            "same-dil2": dict(padding="same", dilation=2),
            "valid": dict(padding="valid", stride=2),
            "reflect": dict(padding=1, padding_mode="reflect"),
            "replicate-stride2": dict(padding=2, stride=2, padding_mode="replicate"),
            "circular-groups4": dict(padding=1, groups=4, padding_mode="circular"),
            "same-reflect-dil2": dict(padding="same", dilation=2, padding_mode="reflect"),
        }
        if n == 2:
            variants["asym-pad-circular"] = dict(padding=(1, 2), padding_mode="circular")
        for tag, kw in variants.items():

            def make(g: _Gen, conv: Any = conv, kw: dict[str, Any] = kw, sp: Any = sp) -> _Made:
                return conv(4, 8, 3, **kw), (g.randn(2, 4, *sp),), {}

            CASES.case(conv.__name__, tag, make)
        CASES.one(conv.__name__, "unbatched", partial(conv, 4, 6, 2, padding=1), [(4, *sp)])

        def lazy(g: _Gen, n: int = n, sp: Any = sp) -> _Made:
            m = getattr(nn, f"LazyConv{n}d")(
                6, 3, padding=1, padding_mode="circular", dtype=g.dtype
            )
            m(g.randn(1, 4, *sp))
            return m, (g.randn(2, 4, *sp),), {}

        CASES.case(f"LazyConv{n}d", "circular", lazy)

        tvariants: dict[str, dict[str, Any]] = {
            "default": {},
            "stride2-pad1-outpad1-groups2-dil2-nobias": dict(
                stride=2, padding=1, output_padding=1, groups=2, dilation=2, bias=False
            ),
        }
        for tag, kw in tvariants.items():

            def tmake(g: _Gen, convt: Any = convt, kw: dict[str, Any] = kw, sp: Any = sp) -> _Made:
                return convt(4, 6, 3, **kw), (g.randn(2, 4, *sp),), {}

            CASES.case(convt.__name__, tag, tmake)

        def tsize(g: _Gen, convt: Any = convt, sp: Any = sp) -> _Made:
            m = convt(4, 6, 3, stride=2, padding=1)
            size = [(s - 1) * 2 - 2 + 3 + 1 for s in sp]  # minimal size + 1
            return m, (g.randn(2, 4, *sp),), {"output_size": size}

        CASES.case(convt.__name__, "output_size", tsize)
        CASES.one(convt.__name__, "unbatched", partial(convt, 4, 6, 2), [(4, *sp)])

        def tlazy(g: _Gen, n: int = n, sp: Any = sp) -> _Made:
            m = getattr(nn, f"LazyConvTranspose{n}d")(6, 3, stride=2, dtype=g.dtype)
            m(g.randn(1, 4, *sp))
            return m, (g.randn(2, 4, *sp),), {}

        CASES.case(f"LazyConvTranspose{n}d", "stride2", tlazy)


_conv_cases()
