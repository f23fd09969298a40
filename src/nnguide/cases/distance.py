"""Verification cases of PairwiseDistance and CosineSimilarity (torch/nn/modules/distance.py)."""

from __future__ import annotations

from functools import partial

import torch.nn as nn

from nnguide.cases._base import Family

CASES = Family()


def _distance_cases() -> None:
    CASES.two("PairwiseDistance", "default", nn.PairwiseDistance, (4, 5))
    CASES.two(
        "PairwiseDistance", "p1-eps-keepdim", partial(nn.PairwiseDistance, 1.0, 1e-3, True), (4, 5)
    )
    CASES.two("CosineSimilarity", "default", nn.CosineSimilarity, (4, 5))
    CASES.two("CosineSimilarity", "dim0-eps", partial(nn.CosineSimilarity, 0, 1e-3), (4, 5))


_distance_cases()
