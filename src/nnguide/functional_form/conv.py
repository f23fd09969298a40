"""Functional forms of the convolutions and transposed convolutions (torch/nn/modules/conv.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


def _pad_for_mode(m: Any) -> list[int]:
    """F.pad's padding list (last dimension first) for a conv's padding_mode."""
    if isinstance(m.padding, str):
        out = [0, 0] * len(m.kernel_size)
        if m.padding == "same":
            for i, (d, k) in enumerate(
                zip(reversed(m.dilation), reversed(m.kernel_size), strict=True)
            ):
                total = d * (k - 1)
                out[2 * i], out[2 * i + 1] = total // 2, total - total // 2
        return out
    return [p for p in reversed(m.padding) for _ in range(2)]


_CONV: dict[Any, Callable[..., Tensor]] = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T: dict[Any, Callable[..., Tensor]] = {
    1: F.conv_transpose1d,
    2: F.conv_transpose2d,
    3: F.conv_transpose3d,
}


@_forms("Conv1d", "Conv2d", "Conv3d", "LazyConv1d", "LazyConv2d", "LazyConv3d")
def _conv(m: nn.Conv2d) -> Form:
    conv = _CONV[len(m.kernel_size)]

    def form(input: Tensor) -> Tensor:
        if m.padding_mode != "zeros":
            padded = F.pad(input, _pad_for_mode(m), mode=m.padding_mode)
            zero = (0,) * len(m.kernel_size)
            return conv(padded, m.weight, m.bias, m.stride, zero, m.dilation, m.groups)
        return conv(input, m.weight, m.bias, m.stride, m.padding, m.dilation, m.groups)

    return form


def _output_padding(m: Any, input: Tensor, output_size: list[int] | None, nd: int) -> list[int]:
    """The output_padding that makes a transposed conv produce ``output_size``."""
    if output_size is None:
        return list(m.output_padding)
    non_spatial = 2 if input.dim() == nd + 2 else 1
    size = list(output_size)
    if len(size) == non_spatial + nd:
        size = size[non_spatial:]
    if len(size) != nd:
        raise ValueError(
            f"ConvTranspose{nd}D: for {input.dim()}D input, output_size must have {nd} "
            f"or {non_spatial + nd} elements (got {len(size)})"
        )
    mins = [
        (input.size(d + non_spatial) - 1) * m.stride[d]
        - 2 * m.padding[d]
        + m.dilation[d] * (m.kernel_size[d] - 1)
        + 1
        for d in range(nd)
    ]
    maxs = [lo + m.stride[d] - 1 for d, lo in enumerate(mins)]
    for s, lo, hi in zip(size, mins, maxs, strict=True):
        if not lo <= s <= hi:
            raise ValueError(
                f"requested an output size of {size}, but valid sizes range "
                f"from {mins} to {maxs} (for an input of {input.size()[2:]})"
            )
    return [s - lo for s, lo in zip(size, mins, strict=True)]


@_forms(
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
)
def _conv_transpose(m: Any) -> Form:
    nd = len(m.kernel_size)
    conv_t = _CONV_T[nd]

    def form(input: Tensor, output_size: list[int] | None = None) -> Tensor:
        if m.padding_mode != "zeros":
            raise ValueError(f"Only `zeros` padding mode is supported for ConvTranspose{nd}d")
        output_padding = _output_padding(m, input, output_size, nd)
        return conv_t(
            input, m.weight, m.bias, m.stride, m.padding, output_padding, m.groups, m.dilation
        )

    return form
