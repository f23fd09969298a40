"""Functional forms of the dropout modules (torch/nn/modules/dropout.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


_DROPOUT: dict[Any, Callable[..., Any]] = {
    "Dropout": F.dropout,
    "Dropout1d": F.dropout1d,
    "Dropout2d": F.dropout2d,
}
_DROPOUT["Dropout3d"] = F.dropout3d


@_forms("Dropout", "Dropout1d", "Dropout2d", "Dropout3d")
def _dropout(m: nn.Dropout) -> Form:
    fn = _DROPOUT[type(m).__name__]
    return lambda input: fn(input, m.p, m.training, m.inplace)


@_forms("AlphaDropout")
def _alpha_dropout(m: nn.AlphaDropout) -> Form:
    return lambda input: F.alpha_dropout(input, m.p, m.training)


@_forms("FeatureAlphaDropout")
def _feature_alpha_dropout(m: nn.FeatureAlphaDropout) -> Form:
    return lambda input: F.feature_alpha_dropout(input, m.p, m.training)
