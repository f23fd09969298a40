"""Verification cases of the activations (torch/nn/modules/activation.py), MultiheadAttention
included as torch has it there.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import torch
import torch.nn as nn

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


_ACT_SHAPES = [(7,), (2, 3, 4)]


def _activations() -> None:
    a = _ACT_SHAPES
    table: dict[str, list[dict[str, Any]]] = {
        "ReLU": [{}, {"inplace": True}],
        "ReLU6": [{}, {"inplace": True}],
        "Hardtanh": [{}, {"min_val": -0.5, "max_val": 2.0}, {"inplace": True}],
        "ELU": [{"alpha": 0.7}, {"inplace": True}],
        "CELU": [{"alpha": 1.3}, {"inplace": True}],
        "SELU": [{}, {"inplace": True}],
        "GELU": [{}, {"approximate": "tanh"}],
        "Hardshrink": [{}, {"lambd": 0.3}],
        "Softshrink": [{}, {"lambd": 0.7}],
        "LeakyReLU": [{}, {"negative_slope": 0.2, "inplace": True}],
        "LogSigmoid": [{}],
        "Softplus": [{}, {"beta": 2.0, "threshold": 5.0}],
        "PReLU": [{}, {"init": 0.1}],
        "Softsign": [{}],
        "Tanhshrink": [{}],
        "Threshold": [
            {"threshold": 0.1, "value": 20.0},
            {"threshold": -0.2, "value": 0.0, "inplace": True},
        ],
        "Hardsigmoid": [{}, {"inplace": True}],
        "Hardswish": [{}, {"inplace": True}],
        "SiLU": [{}, {"inplace": True}],
        "Mish": [{}, {"inplace": True}],
        "RReLU": [{}, {"lower": 0.1, "upper": 0.5}, {"inplace": True}],
        "Sigmoid": [{}],
        "Tanh": [{}],
        "Softmax": [{"dim": 0}, {"dim": -1}],
        "Softmin": [{"dim": 0}, {"dim": -1}],
        "LogSoftmax": [{"dim": 0}, {"dim": -1}],
    }
    for name, kws in table.items():
        for kw in kws:
            cls = getattr(nn, name)
            tag = ",".join(f"{k}={v}" for k, v in kw.items()) or "default"
            CASES.one(name, tag, partial(cls, **kw), a, scale=4.0)
    CASES.one("PReLU", "num_parameters=3", lambda: nn.PReLU(3), [(2, 3, 4)], scale=3.0)
    CASES.one("GLU", "default", lambda: nn.GLU(), [(6,), (2, 3, 4)])
    CASES.one("GLU", "dim=1", lambda: nn.GLU(1), [(2, 4, 3)])
    CASES.one("Softmax2d", "default", lambda: nn.Softmax2d(), [(3, 4, 5), (2, 3, 4, 5)])


def _mha_cases() -> None:
    def mk(
        ctor_kw: dict[str, Any],
        q: tuple[int, ...],
        kv: tuple[int, ...] | None,
        call: Callable[[_Gen], dict[str, Any]],
    ) -> Callable[[_Gen], _Made]:
        def make(g: _Gen) -> _Made:
            m = nn.MultiheadAttention(**ctor_kw)
            query = g.randn(*q)
            if kv is None:
                args: tuple[Any, ...] = (query, query, query)
            else:
                key = g.randn(*kv[:-1], ctor_kw.get("kdim") or ctor_kw["embed_dim"])
                value = g.randn(*kv[:-1], ctor_kw.get("vdim") or ctor_kw["embed_dim"])
                args = (query, key, value)
            return m, args, call(g)

        return make

    base = dict(embed_dim=8, num_heads=2)

    def none(g: _Gen) -> dict[str, Any]:
        return {}

    def kpm(g: _Gen) -> dict[str, Any]:
        mask = torch.zeros(3, 6, dtype=torch.bool)
        mask[0, -2:] = True
        return {"key_padding_mask": mask}

    def self_kpm(g: _Gen) -> dict[str, Any]:
        mask = torch.zeros(3, 5, dtype=torch.bool)
        mask[0, -2:] = True
        return {"key_padding_mask": mask}

    def both(g: _Gen) -> dict[str, Any]:
        am = g.randn(5, 6)
        kp = torch.zeros(3, 6, dtype=g.dtype)
        kp[1, -1] = float("-inf")
        return {"attn_mask": am, "key_padding_mask": kp, "average_attn_weights": False}

    def causal(g: _Gen) -> dict[str, Any]:
        am = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
        return {"attn_mask": am, "is_causal": True, "need_weights": False}

    def mask3d(g: _Gen) -> dict[str, Any]:
        return {"attn_mask": g.rand(3 * 2, 5, 6) < 0.2}

    CASES.case("MultiheadAttention", "self-seqfirst", mk(base, (5, 3, 8), None, none))
    CASES.case("MultiheadAttention", "cross-kpm-bool", mk(base, (5, 3, 8), (6, 3, 8), kpm))
    CASES.case(
        "MultiheadAttention", "cross-float-masks-unaveraged", mk(base, (5, 3, 8), (6, 3, 8), both)
    )
    CASES.case("MultiheadAttention", "3d-bool-mask", mk(base, (5, 3, 8), (6, 3, 8), mask3d))
    CASES.case(
        "MultiheadAttention",
        "causal-no-weights",
        mk(dict(base, batch_first=True), (3, 5, 8), None, causal),
    )
    CASES.case(
        "MultiheadAttention",
        "kdim-vdim-batch_first",
        mk(dict(base, kdim=5, vdim=7, batch_first=True), (3, 5, 8), (3, 6, 0), kpm),
    )
    CASES.case(
        "MultiheadAttention",
        "bias_kv-zero_attn-nobias",
        mk(
            dict(base, add_bias_kv=True, add_zero_attn=True, bias=False), (5, 3, 8), (6, 3, 8), none
        ),
    )
    CASES.case(
        "MultiheadAttention", "dropout", mk(dict(base, dropout=0.3), (5, 3, 8), (6, 3, 8), none)
    )
    CASES.case("MultiheadAttention", "unbatched", mk(base, (5, 8), (6, 8), none))
    CASES.case(
        "MultiheadAttention",
        "fast-path",
        mk(dict(base, batch_first=True), (3, 5, 8), None, self_kpm),
        fast_path=True,
        no_grad=True,
    )


_activations()
_mha_cases()
