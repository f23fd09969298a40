"""Functional forms of Upsample and its fixed-mode variants (torch/nn/modules/upsampling.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")
def _upsample(m: nn.Upsample) -> Form:
    return lambda input: F.interpolate(
        input,
        m.size,
        m.scale_factor,
        m.mode,
        m.align_corners,
        recompute_scale_factor=m.recompute_scale_factor,
    )
