"""Functional forms of Flatten and Unflatten (torch/nn/modules/flatten.py)."""

from __future__ import annotations

import torch
import torch.nn as nn

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("Flatten")
def _flatten(m: nn.Flatten) -> Form:
    return lambda input: torch.flatten(input, m.start_dim, m.end_dim)


@_forms("Unflatten")
def _unflatten(m: nn.Unflatten) -> Form:
    return lambda input: torch.unflatten(input, m.dim, m.unflattened_size)
