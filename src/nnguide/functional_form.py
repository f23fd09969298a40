"""The functional form of a ``torch.nn`` module: the same computation, as a function call.

:func:`functional_form` turns a module into a callable that computes what
``module(*inputs, **kwargs)`` computes (bit for bit on the verification cases, from the
same random state, except within the tolerance a registry entry lists), by calling the
module's counterpart in :mod:`torch.nn.functional` or :mod:`torch` (see
:mod:`nnguide.registry`) with the module's own parameters, buffers and hyper-parameters,
and *without* calling ``forward``. The state is read at call time, so
``module.train()``/``module.eval()`` after making the form is honoured, and the state
the module changes in place is changed exactly as the module changes it (BatchNorm
running statistics and ``num_batches_tracked``, InstanceNorm's running statistics under
``track_running_stats``, and the rows of Embedding's ``weight`` parameter that
``max_norm`` renormalises).

:func:`verification_cases` holds the cases on which the test suite checks each
form against its module; the registry's verification status is computed from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor
from torch.nn.parameter import is_lazy

from nnguide.registry import Unmapped, entry

__all__ = [
    "Case",
    "NoFunctionalFormError",
    "functional_form",
    "supported_modules",
    "verification_cases",
]

Form = Callable[..., Any]
_Builder = Callable[[Any], Form]
_BUILDERS: dict[str, _Builder] = {}


class NoFunctionalFormError(ValueError):
    """Raised for a module that has no functional counterpart."""


def _forms(*names: str) -> Callable[[_Builder], _Builder]:
    def deco(fn: _Builder) -> _Builder:
        for name in names:
            _BUILDERS[name] = fn
        return fn

    return deco


def supported_modules() -> list[str]:
    """Names of the ``torch.nn`` classes that :func:`functional_form` supports.

    Returns:
        Sorted class names present in the installed torch.

    Examples:

        >>> "Conv2d" in supported_modules(), "LSTM" in supported_modules()
        (True, False)
    """
    return sorted(n for n in _BUILDERS if isinstance(getattr(nn, n, None), type))


def functional_form(module: nn.Module) -> Callable[..., Any]:
    """Return a function computing what ``module`` computes, from its counterpart.

    The returned callable takes the same arguments as ``module.forward`` and calls
    the module's counterpart in :mod:`torch.nn.functional` (or :mod:`torch`) with
    the module's parameters, buffers and hyper-parameters, read at call time.
    It never calls ``module.forward``, and it changes buffers (and, under
    ``max_norm``, Embedding weights) in place as the module does.

    Args:
        module: an instance of a public ``torch.nn`` module class (not a subclass
            that overrides ``forward``). Lazy modules must be materialised first.

    Returns:
        A callable ``form(*inputs, **kwargs)``: ``form(*x)`` equals ``module(*x)`` when
        both start from the same random state, bit for bit except within the tolerance
        the module's registry entry lists.

    Raises:
        TypeError: ``module`` is not a ``torch.nn.Module``.
        NoFunctionalFormError: the module has no counterpart (the message names the
            :class:`~nnguide.registry.Unmapped` reason), or a subclass overrides
            ``forward``.
        ValueError: a lazy module has not been materialised.

    Examples:

        >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
        <torch._C.Generator object at ...>
        >>> conv = torch.nn.Conv2d(3, 8, 3, padding=1, padding_mode="reflect")
        >>> form = functional_form(conv)
        >>> x = torch.randn(2, 3, 5, 5)
        >>> form(x).shape
        torch.Size([2, 8, 5, 5])
        >>> torch.equal(form(x), conv(x))
        True
        >>> try:
        ...     functional_form(torch.nn.LSTM(2, 3))
        ... except NoFunctionalFormError as err:
        ...     print(err)
        torch.nn.LSTM has no functional form: RNN_INTERNAL (...)
    """
    if not isinstance(module, nn.Module):
        raise TypeError(
            f"functional_form expected a torch.nn.Module instance, got {type(module).__name__}"
        )
    for cls in type(module).__mro__:
        name = cls.__name__
        if getattr(nn, name, None) is not cls:
            continue
        builder = _BUILDERS.get(name)
        if builder is None:
            e = entry(name)
            reason = e.reason or Unmapped.UNCLASSIFIED
            if e.mapped:  # mapped in the registry, but no form written yet
                raise NoFunctionalFormError(
                    f"torch.nn.{name} maps to {e.counterpart}, but nnguide has no "
                    "functional form for it yet"
                )
            raise NoFunctionalFormError(
                f"torch.nn.{name} has no functional form: {reason.name} ({reason.value})"
            )
        if type(module).forward is not cls.forward:
            raise NoFunctionalFormError(
                f"expected a torch.nn.{name} whose forward is torch's own, got the subclass "
                f"{type(module).__qualname__}, which overrides forward"
            )
        lazy = [n for n, t in [*module.named_parameters(), *module.named_buffers()] if is_lazy(t)]
        if lazy:
            raise ValueError(
                f"expected a materialised {type(module).__name__}, got one with "
                f"uninitialised {', '.join(lazy)}: call it once on an input first"
            )
        return builder(module)
    raise NoFunctionalFormError(
        f"expected an instance of a public torch.nn class, got {type(module).__qualname__}"
    )


# --------------------------------------------------------------------------- #
# Activations
# --------------------------------------------------------------------------- #


@_forms("ReLU")
def _relu(m: nn.ReLU) -> Form:
    return lambda input: F.relu(input, inplace=m.inplace)


@_forms("ReLU6")
def _relu6(m: nn.ReLU6) -> Form:
    def form(input: Tensor) -> Tensor:
        if (m.min_val, m.max_val) == (0.0, 6.0):
            return F.relu6(input, m.inplace)
        return F.hardtanh(input, m.min_val, m.max_val, m.inplace)

    return form


@_forms("Hardtanh")
def _hardtanh(m: nn.Hardtanh) -> Form:
    return lambda input: F.hardtanh(input, m.min_val, m.max_val, m.inplace)


@_forms("ELU")
def _elu(m: nn.ELU) -> Form:
    return lambda input: F.elu(input, m.alpha, m.inplace)


@_forms("CELU")
def _celu(m: nn.CELU) -> Form:
    return lambda input: F.celu(input, m.alpha, m.inplace)


@_forms("SELU")
def _selu(m: nn.SELU) -> Form:
    return lambda input: F.selu(input, m.inplace)


@_forms("GLU")
def _glu(m: nn.GLU) -> Form:
    return lambda input: F.glu(input, m.dim)


@_forms("GELU")
def _gelu(m: nn.GELU) -> Form:
    return lambda input: F.gelu(input, approximate=m.approximate)


@_forms("Hardshrink")
def _hardshrink(m: nn.Hardshrink) -> Form:
    return lambda input: F.hardshrink(input, m.lambd)


@_forms("Softshrink")
def _softshrink(m: nn.Softshrink) -> Form:
    return lambda input: F.softshrink(input, m.lambd)


@_forms("LeakyReLU")
def _leaky_relu(m: nn.LeakyReLU) -> Form:
    return lambda input: F.leaky_relu(input, m.negative_slope, m.inplace)


@_forms("LogSigmoid")
def _logsigmoid(m: nn.LogSigmoid) -> Form:
    return lambda input: F.logsigmoid(input)


@_forms("Softplus")
def _softplus(m: nn.Softplus) -> Form:
    return lambda input: F.softplus(input, m.beta, m.threshold)


@_forms("PReLU")
def _prelu(m: nn.PReLU) -> Form:
    return lambda input: F.prelu(input, m.weight)


@_forms("Softsign")
def _softsign(m: nn.Softsign) -> Form:
    return lambda input: F.softsign(input)


@_forms("Tanhshrink")
def _tanhshrink(m: nn.Tanhshrink) -> Form:
    return lambda input: F.tanhshrink(input)


@_forms("Threshold")
def _threshold(m: nn.Threshold) -> Form:
    return lambda input: F.threshold(input, m.threshold, m.value, m.inplace)


@_forms("Hardsigmoid")
def _hardsigmoid(m: nn.Hardsigmoid) -> Form:
    return lambda input: F.hardsigmoid(input, m.inplace)


@_forms("Hardswish")
def _hardswish(m: nn.Hardswish) -> Form:
    return lambda input: F.hardswish(input, m.inplace)


@_forms("SiLU")
def _silu(m: nn.SiLU) -> Form:
    return lambda input: F.silu(input, inplace=m.inplace)


@_forms("Mish")
def _mish(m: nn.Mish) -> Form:
    return lambda input: F.mish(input, inplace=m.inplace)


@_forms("RReLU")
def _rrelu(m: nn.RReLU) -> Form:
    return lambda input: F.rrelu(input, m.lower, m.upper, m.training, m.inplace)


@_forms("Sigmoid")
def _sigmoid(m: nn.Sigmoid) -> Form:
    return lambda input: F.sigmoid(input)


@_forms("Tanh")
def _tanh(m: nn.Tanh) -> Form:
    return lambda input: F.tanh(input)


@_forms("Softmax")
def _softmax(m: nn.Softmax) -> Form:
    return lambda input: F.softmax(input, m.dim)


@_forms("Softmin")
def _softmin(m: nn.Softmin) -> Form:
    return lambda input: F.softmin(input, m.dim)


@_forms("LogSoftmax")
def _log_softmax(m: nn.LogSoftmax) -> Form:
    return lambda input: F.log_softmax(input, m.dim)


@_forms("Softmax2d")
def _softmax2d(m: nn.Softmax2d) -> Form:
    def form(input: Tensor) -> Tensor:
        if input.dim() not in (3, 4):
            raise ValueError(
                f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead"
            )
        return F.softmax(input, -3)

    return form


# --------------------------------------------------------------------------- #
# Linear and convolution
# --------------------------------------------------------------------------- #


@_forms("Linear", "LazyLinear")
def _linear(m: nn.Linear) -> Form:
    return lambda input: F.linear(input, m.weight, m.bias)


@_forms("Bilinear")
def _bilinear(m: nn.Bilinear) -> Form:
    return lambda input1, input2: F.bilinear(input1, input2, m.weight, m.bias)


def _pad_for_mode(m: Any) -> list[int]:
    """F.pad's padding list (last dimension first) for a conv's padding_mode."""
    if isinstance(m.padding, str):
        out = [0, 0] * len(m.kernel_size)
        if m.padding == "same":
            for i, (d, k) in enumerate(
                zip(reversed(m.dilation), reversed(m.kernel_size), strict=True)
            ):
                total = d * (k - 1)
                out[2 * i], out[2 * i + 1] = total // 2, total - total // 2
        return out
    return [p for p in reversed(m.padding) for _ in range(2)]


_CONV: dict[Any, Callable[..., Tensor]] = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T: dict[Any, Callable[..., Tensor]] = {
    1: F.conv_transpose1d,
    2: F.conv_transpose2d,
    3: F.conv_transpose3d,
}


@_forms("Conv1d", "Conv2d", "Conv3d", "LazyConv1d", "LazyConv2d", "LazyConv3d")
def _conv(m: nn.Conv2d) -> Form:
    conv = _CONV[len(m.kernel_size)]

    def form(input: Tensor) -> Tensor:
        if m.padding_mode != "zeros":
            padded = F.pad(input, _pad_for_mode(m), mode=m.padding_mode)
            zero = (0,) * len(m.kernel_size)
            return conv(padded, m.weight, m.bias, m.stride, zero, m.dilation, m.groups)
        return conv(input, m.weight, m.bias, m.stride, m.padding, m.dilation, m.groups)

    return form


def _output_padding(m: Any, input: Tensor, output_size: list[int] | None, nd: int) -> list[int]:
    """The output_padding that makes a transposed conv produce ``output_size``."""
    if output_size is None:
        return list(m.output_padding)
    non_spatial = 2 if input.dim() == nd + 2 else 1
    size = list(output_size)
    if len(size) == non_spatial + nd:
        size = size[non_spatial:]
    if len(size) != nd:
        raise ValueError(
            f"ConvTranspose{nd}D: for {input.dim()}D input, output_size must have {nd} "
            f"or {non_spatial + nd} elements (got {len(size)})"
        )
    mins = [
        (input.size(d + non_spatial) - 1) * m.stride[d]
        - 2 * m.padding[d]
        + m.dilation[d] * (m.kernel_size[d] - 1)
        + 1
        for d in range(nd)
    ]
    maxs = [lo + m.stride[d] - 1 for d, lo in enumerate(mins)]
    for s, lo, hi in zip(size, mins, maxs, strict=True):
        if not lo <= s <= hi:
            raise ValueError(
                f"requested an output size of {size}, but valid sizes range "
                f"from {mins} to {maxs} (for an input of {input.size()[2:]})"
            )
    return [s - lo for s, lo in zip(size, mins, strict=True)]


@_forms(
    "ConvTranspose1d",
    "ConvTranspose2d",
    "ConvTranspose3d",
    "LazyConvTranspose1d",
    "LazyConvTranspose2d",
    "LazyConvTranspose3d",
)
def _conv_transpose(m: Any) -> Form:
    nd = len(m.kernel_size)
    conv_t = _CONV_T[nd]

    def form(input: Tensor, output_size: list[int] | None = None) -> Tensor:
        if m.padding_mode != "zeros":
            raise ValueError(f"Only `zeros` padding mode is supported for ConvTranspose{nd}d")
        output_padding = _output_padding(m, input, output_size, nd)
        return conv_t(
            input, m.weight, m.bias, m.stride, m.padding, output_padding, m.groups, m.dilation
        )

    return form


# --------------------------------------------------------------------------- #
# Pooling
# --------------------------------------------------------------------------- #

_MAX_POOL: dict[Any, Callable[..., Any]] = {"1": F.max_pool1d, "2": F.max_pool2d, "3": F.max_pool3d}
_AVG_POOL: dict[Any, Callable[..., Any]] = {"1": F.avg_pool1d, "2": F.avg_pool2d, "3": F.avg_pool3d}
_LP_POOL: dict[Any, Callable[..., Any]] = {"1": F.lp_pool1d, "2": F.lp_pool2d, "3": F.lp_pool3d}
_ADA_AVG: dict[Any, Callable[..., Any]] = {
    "1": F.adaptive_avg_pool1d,
    "2": F.adaptive_avg_pool2d,
    "3": F.adaptive_avg_pool3d,
}
_ADA_MAX: dict[Any, Callable[..., Any]] = {
    "1": F.adaptive_max_pool1d,
    "2": F.adaptive_max_pool2d,
    "3": F.adaptive_max_pool3d,
}
_UNPOOL: dict[Any, Callable[..., Tensor]] = {
    "1": F.max_unpool1d,
    "2": F.max_unpool2d,
    "3": F.max_unpool3d,
}
_FRAC: dict[Any, Callable[..., Any]] = {"2": F.fractional_max_pool2d, "3": F.fractional_max_pool3d}


def _nd(m: nn.Module) -> str:
    return type(m).__name__[-2]


@_forms("MaxPool1d", "MaxPool2d", "MaxPool3d")
def _max_pool(m: Any) -> Form:
    fn = _MAX_POOL[_nd(m)]
    return lambda input: fn(
        input,
        m.kernel_size,
        m.stride,
        m.padding,
        m.dilation,
        ceil_mode=m.ceil_mode,
        return_indices=m.return_indices,
    )


@_forms("AvgPool1d")
def _avg_pool1d(m: Any) -> Form:
    return lambda input: F.avg_pool1d(
        input, m.kernel_size, m.stride, m.padding, m.ceil_mode, m.count_include_pad
    )


@_forms("AvgPool2d", "AvgPool3d")
def _avg_pool(m: nn.AvgPool2d) -> Form:
    fn = _AVG_POOL[_nd(m)]
    return lambda input: fn(
        input,
        m.kernel_size,
        m.stride,
        m.padding,
        m.ceil_mode,
        m.count_include_pad,
        m.divisor_override,
    )


@_forms("LPPool1d", "LPPool2d", "LPPool3d")
def _lp_pool(m: Any) -> Form:
    fn = _LP_POOL[_nd(m)]
    return lambda input: fn(input, float(m.norm_type), m.kernel_size, m.stride, m.ceil_mode)


@_forms("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d")
def _adaptive_avg(m: Any) -> Form:
    fn = _ADA_AVG[_nd(m)]
    return lambda input: fn(input, m.output_size)


@_forms("AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d")
def _adaptive_max(m: Any) -> Form:
    fn = _ADA_MAX[_nd(m)]
    return lambda input: fn(input, m.output_size, m.return_indices)


@_forms("MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d")
def _max_unpool(m: Any) -> Form:
    fn = _UNPOOL[_nd(m)]

    def form(input: Tensor, indices: Tensor, output_size: list[int] | None = None) -> Tensor:
        return fn(input, indices, m.kernel_size, m.stride, m.padding, output_size)

    return form


@_forms("FractionalMaxPool2d", "FractionalMaxPool3d")
def _fractional(m: Any) -> Form:
    fn = _FRAC[_nd(m)]
    return lambda input: fn(
        input,
        m.kernel_size,
        m.output_size,
        m.output_ratio,
        m.return_indices,
        _random_samples=m._random_samples,
    )


# --------------------------------------------------------------------------- #
# Normalization
# --------------------------------------------------------------------------- #

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
    dims = _BN_DIMS[_nd(m)]

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
    no_batch = int(_nd(m)) + 1

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


# --------------------------------------------------------------------------- #
# Dropout
# --------------------------------------------------------------------------- #

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


# --------------------------------------------------------------------------- #
# Sparse
# --------------------------------------------------------------------------- #


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


# --------------------------------------------------------------------------- #
# Losses
# --------------------------------------------------------------------------- #


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


# --------------------------------------------------------------------------- #
# Padding, vision, shape, distance
# --------------------------------------------------------------------------- #


@_forms(
    "ConstantPad1d",
    "ConstantPad2d",
    "ConstantPad3d",
    "ZeroPad1d",
    "ZeroPad2d",
    "ZeroPad3d",
)
def _constant_pad(m: nn.ConstantPad2d) -> Form:
    return lambda input: F.pad(input, m.padding, "constant", m.value)


@_forms("ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d")
def _reflection_pad(m: nn.ReflectionPad2d) -> Form:
    return lambda input: F.pad(input, m.padding, "reflect")


@_forms("ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d")
def _replication_pad(m: nn.ReplicationPad2d) -> Form:
    return lambda input: F.pad(input, m.padding, "replicate")


@_forms("CircularPad1d", "CircularPad2d", "CircularPad3d")
def _circular_pad(m: nn.CircularPad2d) -> Form:
    n = int(_nd(m))

    def form(input: Tensor) -> Tensor:
        if input.dim() not in (n + 1, n + 2):
            raise ValueError(f"expected {n + 1}D or {n + 2}D input (got {input.dim()}D input)")
        return F.pad(input, m.padding, "circular")

    return form


@_forms("PixelShuffle")
def _pixel_shuffle(m: nn.PixelShuffle) -> Form:
    return lambda input: F.pixel_shuffle(input, m.upscale_factor)


@_forms("PixelUnshuffle")
def _pixel_unshuffle(m: nn.PixelUnshuffle) -> Form:
    return lambda input: F.pixel_unshuffle(input, m.downscale_factor)


@_forms("ChannelShuffle")
def _channel_shuffle(m: nn.ChannelShuffle) -> Form:
    return lambda input: F.channel_shuffle(input, m.groups)


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


@_forms("Fold")
def _fold(m: nn.Fold) -> Form:
    return lambda input: F.fold(
        input, m.output_size, m.kernel_size, m.dilation, m.padding, m.stride
    )


@_forms("Unfold")
def _unfold(m: nn.Unfold) -> Form:
    return lambda input: F.unfold(input, m.kernel_size, m.dilation, m.padding, m.stride)


@_forms("Flatten")
def _flatten(m: nn.Flatten) -> Form:
    return lambda input: torch.flatten(input, m.start_dim, m.end_dim)


@_forms("Unflatten")
def _unflatten(m: nn.Unflatten) -> Form:
    return lambda input: torch.unflatten(input, m.dim, m.unflattened_size)


@_forms("PairwiseDistance")
def _pairwise(m: nn.PairwiseDistance) -> Form:
    return lambda x1, x2: F.pairwise_distance(x1, x2, m.norm, m.eps, m.keepdim)


@_forms("CosineSimilarity")
def _cosine(m: nn.CosineSimilarity) -> Form:
    return lambda x1, x2: F.cosine_similarity(x1, x2, m.dim, m.eps)


@_forms("MultiheadAttention")
def _mha(m: nn.MultiheadAttention) -> Form:
    def form(
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        # The module canonicalises boolean masks to float masks first (and warns
        # when their types differ); F._canonical_mask is that step.
        key_padding_mask = F._canonical_mask(
            mask=key_padding_mask,
            mask_name="key_padding_mask",
            other_type=F._none_or_dtype(attn_mask),
            other_name="attn_mask",
            target_type=query.dtype,
        )
        attn_mask = F._canonical_mask(
            mask=attn_mask,
            mask_name="attn_mask",
            other_type=None,
            other_name="",
            target_type=query.dtype,
            check_other=False,
        )
        batched = query.dim() == 3
        if m.batch_first and batched:
            if key is value:
                if query is key:
                    query = key = value = query.transpose(1, 0)
                else:
                    query, key = (x.transpose(1, 0) for x in (query, key))
                    value = key
            else:
                query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate: dict[str, Any] = {}
        if not m._qkv_same_embed_dim:
            separate = dict(
                use_separate_proj_weight=True,
                q_proj_weight=m.q_proj_weight,
                k_proj_weight=m.k_proj_weight,
                v_proj_weight=m.v_proj_weight,
            )
        out, weights = F.multi_head_attention_forward(
            query,
            key,
            value,
            m.embed_dim,
            m.num_heads,
            m.in_proj_weight,
            m.in_proj_bias,
            m.bias_k,
            m.bias_v,
            m.add_zero_attn,
            m.dropout,
            m.out_proj.weight,
            m.out_proj.bias,
            training=m.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
            **separate,
        )
        if m.batch_first and batched:
            out = out.transpose(1, 0)
        return out, weights

    return form


# --------------------------------------------------------------------------- #
# Verification cases
# --------------------------------------------------------------------------- #


class _Gen:
    """Seeded input factory for one case and dtype."""

    def __init__(self, dtype: torch.dtype, seed: int) -> None:
        self.dtype = dtype
        self.g = torch.Generator().manual_seed(seed)

    def randn(self, *shape: int, scale: float = 1.0) -> Tensor:
        return torch.randn(shape, generator=self.g, dtype=self.dtype) * scale

    def rand(self, *shape: int) -> Tensor:
        return torch.rand(shape, generator=self.g, dtype=self.dtype)

    def randint(self, low: int, high: int, *shape: int) -> Tensor:
        return torch.randint(low, high, shape, generator=self.g)

    def sign(self, *shape: int) -> Tensor:
        return self.randint(0, 2, *shape).to(self.dtype) * 2 - 1


_Made = tuple[nn.Module, tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """One verification case: a module and inputs on which module and form must agree.

    Args:
        module: the registry name of the module (``"Conv2d"``).
        id: a unique, readable id (``"Conv2d-reflect-stride2"``).
        make: builds ``(module, args, kwargs)`` from a seeded input factory.
        fast_path: the entry's tolerances apply to this case in eval mode: the case
            where MultiheadAttention takes its fused path. That path also needs
            ``no_grad`` here, as it is not taken while grad is enabled and a projection
            weight requires grad (parameters do by default).
        no_grad: run the module and the form under ``torch.no_grad()``.
    """

    module: str
    id: str
    make: Callable[[_Gen], _Made]
    fast_path: bool = False
    no_grad: bool = False

    def build(self, dtype: torch.dtype) -> _Made:
        """Build the module (cast to ``dtype``) and its inputs, reproducibly.

        Args:
            dtype: ``torch.float32`` or ``torch.float64``.

        Returns:
            ``(module, args, kwargs)``; the global RNG is left as it was.

        Examples:

            >>> case = verification_cases("Linear")[0]
            >>> m, args, kwargs = case.build(torch.float64)
            >>> m.weight.dtype, args[0].dtype
            (torch.float64, torch.float64)
            >>> rng = torch.get_rng_state()
            >>> again = case.build(torch.float64)
            >>> torch.equal(again[1][0], args[0]), torch.equal(again[0].weight, m.weight)
            (True, True)
            >>> torch.equal(torch.get_rng_state(), rng)
            True
        """
        seed = sum(ord(c) * (i + 1) for i, c in enumerate(self.id)) % (2**31)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            m, args, kwargs = self.make(_Gen(dtype, seed))
        return m.to(dtype), args, kwargs


_CASES: dict[str, list[Case]] = {}


def _case(module: str, id: str, make: Callable[[_Gen], _Made], **kw: Any) -> None:
    if isinstance(getattr(nn, module, None), type):
        cases = _CASES.setdefault(module, [])
        cases.append(Case(module, f"{module}-{id}", make, **kw))


def verification_cases(module: str | None = None) -> list[Case]:
    """The verification cases, of one module or of all.

    Args:
        module: a registry name (``"Conv2d"``), or ``None`` for all cases.

    Returns:
        The cases; an empty list for a module without cases.

    Examples:

        >>> len(verification_cases("Conv2d")) > 3
        True
        >>> verification_cases("LSTM")
        []
    """
    if module is None:
        return [c for cs in _CASES.values() for c in cs]
    return list(_CASES.get(module, []))


def _one(
    module: str,
    id: str,
    ctor: Callable[[], nn.Module],
    shapes: list[tuple[int, ...]],
    scale: float = 1.0,
    positive: bool = False,
) -> None:
    """Cases for a one-input module on several input shapes."""
    for shape in shapes:

        def make(g: _Gen, shape: tuple[int, ...] = shape) -> _Made:
            x = g.rand(*shape) + 0.1 if positive else g.randn(*shape, scale=scale)
            return ctor(), (x,), {}

        _case(module, f"{id}-{'x'.join(map(str, shape))}", make)


def _two(module: str, id: str, ctor: Callable[[], nn.Module], shape: tuple[int, ...]) -> None:
    """A case for a two-input module, on two inputs of the same shape."""

    def make(g: _Gen) -> _Made:
        return ctor(), (g.randn(*shape), g.randn(*shape)), {}

    _case(module, id, make)


_ACT_SHAPES = [(7,), (2, 3, 4)]


def _activations() -> None:
    a = _ACT_SHAPES
    table: dict[str, list[dict[str, Any]]] = {
        "ReLU": [{}, {"inplace": True}],
        "ReLU6": [{}, {"inplace": True}],
        "Hardtanh": [{}, {"min_val": -0.5, "max_val": 2.0}, {"inplace": True}],
        "ELU": [{"alpha": 0.7}, {"inplace": True}],
        "CELU": [{"alpha": 1.3}, {"inplace": True}],
        "SELU": [{}, {"inplace": True}],
        "GELU": [{}, {"approximate": "tanh"}],
        "Hardshrink": [{}, {"lambd": 0.3}],
        "Softshrink": [{}, {"lambd": 0.7}],
        "LeakyReLU": [{}, {"negative_slope": 0.2, "inplace": True}],
        "LogSigmoid": [{}],
        "Softplus": [{}, {"beta": 2.0, "threshold": 5.0}],
        "PReLU": [{}, {"init": 0.1}],
        "Softsign": [{}],
        "Tanhshrink": [{}],
        "Threshold": [
            {"threshold": 0.1, "value": 20.0},
            {"threshold": -0.2, "value": 0.0, "inplace": True},
        ],
        "Hardsigmoid": [{}, {"inplace": True}],
        "Hardswish": [{}, {"inplace": True}],
        "SiLU": [{}, {"inplace": True}],
        "Mish": [{}, {"inplace": True}],
        "RReLU": [{}, {"lower": 0.1, "upper": 0.5}, {"inplace": True}],
        "Sigmoid": [{}],
        "Tanh": [{}],
        "Softmax": [{"dim": 0}, {"dim": -1}],
        "Softmin": [{"dim": 0}, {"dim": -1}],
        "LogSoftmax": [{"dim": 0}, {"dim": -1}],
    }
    for name, kws in table.items():
        for kw in kws:
            cls = getattr(nn, name)
            tag = ",".join(f"{k}={v}" for k, v in kw.items()) or "default"
            _one(name, tag, partial(cls, **kw), a, scale=4.0)
    _one("PReLU", "num_parameters=3", lambda: nn.PReLU(3), [(2, 3, 4)], scale=3.0)
    _one("GLU", "default", lambda: nn.GLU(), [(6,), (2, 3, 4)])
    _one("GLU", "dim=1", lambda: nn.GLU(1), [(2, 4, 3)])
    _one("Softmax2d", "default", lambda: nn.Softmax2d(), [(3, 4, 5), (2, 3, 4, 5)])


def _linear_cases() -> None:
    _one("Linear", "bias", lambda: nn.Linear(5, 3), [(4, 5), (2, 3, 5), (5,)])
    _one("Linear", "no-bias", lambda: nn.Linear(5, 3, bias=False), [(4, 5)])

    def lazy_linear(g: _Gen) -> _Made:
        m = nn.LazyLinear(3, dtype=g.dtype)
        m(g.randn(2, 5))  # materialise
        return m, (g.randn(4, 5),), {}

    _case("LazyLinear", "materialised", lazy_linear)

    def bilinear(bias: bool) -> Callable[[_Gen], _Made]:
        return lambda g: (nn.Bilinear(4, 5, 3, bias=bias), (g.randn(6, 4), g.randn(6, 5)), {})

    _case("Bilinear", "bias", bilinear(True))
    _case("Bilinear", "no-bias", bilinear(False))


_SPATIAL = {1: (9,), 2: (7, 6), 3: (5, 5, 4)}


def _conv_cases() -> None:
    for n, sp in _SPATIAL.items():
        conv, convt = getattr(nn, f"Conv{n}d"), getattr(nn, f"ConvTranspose{n}d")
        variants: dict[str, dict[str, Any]] = {
            "default": {},
            "stride2-pad1-dil2-groups2-nobias": dict(
                stride=2, padding=1, dilation=2, groups=2, bias=False
            ),
            "same-dil2": dict(padding="same", dilation=2),
            "valid": dict(padding="valid", stride=2),
            "reflect": dict(padding=1, padding_mode="reflect"),
            "replicate-stride2": dict(padding=2, stride=2, padding_mode="replicate"),
            "circular-groups4": dict(padding=1, groups=4, padding_mode="circular"),
            "same-reflect-dil2": dict(padding="same", dilation=2, padding_mode="reflect"),
        }
        if n == 2:
            variants["asym-pad-circular"] = dict(padding=(1, 2), padding_mode="circular")
        for tag, kw in variants.items():

            def make(g: _Gen, conv: Any = conv, kw: dict[str, Any] = kw, sp: Any = sp) -> _Made:
                return conv(4, 8, 3, **kw), (g.randn(2, 4, *sp),), {}

            _case(conv.__name__, tag, make)
        _one(conv.__name__, "unbatched", partial(conv, 4, 6, 2, padding=1), [(4, *sp)])

        def lazy(g: _Gen, n: int = n, sp: Any = sp) -> _Made:
            m = getattr(nn, f"LazyConv{n}d")(
                6, 3, padding=1, padding_mode="circular", dtype=g.dtype
            )
            m(g.randn(1, 4, *sp))
            return m, (g.randn(2, 4, *sp),), {}

        _case(f"LazyConv{n}d", "circular", lazy)

        tvariants: dict[str, dict[str, Any]] = {
            "default": {},
            "stride2-pad1-outpad1-groups2-dil2-nobias": dict(
                stride=2, padding=1, output_padding=1, groups=2, dilation=2, bias=False
            ),
        }
        for tag, kw in tvariants.items():

            def tmake(g: _Gen, convt: Any = convt, kw: dict[str, Any] = kw, sp: Any = sp) -> _Made:
                return convt(4, 6, 3, **kw), (g.randn(2, 4, *sp),), {}

            _case(convt.__name__, tag, tmake)

        def tsize(g: _Gen, convt: Any = convt, sp: Any = sp) -> _Made:
            m = convt(4, 6, 3, stride=2, padding=1)
            size = [(s - 1) * 2 - 2 + 3 + 1 for s in sp]  # minimal size + 1
            return m, (g.randn(2, 4, *sp),), {"output_size": size}

        _case(convt.__name__, "output_size", tsize)
        _one(convt.__name__, "unbatched", partial(convt, 4, 6, 2), [(4, *sp)])

        def tlazy(g: _Gen, n: int = n, sp: Any = sp) -> _Made:
            m = getattr(nn, f"LazyConvTranspose{n}d")(6, 3, stride=2, dtype=g.dtype)
            m(g.randn(1, 4, *sp))
            return m, (g.randn(2, 4, *sp),), {}

        _case(f"LazyConvTranspose{n}d", "stride2", tlazy)


def _pool_cases() -> None:
    shapes = {1: (2, 3, 11), 2: (2, 3, 9, 8), 3: (1, 2, 7, 6, 6)}
    for n, shape in shapes.items():
        unbatched = shape[1:]
        for tag, kw in {
            "k2": dict(kernel_size=2),
            "k3-s2-p1-ceil": dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
            "k3-dil2-indices": dict(kernel_size=3, dilation=2, padding=1, return_indices=True),
        }.items():
            cls = getattr(nn, f"MaxPool{n}d")
            _one(cls.__name__, tag, partial(cls, **kw), [shape, unbatched])
        avg: dict[str, dict[str, Any]] = {
            "k2": dict(kernel_size=2),
            "k3-s2-p1-ceil-nopad": dict(
                kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False
            ),
        }
        if n > 1:
            avg["divisor3"] = dict(kernel_size=2, divisor_override=3)
        for tag, kw in avg.items():
            cls = getattr(nn, f"AvgPool{n}d")
            _one(cls.__name__, tag, partial(cls, **kw), [shape])
        lp: dict[str, dict[str, Any]] = {
            "p2-k2": dict(norm_type=2, kernel_size=2),
            "p1.5-k3-s2-ceil": dict(norm_type=1.5, kernel_size=3, stride=2, ceil_mode=True),
        }
        for tag, kw in lp.items():
            cls = getattr(nn, f"LPPool{n}d")
            _one(cls.__name__, tag, partial(cls, **kw), [shape], positive=True)
        sizes: list[Any] = [3, (2,) * n if n > 1 else 4]
        if n > 1:
            sizes.append((None,) + (2,) * (n - 1))
        for size in sizes:
            for base in ("AdaptiveAvgPool", "AdaptiveMaxPool"):
                cls = getattr(nn, f"{base}{n}d")
                _one(cls.__name__, f"size={size}", partial(cls, size), [shape, unbatched])
        cls = getattr(nn, f"AdaptiveMaxPool{n}d")
        _one(cls.__name__, "indices", partial(cls, 2, return_indices=True), [shape])

        pool = getattr(F, f"max_pool{n}d")
        unpool = getattr(nn, f"MaxUnpool{n}d")

        def unpool_make(
            g: _Gen, pool: Any = pool, unpool: Any = unpool, shape: Any = shape
        ) -> _Made:
            out, idx = pool(g.randn(*shape), 2, 2, return_indices=True)
            return unpool(2, 2), (out, idx), {}

        def unpool_size(
            g: _Gen, pool: Any = pool, unpool: Any = unpool, shape: Any = shape
        ) -> _Made:
            out, idx = pool(g.randn(*shape), 2, 2, return_indices=True)
            return unpool(2, 2), (out, idx), {"output_size": list(shape[2:])}

        _case(unpool.__name__, "k2", unpool_make)
        _case(unpool.__name__, "output_size", unpool_size)
    for n in (2, 3):
        cls = getattr(nn, f"FractionalMaxPool{n}d")
        shape = shapes[n]
        _one(cls.__name__, "k2-size3", partial(cls, 2, output_size=3), [shape])
        _one(
            cls.__name__,
            "k3-ratio0.5-indices",
            partial(cls, 3, output_ratio=0.5, return_indices=True),
            [shape],
        )

        def fixed(g: _Gen, cls: Any = cls, shape: Any = shape, n: int = n) -> _Made:
            samples = g.rand(shape[0], shape[1], n)
            return cls(2, output_size=3, _random_samples=samples), (g.randn(*shape),), {}

        _case(cls.__name__, "fixed-samples", fixed)


def _norm_cases() -> None:
    bn_shapes: dict[int, list[tuple[int, ...]]] = {
        1: [(8, 4), (8, 4, 5)],
        2: [(6, 4, 3, 3)],
        3: [(4, 4, 2, 3, 3)],
    }
    bn_variants: dict[str, dict[str, Any]] = {
        "default": {},
        "momentum=None": dict(momentum=None),
        "eps-momentum-noaffine": dict(eps=1e-3, momentum=0.3, affine=False),
        "no-running-stats": dict(track_running_stats=False),
    }
    for n, shapes in bn_shapes.items():
        cls = getattr(nn, f"BatchNorm{n}d")
        for tag, kw in bn_variants.items():
            _one(cls.__name__, tag, partial(cls, 4, **kw), shapes)

        def lazy_bn(g: _Gen, n: int = n, shape: Any = shapes[-1]) -> _Made:
            m = getattr(nn, f"LazyBatchNorm{n}d")(momentum=None, dtype=g.dtype)
            m(g.randn(*shape))
            return m, (g.randn(*shape),), {}

        _case(f"LazyBatchNorm{n}d", "momentum=None", lazy_bn)
        icls = getattr(nn, f"InstanceNorm{n}d")
        ishape = (3, 4) + (5,) * n
        in_variants: dict[str, dict[str, Any]] = {
            "default": {},
            "affine": dict(affine=True),
            "track": dict(track_running_stats=True, momentum=0.2),
            "track-momentum=None-affine": dict(
                track_running_stats=True, momentum=None, affine=True
            ),
        }
        for tag, kw in in_variants.items():
            _one(icls.__name__, tag, partial(icls, 4, **kw), [ishape, ishape[1:]])

        def lazy_in(g: _Gen, n: int = n, shape: Any = ishape) -> _Made:
            m = getattr(nn, f"LazyInstanceNorm{n}d")(
                affine=True, track_running_stats=True, dtype=g.dtype
            )
            m(g.randn(*shape))
            return m, (g.randn(*shape),), {}

        _case(f"LazyInstanceNorm{n}d", "affine-track", lazy_in)
    sync: dict[str, dict[str, Any]] = {"default": {}, "momentum=None": dict(momentum=None)}
    for tag, kw in sync.items():
        _one("SyncBatchNorm", tag, partial(nn.SyncBatchNorm, 4, **kw), [(6, 4, 3, 3), (6, 4)])
    _one("LayerNorm", "last", lambda: nn.LayerNorm(5), [(5,), (3, 4, 5)])
    _one(
        "LayerNorm",
        "2d-noaffine",
        lambda: nn.LayerNorm([4, 5], elementwise_affine=False),
        [(3, 4, 5)],
    )
    _one("LayerNorm", "nobias-eps", lambda: nn.LayerNorm(5, eps=1e-3, bias=False), [(3, 5)])
    _one("GroupNorm", "2-groups", lambda: nn.GroupNorm(2, 4), [(3, 4, 5), (3, 4)])
    _one(
        "GroupNorm",
        "4-groups-noaffine",
        lambda: nn.GroupNorm(4, 4, eps=1e-3, affine=False),
        [(3, 4, 2, 2)],
    )
    _one("LocalResponseNorm", "3", lambda: nn.LocalResponseNorm(3), [(2, 5, 4), (2, 5, 4, 4)])
    _one(
        "LocalResponseNorm",
        "2-args",
        lambda: nn.LocalResponseNorm(2, alpha=1e-2, beta=0.5, k=2.0),
        [(2, 5, 3, 3, 2)],
    )
    _one("RMSNorm", "last", lambda: nn.RMSNorm(5), [(5,), (3, 4, 5)])
    _one(
        "RMSNorm",
        "2d-eps-noaffine",
        lambda: nn.RMSNorm([4, 5], eps=1e-3, elementwise_affine=False),
        [(3, 4, 5)],
    )


def _dropout_cases() -> None:
    table: dict[str, list[tuple[int, ...]]] = {
        "Dropout": [(20,), (4, 5, 6)],
        "Dropout1d": [(2, 4, 6), (4, 6)],
        "Dropout2d": [(2, 4, 5, 5)],
        "Dropout3d": [(2, 4, 3, 3, 3), (4, 3, 3, 3)],
        "AlphaDropout": [(20,), (4, 5, 6)],
        "FeatureAlphaDropout": [(2, 4, 5, 5)],
    }
    for name, shapes in table.items():
        cls = getattr(nn, name)
        _one(name, "p0.3", partial(cls, 0.3), shapes)
        if "Alpha" not in name:
            _one(name, "p0.5-inplace", partial(cls, 0.5, inplace=True), shapes[:1])


def _sparse_cases() -> None:
    emb: dict[str, dict[str, Any]] = {
        "default": {},
        "padding_idx": dict(padding_idx=0),
        "max_norm": dict(max_norm=1.0),
        "max_norm-p1-freq": dict(max_norm=0.5, norm_type=1.0, scale_grad_by_freq=True),
        "sparse": dict(sparse=True),
    }
    for tag, kw in emb.items():

        def embedding(g: _Gen, kw: dict[str, Any] = kw) -> _Made:
            return nn.Embedding(10, 4, **kw), (g.randint(0, 10, 3, 5),), {}

        _case("Embedding", tag, embedding)
    for mode in ("sum", "mean", "max"):

        def bag(g: _Gen, mode: str = mode) -> _Made:
            return (
                nn.EmbeddingBag(10, 4, mode=mode),
                (g.randint(0, 10, 8), torch.tensor([0, 3, 3, 6])),
                {},
            )

        def bag2d(g: _Gen, mode: str = mode) -> _Made:
            m = nn.EmbeddingBag(10, 4, mode=mode, padding_idx=1, max_norm=1.0)
            return m, (g.randint(0, 10, 3, 4),), {}

        _case("EmbeddingBag", f"{mode}-offsets", bag)
        _case("EmbeddingBag", f"{mode}-2d-padding_idx-max_norm", bag2d)

    def weighted(g: _Gen) -> _Made:
        m = nn.EmbeddingBag(10, 4, mode="sum", include_last_offset=True)
        return (
            m,
            (g.randint(0, 10, 8), torch.tensor([0, 2, 5, 8])),
            {"per_sample_weights": g.rand(8)},
        )

    _case("EmbeddingBag", "sum-per_sample_weights-last_offset", weighted)


_REDUCTIONS = ("none", "mean", "sum")


def _loss_cases() -> None:
    def pair(name: str, ctor: Callable[[str], nn.Module], tgt: str = "randn") -> None:
        for r in _REDUCTIONS:

            def make(g: _Gen, r: str = r) -> _Made:
                x = g.randn(4, 5)
                t = {"randn": lambda: g.randn(4, 5), "sign": lambda: g.sign(4, 5)}[tgt]()
                return ctor(r), (x, t), {}

            _case(name, r, make)

    pair("L1Loss", lambda r: nn.L1Loss(reduction=r))
    pair("MSELoss", lambda r: nn.MSELoss(reduction=r))
    pair("HuberLoss", lambda r: nn.HuberLoss(reduction=r, delta=0.5))
    pair("SmoothL1Loss", lambda r: nn.SmoothL1Loss(reduction=r, beta=0.5))
    pair("SoftMarginLoss", lambda r: nn.SoftMarginLoss(reduction=r), "sign")
    pair("HingeEmbeddingLoss", lambda r: nn.HingeEmbeddingLoss(margin=0.5, reduction=r), "sign")
    for r in _REDUCTIONS:
        for wtag in ("", "-weight-ignore"):

            def nll(g: _Gen, r: str = r, w: bool = bool(wtag), name: str = "NLLLoss") -> _Made:
                kw: dict[str, Any] = dict(weight=g.rand(5), ignore_index=2) if w else {}
                x = torch.log_softmax(g.randn(6, 5, 3), 1)
                return nn.NLLLoss(reduction=r, **kw), (x, g.randint(0, 5, 6, 3)), {}

            def nll2d(g: _Gen, r: str = r, w: bool = bool(wtag)) -> _Made:
                import warnings

                kw: dict[str, Any] = dict(weight=g.rand(5), ignore_index=2) if w else {}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FutureWarning)  # NLLLoss2d is deprecated
                    m = nn.NLLLoss2d(reduction=r, **kw)
                x = torch.log_softmax(g.randn(2, 5, 3, 3), 1)
                return m, (x, g.randint(0, 5, 2, 3, 3)), {}

            def ce(g: _Gen, r: str = r, w: bool = bool(wtag)) -> _Made:
                kw: dict[str, Any] = (
                    dict(weight=g.rand(5), ignore_index=2, label_smoothing=0.1) if w else {}
                )
                return (
                    nn.CrossEntropyLoss(reduction=r, **kw),
                    (g.randn(6, 5), g.randint(0, 5, 6)),
                    {},
                )

            def lce(g: _Gen, r: str = r, w: bool = bool(wtag)) -> _Made:
                kw: dict[str, Any] = (
                    dict(
                        weight=g.rand(4),
                        ignore_index=2,
                        label_smoothing=0.1,
                        bias=True,
                        out_features=(3,),
                    )
                    if w
                    else {}
                )
                m = nn.LinearCrossEntropyLoss(5, 4, reduction=r, **kw)
                t = g.randint(0, 4, 6, 3) if w else g.randint(0, 4, 6)
                return m, (g.randn(6, 5), t), {}

            _case("NLLLoss", r + wtag, nll)
            _case("NLLLoss2d", r + wtag, nll2d)
            _case("CrossEntropyLoss", r + wtag, ce)
            _case("LinearCrossEntropyLoss", r + wtag, lce)

        def ce_prob(g: _Gen, r: str = r) -> _Made:
            t = torch.softmax(g.randn(6, 5, 2), 1)
            return nn.CrossEntropyLoss(reduction=r, label_smoothing=0.2), (g.randn(6, 5, 2), t), {}

        def bce(g: _Gen, r: str = r) -> _Made:
            return (
                nn.BCELoss(weight=g.rand(5), reduction=r),
                (torch.sigmoid(g.randn(4, 5)), g.rand(4, 5)),
                {},
            )

        def bcel(g: _Gen, r: str = r) -> _Made:
            m = nn.BCEWithLogitsLoss(weight=g.rand(5), pos_weight=g.rand(5) + 0.5, reduction=r)
            return m, (g.randn(4, 5), g.rand(4, 5)), {}

        def poisson(g: _Gen, r: str = r) -> _Made:
            return (
                nn.PoissonNLLLoss(log_input=False, full=True, reduction=r),
                (g.rand(4, 5) + 0.1, g.randint(0, 4, 4, 5).to(g.dtype)),
                {},
            )

        def poisson_log(g: _Gen, r: str = r) -> _Made:
            return (
                nn.PoissonNLLLoss(reduction=r, eps=1e-6),
                (g.randn(4, 5), g.randint(0, 4, 4, 5).to(g.dtype)),
                {},
            )

        def gauss(g: _Gen, r: str = r) -> _Made:
            return (
                nn.GaussianNLLLoss(full=True, eps=1e-4, reduction=r),
                (g.randn(4, 5), g.randn(4, 5), g.rand(4, 1) + 0.1),
                {},
            )

        def ctc(g: _Gen, r: str = r) -> _Made:
            lp = torch.log_softmax(g.randn(12, 3, 6), 2)
            tg = g.randint(1, 6, 3, 5)
            return (
                nn.CTCLoss(blank=0, reduction=r, zero_infinity=True),
                (lp, tg, torch.tensor([12, 10, 9]), torch.tensor([5, 3, 4])),
                {},
            )

        def cosemb(g: _Gen, r: str = r) -> _Made:
            return (
                nn.CosineEmbeddingLoss(margin=0.2, reduction=r),
                (g.randn(4, 5), g.randn(4, 5), g.sign(4)),
                {},
            )

        def ranking(g: _Gen, r: str = r) -> _Made:
            return (
                nn.MarginRankingLoss(margin=0.1, reduction=r),
                (g.randn(6), g.randn(6), g.sign(6)),
                {},
            )

        def mlm(g: _Gen, r: str = r) -> _Made:
            t = torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1]])
            return nn.MultiLabelMarginLoss(reduction=r), (g.randn(2, 4), t), {}

        def mlsm(g: _Gen, r: str = r) -> _Made:
            return (
                nn.MultiLabelSoftMarginLoss(weight=g.rand(5), reduction=r),
                (g.randn(4, 5), g.randint(0, 2, 4, 5).to(g.dtype)),
                {},
            )

        def mm(g: _Gen, r: str = r) -> _Made:
            return (
                nn.MultiMarginLoss(p=2, margin=0.5, weight=g.rand(5), reduction=r),
                (g.randn(4, 5), g.randint(0, 5, 4)),
                {},
            )

        def triplet(g: _Gen, r: str = r) -> _Made:
            return (
                nn.TripletMarginLoss(margin=0.5, p=1.0, swap=True, reduction=r),
                (g.randn(4, 5), g.randn(4, 5), g.randn(4, 5)),
                {},
            )

        def triplet_d(g: _Gen, r: str = r) -> _Made:
            m = nn.TripletMarginWithDistanceLoss(
                distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b),
                margin=0.3,
                swap=True,
                reduction=r,
            )
            return m, (g.randn(4, 5), g.randn(4, 5), g.randn(4, 5)), {}

        for name, mk in {
            "CrossEntropyLoss": ce_prob,
            "BCELoss": bce,
            "BCEWithLogitsLoss": bcel,
            "PoissonNLLLoss": poisson,
            "GaussianNLLLoss": gauss,
            "CTCLoss": ctc,
            "CosineEmbeddingLoss": cosemb,
            "MarginRankingLoss": ranking,
            "MultiLabelMarginLoss": mlm,
            "MultiLabelSoftMarginLoss": mlsm,
            "MultiMarginLoss": mm,
            "TripletMarginLoss": triplet,
            "TripletMarginWithDistanceLoss": triplet_d,
        }.items():
            _case(name, r + ("-prob" if name == "CrossEntropyLoss" else ""), mk)
        _case("PoissonNLLLoss", r + "-log_input", poisson_log)
    for r in ("batchmean", "sum", "none", "mean"):
        for lt in (False, True):

            def kl(g: _Gen, r: str = r, lt: bool = lt) -> _Made:
                x = torch.log_softmax(g.randn(4, 5), 1)
                t = torch.log_softmax(g.randn(4, 5), 1) if lt else torch.softmax(g.randn(4, 5), 1)
                return nn.KLDivLoss(reduction=r, log_target=lt), (x, t), {}

            _case("KLDivLoss", f"{r}-log_target={lt}", kl)


def _misc_cases() -> None:
    shapes = {1: (2, 3, 6), 2: (2, 3, 5, 6), 3: (1, 2, 4, 4, 4)}
    pads: dict[int, list[Any]] = {1: [2, (1, 3)], 2: [1, (1, 0, 2, 3)], 3: [1, (1, 0, 2, 1, 0, 2)]}
    for n, shape in shapes.items():
        for p in pads[n]:
            for base, extra in (
                ("ConstantPad", (1.5,)),
                ("ZeroPad", ()),
                ("ReflectionPad", ()),
                ("ReplicationPad", ()),
                ("CircularPad", ()),
            ):
                cls = getattr(nn, f"{base}{n}d")
                _one(
                    cls.__name__,
                    f"pad={p}",
                    partial(cls, p, *extra),
                    [shape, shape[1:]],
                )
        cls = getattr(nn, f"ConstantPad{n}d")
        _one(cls.__name__, "negative", partial(cls, (-1, 2) * n, -2.0), [shape])
    _one("PixelShuffle", "2", lambda: nn.PixelShuffle(2), [(1, 8, 3, 3), (8, 2, 3)])
    _one("PixelUnshuffle", "2", lambda: nn.PixelUnshuffle(2), [(1, 2, 4, 6), (2, 4, 2)])
    _one("ChannelShuffle", "2", lambda: nn.ChannelShuffle(2), [(2, 4, 3, 3)])
    _one("ChannelShuffle", "3", lambda: nn.ChannelShuffle(3), [(2, 6, 3)])
    for tag, kw, shape in (
        ("nearest-x2", dict(scale_factor=2), (1, 2, 3, 4)),
        (
            "bilinear-size-align",
            dict(size=(5, 7), mode="bilinear", align_corners=True),
            (1, 2, 3, 4),
        ),
        (
            "bicubic-x1.5-recompute",
            dict(scale_factor=1.5, mode="bicubic", recompute_scale_factor=True),
            (1, 2, 4, 4),
        ),
        ("linear-1d", dict(scale_factor=3, mode="linear"), (2, 3, 4)),
        ("trilinear-3d", dict(size=(3, 4, 5), mode="trilinear"), (1, 2, 2, 3, 3)),
        ("nearest-exact", dict(scale_factor=1.7, mode="nearest-exact"), (1, 2, 5, 5)),
    ):
        _one("Upsample", tag, partial(nn.Upsample, **kw), [shape])
    _one(
        "UpsamplingNearest2d", "x2", lambda: nn.UpsamplingNearest2d(scale_factor=2), [(1, 2, 3, 4)]
    )
    _one("UpsamplingNearest2d", "size", lambda: nn.UpsamplingNearest2d(size=(5, 7)), [(1, 2, 3, 4)])
    _one(
        "UpsamplingBilinear2d",
        "x2",
        lambda: nn.UpsamplingBilinear2d(scale_factor=2),
        [(1, 2, 3, 4)],
    )
    _one(
        "UpsamplingBilinear2d", "size", lambda: nn.UpsamplingBilinear2d(size=(5, 6)), [(1, 2, 3, 4)]
    )
    _one("Fold", "k2", lambda: nn.Fold((4, 5), 2), [(2, 12, 12), (12, 12)])
    _one(
        "Fold",
        "k2-s2-p1-d1",
        lambda: nn.Fold((4, 4), 2, dilation=1, padding=1, stride=2),
        [(1, 8, 9)],
    )
    _one("Unfold", "k2", lambda: nn.Unfold(2), [(2, 3, 4, 5)])
    _one(
        "Unfold",
        "k3-d2-p1-s2",
        lambda: nn.Unfold(3, dilation=2, padding=1, stride=2),
        [(1, 2, 6, 7)],
    )
    _one("Flatten", "default", lambda: nn.Flatten(), [(2, 3, 4), (5, 2)])
    _one("Flatten", "0-to-1", lambda: nn.Flatten(0, 1), [(2, 3, 4)])
    _one("Unflatten", "1-(2,3)", lambda: nn.Unflatten(1, (2, 3)), [(4, 6, 5)])
    _one("Unflatten", "-1-(2,-1)", lambda: nn.Unflatten(-1, (2, -1)), [(4, 6)])
    _two("PairwiseDistance", "default", nn.PairwiseDistance, (4, 5))
    _two(
        "PairwiseDistance", "p1-eps-keepdim", partial(nn.PairwiseDistance, 1.0, 1e-3, True), (4, 5)
    )
    _two("CosineSimilarity", "default", nn.CosineSimilarity, (4, 5))
    _two("CosineSimilarity", "dim0-eps", partial(nn.CosineSimilarity, 0, 1e-3), (4, 5))


def _mha_cases() -> None:
    def mk(
        ctor_kw: dict[str, Any],
        q: tuple[int, ...],
        kv: tuple[int, ...] | None,
        call: Callable[[_Gen], dict[str, Any]],
    ) -> Callable[[_Gen], _Made]:
        def make(g: _Gen) -> _Made:
            m = nn.MultiheadAttention(**ctor_kw)
            query = g.randn(*q)
            if kv is None:
                args: tuple[Any, ...] = (query, query, query)
            else:
                key = g.randn(*kv[:-1], ctor_kw.get("kdim") or ctor_kw["embed_dim"])
                value = g.randn(*kv[:-1], ctor_kw.get("vdim") or ctor_kw["embed_dim"])
                args = (query, key, value)
            return m, args, call(g)

        return make

    base = dict(embed_dim=8, num_heads=2)

    def none(g: _Gen) -> dict[str, Any]:
        return {}

    def kpm(g: _Gen) -> dict[str, Any]:
        mask = torch.zeros(3, 6, dtype=torch.bool)
        mask[0, -2:] = True
        return {"key_padding_mask": mask}

    def self_kpm(g: _Gen) -> dict[str, Any]:
        mask = torch.zeros(3, 5, dtype=torch.bool)
        mask[0, -2:] = True
        return {"key_padding_mask": mask}

    def both(g: _Gen) -> dict[str, Any]:
        am = g.randn(5, 6)
        kp = torch.zeros(3, 6, dtype=g.dtype)
        kp[1, -1] = float("-inf")
        return {"attn_mask": am, "key_padding_mask": kp, "average_attn_weights": False}

    def causal(g: _Gen) -> dict[str, Any]:
        am = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
        return {"attn_mask": am, "is_causal": True, "need_weights": False}

    def mask3d(g: _Gen) -> dict[str, Any]:
        return {"attn_mask": g.rand(3 * 2, 5, 6) < 0.2}

    _case("MultiheadAttention", "self-seqfirst", mk(base, (5, 3, 8), None, none))
    _case("MultiheadAttention", "cross-kpm-bool", mk(base, (5, 3, 8), (6, 3, 8), kpm))
    _case(
        "MultiheadAttention", "cross-float-masks-unaveraged", mk(base, (5, 3, 8), (6, 3, 8), both)
    )
    _case("MultiheadAttention", "3d-bool-mask", mk(base, (5, 3, 8), (6, 3, 8), mask3d))
    _case(
        "MultiheadAttention",
        "causal-no-weights",
        mk(dict(base, batch_first=True), (3, 5, 8), None, causal),
    )
    _case(
        "MultiheadAttention",
        "kdim-vdim-batch_first",
        mk(dict(base, kdim=5, vdim=7, batch_first=True), (3, 5, 8), (3, 6, 0), kpm),
    )
    _case(
        "MultiheadAttention",
        "bias_kv-zero_attn-nobias",
        mk(
            dict(base, add_bias_kv=True, add_zero_attn=True, bias=False), (5, 3, 8), (6, 3, 8), none
        ),
    )
    _case("MultiheadAttention", "dropout", mk(dict(base, dropout=0.3), (5, 3, 8), (6, 3, 8), none))
    _case("MultiheadAttention", "unbatched", mk(base, (5, 8), (6, 8), none))
    _case(
        "MultiheadAttention",
        "fast-path",
        mk(dict(base, batch_first=True), (3, 5, 8), None, self_kpm),
        fast_path=True,
        no_grad=True,
    )


_activations()
_linear_cases()
_conv_cases()
_pool_cases()
_norm_cases()
_dropout_cases()
_sparse_cases()
_loss_cases()
_misc_cases()
_mha_cases()
