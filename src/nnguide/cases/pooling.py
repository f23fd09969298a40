"""Verification cases of the pooling modules (torch/nn/modules/pooling.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

import torch.nn as nn
import torch.nn.functional as F

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


def _pool_cases() -> None:
    shapes = {1: (2, 3, 11), 2: (2, 3, 9, 8), 3: (1, 2, 7, 6, 6)}
    for n, shape in shapes.items():
        unbatched = shape[1:]
        for tag, kw in {
            "k2": dict(kernel_size=2),
            "k3-s2-p1-ceil": dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            "k3-dil2-indices": dict(kernel_size=3, dilation=2, padding=1, return_indices=True),
        }.items():
            cls = getattr(nn, f"MaxPool{n}d")
            CASES.one(cls.__name__, tag, partial(cls, **kw), [shape, unbatched])
        avg: dict[str, dict[str, Any]] = {
            "k2": dict(kernel_size=2),
            "k3-s2-p1-ceil-nopad": dict(
                kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False
            ),
        }
        if n > 1:
            avg["divisor3"] = dict(kernel_size=2, divisor_override=3)
        for tag, kw in avg.items():
            cls = getattr(nn, f"AvgPool{n}d")
            CASES.one(cls.__name__, tag, partial(cls, **kw), [shape])
        lp: dict[str, dict[str, Any]] = {
            "p2-k2": dict(norm_type=2, kernel_size=2),
            "p1.5-k3-s2-ceil": dict(norm_type=1.5, kernel_size=3, stride=2, ceil_mode=True),
        }
        for tag, kw in lp.items():
            cls = getattr(nn, f"LPPool{n}d")
            CASES.one(cls.__name__, tag, partial(cls, **kw), [shape], positive=True)
        sizes: list[Any] = [3, (2,) * n if n > 1 else 4]
        if n > 1:
            sizes.append((None,) + (2,) * (n - 1))
        for size in sizes:
            for base in ("AdaptiveAvgPool", "AdaptiveMaxPool"):
                cls = getattr(nn, f"{base}{n}d")
                CASES.one(cls.__name__, f"size={size}", partial(cls, size), [shape, unbatched])
        cls = getattr(nn, f"AdaptiveMaxPool{n}d")
        CASES.one(cls.__name__, "indices", partial(cls, 2, return_indices=True), [shape])

        pool = getattr(F, f"max_pool{n}d")
        unpool = getattr(nn, f"MaxUnpool{n}d")

        def unpool_make(
            g: _Gen, pool: Any = pool, unpool: Any = unpool, shape: Any = shape
        ) -> _Made:
            out, idx = pool(g.randn(*shape), 2, 2, return_indices=True)
            return unpool(2, 2), (out, idx), {}

        def unpool_size(
            g: _Gen, pool: Any = pool, unpool: Any = unpool, shape: Any = shape
        ) -> _Made:
            out, idx = pool(g.randn(*shape), 2, 2, return_indices=True)
            return unpool(2, 2), (out, idx), {"output_size": list(shape[2:])}

        CASES.case(unpool.__name__, "k2", unpool_make)
        CASES.case(unpool.__name__, "output_size", unpool_size)
    for n in (2, 3):
        cls = getattr(nn, f"FractionalMaxPool{n}d")
        shape = shapes[n]
        CASES.one(cls.__name__, "k2-size3", partial(cls, 2, output_size=3), [shape])
        CASES.one(
            cls.__name__,
            "k3-ratio0.5-indices",
            partial(cls, 3, output_ratio=0.5, return_indices=True),
            [shape],
        )

        def fixed(g: _Gen, cls: Any = cls, shape: Any = shape, n: int = n) -> _Made:
            samples = g.rand(shape[0], shape[1], n)
            return cls(2, output_size=3, _random_samples=samples), (g.randn(*shape),), {}

        CASES.case(cls.__name__, "fixed-samples", fixed)


_pool_cases()
