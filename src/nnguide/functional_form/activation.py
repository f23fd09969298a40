"""Functional forms of the activations (torch/nn/modules/activation.py), MultiheadAttention
included as torch has it there.
"""

from __future__ import annotations

from typing import Any

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("ReLU")
def _relu(m: nn.ReLU) -> Form:
    return lambda input: F.relu(input, inplace=m.inplace)


@_forms("ReLU6")
def _relu6(m: nn.ReLU6) -> Form:
    def form(input: Tensor) -> Tensor:
        if (m.min_val, m.max_val) == (0.0, 6.0):
            return F.relu6(input, m.inplace)
        return F.hardtanh(input, m.min_val, m.max_val, m.inplace)

    return form


@_forms("Hardtanh")
def _hardtanh(m: nn.Hardtanh) -> Form:
    return lambda input: F.hardtanh(input, m.min_val, m.max_val, m.inplace)


@_forms("ELU")
def _elu(m: nn.ELU) -> Form:
    return lambda input: F.elu(input, m.alpha, m.inplace)


@_forms("CELU")
def _celu(m: nn.CELU) -> Form:
    return lambda input: F.celu(input, m.alpha, m.inplace)


@_forms("SELU")
def _selu(m: nn.SELU) -> Form:
    return lambda input: F.selu(input, m.inplace)


@_forms("GLU")
def _glu(m: nn.GLU) -> Form:
    return lambda input: F.glu(input, m.dim)


@_forms("GELU")
def _gelu(m: nn.GELU) -> Form:
    return lambda input: F.gelu(input, approximate=m.approximate)


@_forms("Hardshrink")
def _hardshrink(m: nn.Hardshrink) -> Form:
    return lambda input: F.hardshrink(input, m.lambd)


@_forms("Softshrink")
def _softshrink(m: nn.Softshrink) -> Form:
    return lambda input: F.softshrink(input, m.lambd)


@_forms("LeakyReLU")
def _leaky_relu(m: nn.LeakyReLU) -> Form:
    return lambda input: F.leaky_relu(input, m.negative_slope, m.inplace)


@_forms("LogSigmoid")
def _logsigmoid(m: nn.LogSigmoid) -> Form:
    return lambda input: F.logsigmoid(input)


@_forms("Softplus")
def _softplus(m: nn.Softplus) -> Form:
    return lambda input: F.softplus(input, m.beta, m.threshold)


@_forms("PReLU")
def _prelu(m: nn.PReLU) -> Form:
    return lambda input: F.prelu(input, m.weight)


@_forms("Softsign")
def _softsign(m: nn.Softsign) -> Form:
    return lambda input: F.softsign(input)


@_forms("Tanhshrink")
def _tanhshrink(m: nn.Tanhshrink) -> Form:
    return lambda input: F.tanhshrink(input)


@_forms("Threshold")
def _threshold(m: nn.Threshold) -> Form:
    return lambda input: F.threshold(input, m.threshold, m.value, m.inplace)


@_forms("Hardsigmoid")
def _hardsigmoid(m: nn.Hardsigmoid) -> Form:
    return lambda input: F.hardsigmoid(input, m.inplace)


@_forms("Hardswish")
def _hardswish(m: nn.Hardswish) -> Form:
    return lambda input: F.hardswish(input, m.inplace)


@_forms("SiLU")
def _silu(m: nn.SiLU) -> Form:
    return lambda input: F.silu(input, inplace=m.inplace)


@_forms("Mish")
def _mish(m: nn.Mish) -> Form:
    return lambda input: F.mish(input, inplace=m.inplace)


@_forms("RReLU")
def _rrelu(m: nn.RReLU) -> Form:
    return lambda input: F.rrelu(input, m.lower, m.upper, m.training, m.inplace)


@_forms("Sigmoid")
def _sigmoid(m: nn.Sigmoid) -> Form:
    return lambda input: F.sigmoid(input)


@_forms("Tanh")
def _tanh(m: nn.Tanh) -> Form:
    return lambda input: F.tanh(input)


@_forms("Softmax")
def _softmax(m: nn.Softmax) -> Form:
    return lambda input: F.softmax(input, m.dim)


@_forms("Softmin")
def _softmin(m: nn.Softmin) -> Form:
    return lambda input: F.softmin(input, m.dim)


@_forms("LogSoftmax")
def _log_softmax(m: nn.LogSoftmax) -> Form:
    return lambda input: F.log_softmax(input, m.dim)


@_forms("Softmax2d")
def _softmax2d(m: nn.Softmax2d) -> Form:
    def form(input: Tensor) -> Tensor:
        if input.dim() not in (3, 4):
            raise ValueError(
                f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead"
            )
        return F.softmax(input, -3)

    return form


@_forms("MultiheadAttention")
def _mha(m: nn.MultiheadAttention) -> Form:
    def form(
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        # The module canonicalises boolean masks to float masks first (and warns
        # when their types differ); F._canonical_mask is that step.
        key_padding_mask = F._canonical_mask(
            mask=key_padding_mask,
            mask_name="key_padding_mask",
            other_type=F._none_or_dtype(attn_mask),
            other_name="attn_mask",
            target_type=query.dtype,
        )
        attn_mask = F._canonical_mask(
            mask=attn_mask,
            mask_name="attn_mask",
            other_type=None,
            other_name="",
            target_type=query.dtype,
            check_other=False,
        )
        batched = query.dim() == 3
        if m.batch_first and batched:
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate: dict[str, Any] = {}
        if not m._qkv_same_embed_dim:
            separate = dict(
                use_separate_proj_weight=True,
                q_proj_weight=m.q_proj_weight,
                k_proj_weight=m.k_proj_weight,
                v_proj_weight=m.v_proj_weight,
            )
        out, weights = F.multi_head_attention_forward(
            query,
            key,
            value,
            m.embed_dim,
            m.num_heads,
            m.in_proj_weight,
            m.in_proj_bias,
            m.bias_k,
            m.bias_v,
            m.add_zero_attn,
            m.dropout,
            m.out_proj.weight,
            m.out_proj.bias,
            training=m.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
            **separate,
        )
        if m.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights

    return form
