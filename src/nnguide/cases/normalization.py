"""Verification cases of the normalization modules (torch/nn/modules/batchnorm.py,
instancenorm.py and normalization.py).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import torch.nn as nn

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


def _norm_cases() -> None:
    bn_shapes: dict[int, list[tuple[int, ...]]] = {
        1: [(8, 4), (8, 4, 5)],
        2: [(6, 4, 3, 3)],
        3: [(4, 4, 2, 3, 3)],
    }
    bn_variants: dict[str, dict[str, Any]] = {
        "default": {},
        "momentum=None": dict(momentum=None),
        "eps-momentum-noaffine": dict(eps=1e-3, momentum=0.3, affine=False),
        "no-running-stats": dict(track_running_stats=False),
    }
    for n, shapes in bn_shapes.items():
        cls = getattr(nn, f"BatchNorm{n}d")
        for tag, kw in bn_variants.items():
            CASES.one(cls.__name__, tag, partial(cls, 4, **kw), shapes)

        def lazy_bn(g: _Gen, n: int = n, shape: Any = shapes[-1]) -> _Made:
            m = getattr(nn, f"LazyBatchNorm{n}d")(momentum=None, dtype=g.dtype)
            m(g.randn(*shape))
            return m, (g.randn(*shape),), {}

        CASES.case(f"LazyBatchNorm{n}d", "momentum=None", lazy_bn)
        icls = getattr(nn, f"InstanceNorm{n}d")
        ishape = (3, 4) + (5,) * n
        in_variants: dict[str, dict[str, Any]] = {
            "default": {},
            "affine": dict(affine=True),
            "track": dict(track_running_stats=True, momentum=0.2),
            "track-momentum=None-affine": dict(
                track_running_stats=True, momentum=None, affine=True
            ),
        }
        for tag, kw in in_variants.items():
            CASES.one(icls.__name__, tag, partial(icls, 4, **kw), [ishape, ishape[1:]])

        def lazy_in(g: _Gen, n: int = n, shape: Any = ishape) -> _Made:
            m = getattr(nn, f"LazyInstanceNorm{n}d")(
                affine=True, track_running_stats=True, dtype=g.dtype
            )
            m(g.randn(*shape))
            return m, (g.randn(*shape),), {}

        CASES.case(f"LazyInstanceNorm{n}d", "affine-track", lazy_in)
    sync: dict[str, dict[str, Any]] = {"default": {}, "momentum=None": dict(momentum=None)}
    for tag, kw in sync.items():
        CASES.one("SyncBatchNorm", tag, partial(nn.SyncBatchNorm, 4, **kw), [(6, 4, 3, 3), (6, 4)])
    CASES.one("LayerNorm", "last", lambda: nn.LayerNorm(5), [(5,), (3, 4, 5)])
    CASES.one(
        "LayerNorm",
        "2d-noaffine",
        lambda: nn.LayerNorm([4, 5], elementwise_affine=False),
        [(3, 4, 5)],
    )
    CASES.one("LayerNorm", "nobias-eps", lambda: nn.LayerNorm(5, eps=1e-3, bias=False), [(3, 5)])
    CASES.one("GroupNorm", "2-groups", lambda: nn.GroupNorm(2, 4), [(3, 4, 5), (3, 4)])
    CASES.one(
        "GroupNorm",
        "4-groups-noaffine",
        lambda: nn.GroupNorm(4, 4, eps=1e-3, affine=False),
        [(3, 4, 2, 2)],
    )
    CASES.one("LocalResponseNorm", "3", lambda: nn.LocalResponseNorm(3), [(2, 5, 4), (2, 5, 4, 4)])
    CASES.one(
        "LocalResponseNorm",
        "2-args",
        lambda: nn.LocalResponseNorm(2, alpha=1e-2, beta=0.5, k=2.0),
        [(2, 5, 3, 3, 2)],
    )
    CASES.one("RMSNorm", "last", lambda: nn.RMSNorm(5), [(5,), (3, 4, 5)])
    CASES.one(
        "RMSNorm",
        "2d-eps-noaffine",
        lambda: nn.RMSNorm([4, 5], eps=1e-3, elementwise_affine=False),
        [(3, 4, 5)],
    )


_norm_cases()
