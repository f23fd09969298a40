"""Functional forms of PairwiseDistance and CosineSimilarity (torch/nn/modules/distance.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("PairwiseDistance")
def _pairwise(m: nn.PairwiseDistance) -> Form:
    return lambda x1, x2: F.pairwise_distance(x1, x2, m.norm, m.eps, m.keepdim)


@_forms("CosineSimilarity")
def _cosine(m: nn.CosineSimilarity) -> Form:
    return lambda x1, x2: F.cosine_similarity(x1, x2, m.dim, m.eps)
