"""The functional form of ChannelShuffle (torch/nn/modules/channelshuffle.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("ChannelShuffle")
def _channel_shuffle(m: nn.ChannelShuffle) -> Form:
    return lambda input: F.channel_shuffle(input, m.groups)
