"""Functional forms of Embedding and EmbeddingBag (torch/nn/modules/sparse.py)."""

from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("Embedding")
def _embedding(m: nn.Embedding) -> Form:
    return lambda input: F.embedding(
        input, m.weight, m.padding_idx, m.max_norm, m.norm_type, m.scale_grad_by_freq, m.sparse
    )


@_forms("EmbeddingBag")
def _embedding_bag(m: nn.EmbeddingBag) -> Form:
    def form(
        input: Tensor, offsets: Tensor | None = None, per_sample_weights: Tensor | None = None
    ) -> Tensor:
        return F.embedding_bag(
            input,
            m.weight,
            offsets,
            m.max_norm,
            m.norm_type,
            m.scale_grad_by_freq,
            m.mode,
            m.sparse,
            per_sample_weights,
            m.include_last_offset,
            m.padding_idx,
        )

    return form
