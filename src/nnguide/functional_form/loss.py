"""Functional forms of the losses (torch/nn/modules/loss.py)."""

from __future__ import annotations

from typing import Any

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


@_forms("L1Loss")
def _l1(m: nn.L1Loss) -> Form:
    return lambda input, target: F.l1_loss(input, target, reduction=m.reduction)


@_forms("MSELoss")
def _mse(m: nn.MSELoss) -> Form:
    return lambda input, target: F.mse_loss(input, target, reduction=m.reduction)


@_forms("NLLLoss", "NLLLoss2d")
def _nll(m: nn.NLLLoss) -> Form:
    return lambda input, target: F.nll_loss(
        input, target, weight=m.weight, ignore_index=m.ignore_index, reduction=m.reduction
    )


@_forms("CrossEntropyLoss")
def _cross_entropy(m: nn.CrossEntropyLoss) -> Form:
    return lambda input, target: F.cross_entropy(
        input,
        target,
        weight=m.weight,
        ignore_index=m.ignore_index,
        reduction=m.reduction,
        label_smoothing=m.label_smoothing,
    )


@_forms("LinearCrossEntropyLoss")
def _linear_cross_entropy(m: Any) -> Form:
    def form(input: Tensor, target: Tensor) -> Tensor:
        lin = m.linear
        weight = lin.weight.reshape((m.num_classes, *m.out_features, lin.in_features))
        bias = None if lin.bias is None else lin.bias.reshape((m.num_classes, *m.out_features))
        return F.linear_cross_entropy(
            input,
            weight,
            target,
            linear_bias=bias,
            weight=m.weight,
            reduction=m.reduction,
            ignore_index=m.ignore_index,
            label_smoothing=m.label_smoothing,
            options=m.options,
        )

    return form


@_forms("BCELoss")
def _bce(m: nn.BCELoss) -> Form:
    return lambda input, target: F.binary_cross_entropy(
        input, target, weight=m.weight, reduction=m.reduction
    )


@_forms("BCEWithLogitsLoss")
def _bce_logits(m: nn.BCEWithLogitsLoss) -> Form:
    return lambda input, target: F.binary_cross_entropy_with_logits(
        input, target, m.weight, pos_weight=m.pos_weight, reduction=m.reduction
    )


@_forms("KLDivLoss")
def _kl_div(m: nn.KLDivLoss) -> Form:
    return lambda input, target: F.kl_div(
        input, target, reduction=m.reduction, log_target=m.log_target
    )


@_forms("PoissonNLLLoss")
def _poisson(m: nn.PoissonNLLLoss) -> Form:
    return lambda log_input, target: F.poisson_nll_loss(
        log_input, target, log_input=m.log_input, full=m.full, eps=m.eps, reduction=m.reduction
    )


@_forms("GaussianNLLLoss")
def _gaussian(m: nn.GaussianNLLLoss) -> Form:
    return lambda input, target, var: F.gaussian_nll_loss(
        input, target, var, full=m.full, eps=m.eps, reduction=m.reduction
    )


@_forms("HuberLoss")
def _huber(m: nn.HuberLoss) -> Form:
    return lambda input, target: F.huber_loss(input, target, reduction=m.reduction, delta=m.delta)


@_forms("SmoothL1Loss")
def _smooth_l1(m: nn.SmoothL1Loss) -> Form:
    return lambda input, target: F.smooth_l1_loss(input, target, reduction=m.reduction, beta=m.beta)


@_forms("SoftMarginLoss")
def _soft_margin(m: nn.SoftMarginLoss) -> Form:
    return lambda input, target: F.soft_margin_loss(input, target, reduction=m.reduction)


@_forms("CTCLoss")
def _ctc(m: nn.CTCLoss) -> Form:
    return lambda log_probs, targets, input_lengths, target_lengths: F.ctc_loss(
        log_probs, targets, input_lengths, target_lengths, m.blank, m.reduction, m.zero_infinity
    )


@_forms("HingeEmbeddingLoss")
def _hinge(m: nn.HingeEmbeddingLoss) -> Form:
    return lambda input, target: F.hinge_embedding_loss(
        input, target, margin=m.margin, reduction=m.reduction
    )


@_forms("CosineEmbeddingLoss")
def _cosine_embedding(m: nn.CosineEmbeddingLoss) -> Form:
    return lambda input1, input2, target: F.cosine_embedding_loss(
        input1, input2, target, margin=m.margin, reduction=m.reduction
    )


@_forms("MarginRankingLoss")
def _margin_ranking(m: nn.MarginRankingLoss) -> Form:
    return lambda input1, input2, target: F.margin_ranking_loss(
        input1, input2, target, margin=m.margin, reduction=m.reduction
    )


@_forms("MultiLabelMarginLoss")
def _multilabel_margin(m: nn.MultiLabelMarginLoss) -> Form:
    return lambda input, target: F.multilabel_margin_loss(input, target, reduction=m.reduction)


@_forms("MultiLabelSoftMarginLoss")
def _multilabel_soft_margin(m: nn.MultiLabelSoftMarginLoss) -> Form:
    return lambda input, target: F.multilabel_soft_margin_loss(
        input, target, weight=m.weight, reduction=m.reduction
    )


@_forms("MultiMarginLoss")
def _multi_margin(m: nn.MultiMarginLoss) -> Form:
    return lambda input, target: F.multi_margin_loss(
        input, target, p=m.p, margin=m.margin, weight=m.weight, reduction=m.reduction
    )


@_forms("TripletMarginLoss")
def _triplet(m: nn.TripletMarginLoss) -> Form:
    return lambda anchor, positive, negative: F.triplet_margin_loss(
        anchor,
        positive,
        negative,
        margin=m.margin,
        p=m.p,
        eps=m.eps,
        swap=m.swap,
        reduction=m.reduction,
    )


@_forms("TripletMarginWithDistanceLoss")
def _triplet_distance(m: nn.TripletMarginWithDistanceLoss) -> Form:
    return lambda anchor, positive, negative: F.triplet_margin_with_distance_loss(
        anchor,
        positive,
        negative,
        distance_function=m.distance_function,
        margin=m.margin,
        swap=m.swap,
        reduction=m.reduction,
    )
