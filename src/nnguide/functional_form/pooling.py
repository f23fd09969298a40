"""Functional forms of the pooling modules (torch/nn/modules/pooling.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, nd, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


_MAX_POOL: dict[Any, Callable[..., Any]] = {"1": F.max_pool1d, "2": F.max_pool2d, "3": F.max_pool3d}
_AVG_POOL: dict[Any, Callable[..., Any]] = {"1": F.avg_pool1d, "2": F.avg_pool2d, "3": F.avg_pool3d}
_LP_POOL: dict[Any, Callable[..., Any]] = {"1": F.lp_pool1d, "2": F.lp_pool2d, "3": F.lp_pool3d}
_ADA_AVG: dict[Any, Callable[..., Any]] = {
    "1": F.adaptive_avg_pool1d,
    "2": F.adaptive_avg_pool2d,
    "3": F.adaptive_avg_pool3d,
}
_ADA_MAX: dict[Any, Callable[..., Any]] = {
    "1": F.adaptive_max_pool1d,
    "2": F.adaptive_max_pool2d,
    "3": F.adaptive_max_pool3d,
}
_UNPOOL: dict[Any, Callable[..., Tensor]] = {
    "1": F.max_unpool1d,
    "2": F.max_unpool2d,
    "3": F.max_unpool3d,
}
_FRAC: dict[Any, Callable[..., Any]] = {"2": F.fractional_max_pool2d, "3": F.fractional_max_pool3d}


@_forms("MaxPool1d", "MaxPool2d", "MaxPool3d")
def _max_pool(m: Any) -> Form:
    fn = _MAX_POOL[nd(m)]
    return lambda input: fn(
        input,
        m.kernel_size,
        m.stride,
        m.padding,
        m.dilation,
        ceil_mode=m.ceil_mode,
        return_indices=m.return_indices,
    )


@_forms("AvgPool1d")
def _avg_pool1d(m: Any) -> Form:
    return lambda input: F.avg_pool1d(
        input, m.kernel_size, m.stride, m.padding, m.ceil_mode, m.count_include_pad
    )


@_forms("AvgPool2d", "AvgPool3d")
def _avg_pool(m: nn.AvgPool2d) -> Form:
    fn = _AVG_POOL[nd(m)]
    return lambda input: fn(
        input,
        m.kernel_size,
        m.stride,
        m.padding,
        m.ceil_mode,
        m.count_include_pad,
        m.divisor_override,
    )


@_forms("LPPool1d", "LPPool2d", "LPPool3d")
def _lp_pool(m: Any) -> Form:
    fn = _LP_POOL[nd(m)]
    return lambda input: fn(input, float(m.norm_type), m.kernel_size, m.stride, m.ceil_mode)


@_forms("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d")
def _adaptive_avg(m: Any) -> Form:
    fn = _ADA_AVG[nd(m)]
    return lambda input: fn(input, m.output_size)


@_forms("AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d")
def _adaptive_max(m: Any) -> Form:
    fn = _ADA_MAX[nd(m)]
    return lambda input: fn(input, m.output_size, m.return_indices)


@_forms("MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d")
def _max_unpool(m: Any) -> Form:
    fn = _UNPOOL[nd(m)]

    def form(input: Tensor, indices: Tensor, output_size: list[int] | None = None) -> Tensor:
        return fn(input, indices, m.kernel_size, m.stride, m.padding, output_size)

    return form


@_forms("FractionalMaxPool2d", "FractionalMaxPool3d")
def _fractional(m: Any) -> Form:
    fn = _FRAC[nd(m)]
    return lambda input: fn(
        input,
        m.kernel_size,
        m.output_size,
        m.output_ratio,
        m.return_indices,
        _random_samples=m._random_samples,
    )
