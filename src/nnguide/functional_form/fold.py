"""Functional forms of Fold and Unfold (torch/nn/modules/fold.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("Fold")
def _fold(m: nn.Fold) -> Form:
    return lambda input: F.fold(
        input, m.output_size, m.kernel_size, m.dilation, m.padding, m.stride
    )


@_forms("Unfold")
def _unfold(m: nn.Unfold) -> Form:
    return lambda input: F.unfold(input, m.kernel_size, m.dilation, m.padding, m.stride)
