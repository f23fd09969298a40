"""Verification cases of ChannelShuffle (torch/nn/modules/channelshuffle.py)."""

from __future__ import annotations

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _channelshuffle_cases() -> None:
    CASES.one("ChannelShuffle", "2", lambda: nn.ChannelShuffle(2), [(2, 4, 3, 3)])
    CASES.one("ChannelShuffle", "3", lambda: nn.ChannelShuffle(3), [(2, 6, 3)])


_channelshuffle_cases()
