"""Functional forms of PixelShuffle and PixelUnshuffle (torch/nn/modules/pixelshuffle.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("PixelShuffle")
def _pixel_shuffle(m: nn.PixelShuffle) -> Form:
    return lambda input: F.pixel_shuffle(input, m.upscale_factor)


@_forms("PixelUnshuffle")
def _pixel_unshuffle(m: nn.PixelUnshuffle) -> Form:
    return lambda input: F.pixel_unshuffle(input, m.downscale_factor)
