"""Functional forms of Linear, LazyLinear and Bilinear (torch/nn/modules/linear.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("Linear", "LazyLinear")
def _linear(m: nn.Linear) -> Form:
    return lambda input: F.linear(input, m.weight, m.bias)


@_forms("Bilinear")
def _bilinear(m: nn.Bilinear) -> Form:
    return lambda input1, input2: F.bilinear(input1, input2, m.weight, m.bias)
