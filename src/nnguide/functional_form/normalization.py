"""Functional forms of the normalization modules: BatchNorm, SyncBatchNorm, InstanceNorm
(torch/nn/modules/batchnorm.py, instancenorm.py), LayerNorm, GroupNorm, LocalResponseNorm
and RMSNorm (normalization.py).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from nnguide.functional_form._base import Builder, Form, NoFunctionalFormError, nd, registrar

FORMS: dict[str, Builder] = {}
_forms = registrar(FORMS)


_BN_DIMS = {"1": (2, 3), "2": (4,), "3": (5,)}


def _batch_norm_call(m: Any, input: Tensor) -> Tensor:
    """The common part of _BatchNorm.forward and SyncBatchNorm's non-sync path."""
    factor = 0.0 if m.momentum is None else m.momentum
    if m.training and m.track_running_stats and m.num_batches_tracked is not None:
        m.num_batches_tracked.add_(1)
        if m.momentum is None:  # cumulative moving average
            factor = 1.0 / float(m.num_batches_tracked)
    bn_training = m.training or (m.running_mean is None and m.running_var is None)
    use_buffers = not m.training or m.track_running_stats
    return F.batch_norm(
        input,
        m.running_mean if use_buffers else None,
        m.running_var if use_buffers else None,
        m.weight,
        m.bias,
        bn_training,
        factor,
        m.eps,
    )


@_forms(
    "BatchNorm1d",
    "BatchNorm2d",
    "BatchNorm3d",
    "LazyBatchNorm1d",
    "LazyBatchNorm2d",
    "LazyBatchNorm3d",
)
def _batch_norm(m: nn.BatchNorm2d) -> Form:
    dims = _BN_DIMS[nd(m)]

    def form(input: Tensor) -> Tensor:
        if input.dim() not in dims:
            want = " or ".join(f"{d}D" for d in dims)
            raise ValueError(f"expected {want} input (got {input.dim()}D input)")
        return _batch_norm_call(m, input)

    return form


@_forms("SyncBatchNorm")
def _sync_batch_norm(m: nn.SyncBatchNorm) -> Form:
    def form(input: Tensor) -> Tensor:
        if input.dim() < 2:
            raise ValueError(f"expected at least 2D input (got {input.dim()}D input)")
        if input.size(1) == 0:
            raise ValueError("SyncBatchNorm number of input channels should be non-zero")
        bn_training = m.training or (m.running_mean is None and m.running_var is None)
        dist = torch.distributed
        if bn_training and m.training and dist.is_available() and dist.is_initialized():
            group = m.process_group or dist.group.WORLD
            if dist.get_world_size(group) > 1:
                raise NoFunctionalFormError(
                    "expected SyncBatchNorm without synchronisation, got a training "
                    "module in a process group of size > 1: the synchronised path runs "
                    "a private autograd Function with no functional counterpart"
                )
        return _batch_norm_call(m, input)

    return form


@_forms(
    "InstanceNorm1d",
    "InstanceNorm2d",
    "InstanceNorm3d",
    "LazyInstanceNorm1d",
    "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
)
def _instance_norm(m: nn.InstanceNorm2d) -> Form:
    no_batch = int(nd(m)) + 1

    def apply(input: Tensor) -> Tensor:
        return F.instance_norm(
            input,
            m.running_mean,
            m.running_var,
            m.weight,
            m.bias,
            m.training or not m.track_running_stats,
            m.momentum if m.momentum is not None else 0.0,
            m.eps,
        )

    def form(input: Tensor) -> Tensor:
        if input.dim() not in (no_batch, no_batch + 1):
            raise ValueError(
                f"expected {no_batch}D or {no_batch + 1}D input (got {input.dim()}D input)"
            )
        feature_dim = input.dim() - no_batch
        if input.size(feature_dim) != m.num_features and m.affine:
            raise ValueError(
                f"expected input's size at dim={feature_dim} to match num_features"
                f" ({m.num_features}), but got: {input.size(feature_dim)}."
            )
        if input.dim() == no_batch:
            return apply(input.unsqueeze(0)).squeeze(0)
        return apply(input)

    return form


@_forms("LayerNorm")
def _layer_norm(m: nn.LayerNorm) -> Form:
    return lambda input: F.layer_norm(input, m.normalized_shape, m.weight, m.bias, m.eps)


@_forms("GroupNorm")
def _group_norm(m: nn.GroupNorm) -> Form:
    return lambda input: F.group_norm(input, m.num_groups, m.weight, m.bias, m.eps)


@_forms("LocalResponseNorm")
def _lrn(m: nn.LocalResponseNorm) -> Form:
    return lambda input: F.local_response_norm(input, m.size, m.alpha, m.beta, m.k)


@_forms("RMSNorm")
def _rms_norm(m: nn.RMSNorm) -> Form:
    return lambda x: F.rms_norm(x, m.normalized_shape, m.weight, m.eps)
