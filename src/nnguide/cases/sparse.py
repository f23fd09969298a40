"""Verification cases of Embedding and EmbeddingBag (torch/nn/modules/sparse.py)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


def _sparse_cases() -> None:
    emb: dict[str, dict[str, Any]] = {
        "default": {},
        "padding_idx": dict(padding_idx=0),
        "max_norm": dict(max_norm=1.0),
        "max_norm-p1-freq": dict(max_norm=0.5, norm_type=1.0, scale_grad_by_freq=True),
        "sparse": dict(sparse=True),
    }
    for tag, kw in emb.items():

        def embedding(g: _Gen, kw: dict[str, Any] = kw) -> _Made:
            return nn.Embedding(10, 4, **kw), (g.randint(0, 10, 3, 5),), {}

        CASES.case("Embedding", tag, embedding)
    for mode in ("sum", "mean", "max"):

        def bag(g: _Gen, mode: str = mode) -> _Made:
            return (
                nn.EmbeddingBag(10, 4, mode=mode),
                (g.randint(0, 10, 8), torch.tensor([0, 3, 3, 6])),
                {},
            )

        def bag2d(g: _Gen, mode: str = mode) -> _Made:
            m = nn.EmbeddingBag(10, 4, mode=mode, padding_idx=1, max_norm=1.0)
            return m, (g.randint(0, 10, 3, 4),), {}

        CASES.case("EmbeddingBag", f"{mode}-offsets", bag)
        CASES.case("EmbeddingBag", f"{mode}-2d-padding_idx-max_norm", bag2d)

    def weighted(g: _Gen) -> _Made:
        m = nn.EmbeddingBag(10, 4, mode="sum", include_last_offset=True)
        return (
            m,
            (g.randint(0, 10, 8), torch.tensor([0, 2, 5, 8])),
            {"per_sample_weights": g.rand(8)},
        )

    CASES.case("EmbeddingBag", "sum-per_sample_weights-last_offset", weighted)


_sparse_cases()
