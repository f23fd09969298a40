"""Functional forms of the padding modules (torch/nn/modules/padding.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, nd, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms(
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
)
def _constant_pad(m: nn.ConstantPad2d) -> Form:
    return lambda input: F.pad(input, m.padding, "constant", m.value)


@_forms("ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d")
def _reflection_pad(m: nn.ReflectionPad2d) -> Form:
    return lambda input: F.pad(input, m.padding, "reflect")


@_forms("ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d")
def _replication_pad(m: nn.ReplicationPad2d) -> Form:
    return lambda input: F.pad(input, m.padding, "replicate")


@_forms("CircularPad1d", "CircularPad2d", "CircularPad3d")
def _circular_pad(m: nn.CircularPad2d) -> Form:
    n = int(nd(m))

    def form(input: Tensor) -> Tensor:
        if input.dim() not in (n + 1, n + 2):
            raise ValueError(f"expected {n + 1}D or {n + 2}D input (got {input.dim()}D input)")
        return F.pad(input, m.padding, "circular")

    return form
