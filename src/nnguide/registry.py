"""The module-to-function registry: every ``torch.nn`` module and its functional form.

For every public :class:`torch.nn.Module` subclass that the *installed* ``torch.nn``
exports, the registry says which public function computes what the module's
``forward`` computes (its *counterpart*), how the module's state (parameters,
buffers, hyper-parameters, ``training``) maps onto the call, or why there is no
such function (:class:`Unmapped`).

The list of modules is enumerated from ``dir(torch.nn)`` at run time, and every
count is computed from the installed torch, never typed in. A module that this
registry does not know yet (a newer torch) still gets an :class:`Entry`, with the
reason ``Unmapped.UNCLASSIFIED``, and the test suite fails on it.

The counterpart rule: a public function of :mod:`torch.nn.functional` where one
computes the module's result exactly (bit for bit on the verification cases, except
within the :class:`Tolerance` an entry lists), else a public function of :mod:`torch`.
When the module's ``forward`` itself calls a different (equivalent) function,
the entry names it in ``Entry.via``.
"""

from __future__ import annotations

import enum
import importlib
import inspect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch.nn as nn
import torch.nn.functional as F

__all__ = [
    "Entry",
    "Tolerance",
    "Unmapped",
    "counts",
    "entry",
    "public_functions",
    "registry",
    "resolve",
    "table_rows",
    "unmapped_functions",
]

_F = "torch.nn.functional."


class Unmapped(enum.Enum):
    """Why a ``torch.nn`` module has no functional counterpart."""

    CONTAINER = "holds other modules or parameters; computes nothing of its own"
    BASE_CLASS = "an abstract base class; its forward is unimplemented"
    WRAPPER = "wraps another module to run it elsewhere (devices, processes)"
    COMPOSITION = "composes several modules; its functional form is a composition of calls"
    RNN_INTERNAL = "runs a private _VF kernel (torch._VF.lstm, ...); torch.nn.functional has no RNN"
    PRIVATE_FUNCTION = "runs a private autograd Function; no public function computes the same"
    IDENTITY = "returns its input unchanged; there is no function to call"
    UNCLASSIFIED = "not yet classified by nnguide (a torch newer than this registry)"


@dataclass(frozen=True)
class Tolerance:
    """A tolerance an entry needs in its verification, and why.

    Args:
        rtol: relative tolerance for ``torch.testing.assert_close``.
        atol: absolute tolerance for ``torch.testing.assert_close``.
        dtype: the dtype it applies to (``"float32"`` or ``"float64"``).
        reason: why the module and its functional form are not bit-identical.
    """

    rtol: float
    atol: float
    dtype: str
    reason: str


@dataclass(frozen=True)
class Entry:
    """One ``torch.nn`` module and its functional counterpart, or why it has none.

    Args:
        module: the class name in ``torch.nn`` (``"Conv2d"``).
        counterpart: qualified name of the function (``"torch.nn.functional.conv2d"``),
            or ``None`` when unmapped.
        state: how the module's state maps onto the call.
        reason: why there is no counterpart (``None`` when mapped).
        via: what the module's ``forward`` calls when that is not the counterpart
            itself (``Tensor.flatten`` for :class:`~torch.nn.Flatten`).
        aliases: other public functions that compute the same for some state
            (``*_with_indices`` variants, in-place ``*_`` variants, deprecated aliases).
        tolerances: tolerances the verification needs; empty means bit-identical.
        note: anything else a reader should know.
    """

    module: str
    counterpart: str | None
    state: str
    reason: Unmapped | None = None
    via: str | None = None
    aliases: tuple[str, ...] = ()
    tolerances: tuple[Tolerance, ...] = ()
    note: str = ""

    @property
    def mapped(self) -> bool:
        """Whether the module has a counterpart."""
        return self.counterpart is not None

    @property
    def module_class(self) -> type[nn.Module]:
        """The class ``torch.nn.<module>`` in the installed torch."""
        cls = getattr(nn, self.module)
        assert isinstance(cls, type) and issubclass(cls, nn.Module)
        return cls

    def function(self) -> Callable[..., Any]:
        """The counterpart function object (raises ``ValueError`` when unmapped)."""
        if self.counterpart is None:
            raise ValueError(
                f"torch.nn.{self.module} has no functional counterpart "
                f"({self.reason.name if self.reason else 'unknown'}); expected a mapped entry"
            )
        return resolve(self.counterpart)


# --------------------------------------------------------------------------- #
# The table. Keyed by class name; only names present in the installed torch are
# reported, so an older torch simply yields fewer entries.
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class _Spec:
    counterpart: str | None
    state: str
    reason: Unmapped | None = None
    via: str | None = None
    aliases: tuple[str, ...] = ()
    tolerances: tuple[Tolerance, ...] = ()
    note: str = ""


_SPECS: dict[str, _Spec] = {}


def _map(names: str, fn: str, state: str, **kw: Any) -> None:
    qual = fn if fn.startswith("torch.") else _F + fn
    for name in names.split():
        _SPECS[name] = _Spec(qual, state, **kw)


def _unmap(names: str, reason: Unmapped, state: str = "", note: str = "") -> None:
    for name in names.split():
        _SPECS[name] = _Spec(None, state, reason, note=note)


# Activations
_map("ReLU", "relu", "inplace")
_map("ReLU6", "relu6", "inplace (min_val=0, max_val=6 fixed)", via=_F + "hardtanh")
_map("Hardtanh", "hardtanh", "min_val, max_val, inplace")
_map("ELU", "elu", "alpha, inplace")
_map("CELU", "celu", "alpha, inplace")
_map("SELU", "selu", "inplace")
_map("GLU", "glu", "dim")
_map("GELU", "gelu", "approximate (keyword)")
_map("Hardshrink", "hardshrink", "lambd")
_map("Softshrink", "softshrink", "lambd")
_map("LeakyReLU", "leaky_relu", "negative_slope, inplace")
_map("LogSigmoid", "logsigmoid", "stateless")
_map("Softplus", "softplus", "beta, threshold")
_map("PReLU", "prelu", "weight (the learnable slope, num_parameters values)")
_map("Softsign", "softsign", "stateless")
_map("Tanhshrink", "tanhshrink", "stateless")
_map("Threshold", "threshold", "threshold, value, inplace")
_map("Hardsigmoid", "hardsigmoid", "inplace")
_map("Hardswish", "hardswish", "inplace")
_map("SiLU", "silu", "inplace")
_map("Mish", "mish", "inplace")
_map("RReLU", "rrelu", "lower, upper, training (random slopes in training), inplace")
_map("Sigmoid", "sigmoid", "stateless", via="torch.sigmoid")
_map("Tanh", "tanh", "stateless", via="torch.tanh")
_map("Softmax", "softmax", "dim")
_map("Softmin", "softmin", "dim")
_map("LogSoftmax", "log_softmax", "dim")
_map("Softmax2d", "softmax", "dim=-3 fixed; input must be 3D or 4D")
# Linear
_map("Linear LazyLinear", "linear", "weight, bias")
_map("Bilinear", "bilinear", "weight, bias")
# Convolutions
for _n in "123":
    _map(
        f"Conv{_n}d LazyConv{_n}d",
        f"conv{_n}d",
        "weight, bias, stride, padding, dilation, groups; padding_mode != 'zeros' -> "
        "F.pad(input, reversed padding repeated twice, mode=padding_mode) first, then padding=0",
        aliases=(_F + "pad",),
    )
    _map(
        f"ConvTranspose{_n}d LazyConvTranspose{_n}d",
        f"conv_transpose{_n}d",
        "weight, bias, stride, padding, output_padding, groups, dilation; a forward "
        "output_size=... becomes output_padding = output_size - minimal size",
    )
    # Pooling
    _map(
        f"MaxPool{_n}d",
        f"max_pool{_n}d",
        "kernel_size, stride, padding, dilation, ceil_mode, return_indices",
        aliases=(f"{_F}max_pool{_n}d_with_indices",),
    )
    _map(
        f"AvgPool{_n}d",
        f"avg_pool{_n}d",
        "kernel_size, stride, padding, ceil_mode, count_include_pad"
        + (", divisor_override" if _n != "1" else ""),
    )
    _map(f"LPPool{_n}d", f"lp_pool{_n}d", "float(norm_type), kernel_size, stride, ceil_mode")
    _map(f"AdaptiveAvgPool{_n}d", f"adaptive_avg_pool{_n}d", "output_size")
    _map(
        f"AdaptiveMaxPool{_n}d",
        f"adaptive_max_pool{_n}d",
        "output_size, return_indices",
        aliases=(f"{_F}adaptive_max_pool{_n}d_with_indices",),
    )
    _map(
        f"MaxUnpool{_n}d",
        f"max_unpool{_n}d",
        "kernel_size, stride, padding; indices and output_size come with the call",
    )
    # Normalization
    _map(
        f"BatchNorm{_n}d LazyBatchNorm{_n}d",
        "batch_norm",
        "running_mean, running_var (None in training without track_running_stats), "
        "weight, bias, training=training or no running stats, momentum (None -> "
        "1/num_batches_tracked after num_batches_tracked += 1 in training), eps",
    )
    _map(
        f"InstanceNorm{_n}d LazyInstanceNorm{_n}d",
        "instance_norm",
        "running_mean, running_var, weight, bias, use_input_stats=training or not "
        "track_running_stats, momentum (None -> 0.0), eps; unbatched input is unsqueezed",
    )
    # Dropout
    _map(f"Dropout{_n}d", f"dropout{_n}d", "p, training, inplace")
    # Padding
    _map(f"ConstantPad{_n}d", "pad", "padding, mode='constant', value")
    _map(f"ZeroPad{_n}d", "pad", "padding, mode='constant', value=0.0")
    _map(f"ReflectionPad{_n}d", "pad", "padding, mode='reflect'")
    _map(f"ReplicationPad{_n}d", "pad", "padding, mode='replicate'")
    _map(f"CircularPad{_n}d", "pad", "padding, mode='circular'")
for _n in "23":
    _map(
        f"FractionalMaxPool{_n}d",
        f"fractional_max_pool{_n}d",
        "kernel_size, output_size, output_ratio, return_indices, _random_samples "
        "(a buffer when given at construction; else drawn from the global RNG)",
        aliases=(f"{_F}fractional_max_pool{_n}d_with_indices",),
    )
_map(
    "SyncBatchNorm",
    "batch_norm",
    "as BatchNorm*d when no synchronisation is needed (eval, or no initialised "
    "process group of size > 1); the synchronised path is a private autograd Function",
)
_map("LayerNorm", "layer_norm", "normalized_shape, weight, bias, eps")
_map("GroupNorm", "group_norm", "num_groups, weight, bias, eps")
_map("LocalResponseNorm", "local_response_norm", "size, alpha, beta, k")
_map("RMSNorm", "rms_norm", "normalized_shape, weight, eps")
_map("Dropout", "dropout", "p, training, inplace")
_map("AlphaDropout", "alpha_dropout", "p, training")
_map("FeatureAlphaDropout", "feature_alpha_dropout", "p, training")
# Sparse
_map(
    "Embedding",
    "embedding",
    "weight, padding_idx, max_norm (renormalises weight rows in place), norm_type, "
    "scale_grad_by_freq, sparse",
)
_map(
    "EmbeddingBag",
    "embedding_bag",
    "weight, max_norm, norm_type, scale_grad_by_freq, mode, sparse, include_last_offset, "
    "padding_idx; offsets and per_sample_weights come with the call",
)
# Losses
_map("L1Loss", "l1_loss", "reduction")
_map("MSELoss", "mse_loss", "reduction")
_map("NLLLoss NLLLoss2d", "nll_loss", "weight, ignore_index, reduction")
_map("CrossEntropyLoss", "cross_entropy", "weight, ignore_index, reduction, label_smoothing")
_map(
    "LinearCrossEntropyLoss",
    "linear_cross_entropy",
    "linear.weight reshaped to (num_classes, *out_features, in_features), linear.bias "
    "reshaped to (num_classes, *out_features), weight, reduction, ignore_index, "
    "label_smoothing, options",
)
_map("BCELoss", "binary_cross_entropy", "weight, reduction")
_map("BCEWithLogitsLoss", "binary_cross_entropy_with_logits", "weight, pos_weight, reduction")
_map("KLDivLoss", "kl_div", "reduction, log_target")
_map("PoissonNLLLoss", "poisson_nll_loss", "log_input, full, eps, reduction")
_map("GaussianNLLLoss", "gaussian_nll_loss", "full, eps, reduction; var comes with the call")
_map("HuberLoss", "huber_loss", "reduction, delta")
_map("SmoothL1Loss", "smooth_l1_loss", "reduction, beta")
_map("SoftMarginLoss", "soft_margin_loss", "reduction")
_map("CTCLoss", "ctc_loss", "blank, reduction, zero_infinity")
_map("HingeEmbeddingLoss", "hinge_embedding_loss", "margin, reduction")
_map("CosineEmbeddingLoss", "cosine_embedding_loss", "margin, reduction")
_map("MarginRankingLoss", "margin_ranking_loss", "margin, reduction")
_map("MultiLabelMarginLoss", "multilabel_margin_loss", "reduction")
_map("MultiLabelSoftMarginLoss", "multilabel_soft_margin_loss", "weight, reduction")
_map("MultiMarginLoss", "multi_margin_loss", "p, margin, weight, reduction")
_map("TripletMarginLoss", "triplet_margin_loss", "margin, p, eps, swap, reduction")
_map(
    "TripletMarginWithDistanceLoss",
    "triplet_margin_with_distance_loss",
    "distance_function, margin, swap, reduction",
)
# Vision, shape, distance
_map("PixelShuffle", "pixel_shuffle", "upscale_factor")
_map("PixelUnshuffle", "pixel_unshuffle", "downscale_factor")
_map("ChannelShuffle", "channel_shuffle", "groups", aliases=(_F + "native_channel_shuffle",))
_map(
    "Upsample",
    "interpolate",
    "size, scale_factor, mode, align_corners, recompute_scale_factor",
    aliases=(_F + "upsample",),
)
_map(
    "UpsamplingNearest2d",
    "interpolate",
    "size, scale_factor, mode='nearest'",
    aliases=(_F + "upsample_nearest",),
)
_map(
    "UpsamplingBilinear2d",
    "interpolate",
    "size, scale_factor, mode='bilinear', align_corners=True",
    aliases=(_F + "upsample_bilinear",),
)
_map("Fold", "fold", "output_size, kernel_size, dilation, padding, stride")
_map("Unfold", "unfold", "kernel_size, dilation, padding, stride")
_map("Flatten", "torch.flatten", "start_dim, end_dim", via="torch.Tensor.flatten")
_map("Unflatten", "torch.unflatten", "dim, unflattened_size", via="torch.Tensor.unflatten")
_map("PairwiseDistance", "pairwise_distance", "norm (p), eps, keepdim")
_map("CosineSimilarity", "cosine_similarity", "dim, eps")
_map(
    "MultiheadAttention",
    "multi_head_attention_forward",
    "embed_dim, num_heads, in_proj_weight/in_proj_bias (or q/k/v_proj_weight with "
    "use_separate_proj_weight when kdim/vdim differ), bias_k, bias_v, add_zero_attn, "
    "dropout, out_proj.weight, out_proj.bias, training; masks canonicalised to float; "
    "batch_first transposes inputs and output",
    tolerances=(
        Tolerance(
            rtol=1e-12,
            atol=1e-15,
            dtype="float64",
            reason="in eval under no_grad with self-attention and batch_first the module "
            "takes a fused fast path (torch._native_multi_head_attention), which "
            "rounds differently from F.multi_head_attention_forward",
        ),
        Tolerance(
            rtol=1e-5,
            atol=1e-6,
            dtype="float32",
            reason="the same fused fast path, in float32",
        ),
    ),
    note="only the fast-path cases use the tolerances; all others are bit-identical",
)

# Unmapped
_unmap("Module", Unmapped.BASE_CLASS, note="the base of every module")
_unmap("RNNBase RNNCellBase", Unmapped.BASE_CLASS)
_unmap("Container", Unmapped.CONTAINER, note="deprecated; constructing one warns")
_unmap("Sequential ModuleList ModuleDict ParameterList ParameterDict", Unmapped.CONTAINER)
_unmap(
    "DataParallel",
    Unmapped.WRAPPER,
    note="torch.nn does not export the distributed wrappers (torch.nn.parallel has them)",
)
_unmap(
    "RNN LSTM GRU RNNCell LSTMCell GRUCell",
    Unmapped.RNN_INTERNAL,
    state="weight_ih_l*, weight_hh_l*, bias_* in _flat_weights",
    note="torch.rnn_tanh/torch.lstm/... exist but have no docstring",
)
_unmap(
    "Transformer TransformerEncoder TransformerDecoder TransformerEncoderLayer "
    "TransformerDecoderLayer",
    Unmapped.COMPOSITION,
    note="MultiheadAttention, Linear, Dropout, LayerNorm and an activation; "
    "TransformerEncoderLayer's eval fast path runs torch._transformer_encoder_layer_fwd",
)
_unmap(
    "AdaptiveLogSoftmaxWithLoss",
    Unmapped.COMPOSITION,
    note="head and tail Linear layers with F.log_softmax and gathers",
)
_unmap(
    "CrossMapLRN2d",
    Unmapped.PRIVATE_FUNCTION,
    note="F.local_response_norm is similar but not equal",
)
_unmap("Identity", Unmapped.IDENTITY)

# Public names of torch.nn.functional that are not functions of tensors: the
# argument checker and the torch-function dispatch helpers re-exported there.
_HELPER_MODULES = ("torch._C", "torch.overrides", "torch._jit_internal", "typing")
_HELPER_NAMES = frozenset({"assert_int_or_pair"})


def resolve(qualname: str) -> Callable[..., Any]:
    """Return the function object named by a qualified name.

    Args:
        qualname: a dotted name such as ``"torch.nn.functional.conv2d"`` or
            ``"torch.Tensor.flatten"``.

    Returns:
        The callable it names in the installed torch.

    Examples:

        >>> import torch
        >>> from nnguide.registry import resolve
        >>> resolve("torch.nn.functional.relu") is torch.nn.functional.relu
        True
    """
    modname, _, attr = qualname.rpartition(".")
    try:
        obj: Any = importlib.import_module(modname)
    except ImportError:
        owner, _, cls = modname.rpartition(".")
        obj = getattr(importlib.import_module(owner), cls)
    fn = getattr(obj, attr, None)
    if not callable(fn):
        raise ValueError(f"expected {qualname!r} to name a callable in torch, got {fn!r}")
    return fn  # type: ignore[no-any-return]


def _module_names() -> list[str]:
    out = []
    for name in dir(nn):
        obj = getattr(nn, name)
        if not name.startswith("_") and inspect.isclass(obj) and issubclass(obj, nn.Module):
            out.append(name)
    return sorted(out)


def registry() -> list[Entry]:
    """One :class:`Entry` per public ``torch.nn.Module`` subclass in the installed torch.

    Returns:
        The entries, sorted by module name. A class unknown to nnguide gets the
        reason ``Unmapped.UNCLASSIFIED``. In-place variants (``relu_`` for
        ``relu``) are added to an entry's aliases when ``torch.nn.functional`` has them.

    Examples:

        >>> conv = entry("Conv2d")
        >>> conv.counterpart
        'torch.nn.functional.conv2d'
        >>> entry("Sequential").reason
        <Unmapped.CONTAINER: 'holds other modules or parameters; computes nothing of its own'>
        >>> len(registry()) == counts()["modules"]
        True
        >>> names = [e.module for e in registry()]
        >>> names == sorted(names)
        True
    """
    fnames = set(public_functions())
    out = []
    for name in _module_names():
        spec = _SPECS.get(name)
        if spec is None:
            out.append(Entry(name, None, "", Unmapped.UNCLASSIFIED))
            continue
        aliases = spec.aliases
        if spec.counterpart and spec.counterpart.startswith(_F):
            inplace = spec.counterpart[len(_F) :] + "_"
            if inplace in fnames:
                aliases = (*aliases, _F + inplace)
        out.append(
            Entry(
                name,
                spec.counterpart,
                spec.state,
                spec.reason,
                spec.via,
                aliases,
                spec.tolerances,
                spec.note,
            )
        )
    return out


def entry(module: str | type[nn.Module] | nn.Module) -> Entry:
    """The registry entry of one module, given its name, class or an instance.

    Args:
        module: ``"Conv2d"``, ``torch.nn.Conv2d`` or ``torch.nn.Conv2d(1, 1, 3)``.

    Returns:
        Its :class:`Entry`. Lazy modules that have materialised have the class
        they became, so their entry is that of the non-lazy class.

    Examples:

        >>> import torch
        >>> entry(torch.nn.ReLU()).counterpart
        'torch.nn.functional.relu'
        >>> lazy = torch.nn.LazyLinear(2)
        >>> _ = lazy(torch.ones(1, 3))
        >>> entry(lazy).module
        'Linear'
    """
    if isinstance(module, nn.Module):
        name = type(module).__name__
    elif isinstance(module, type):
        name = module.__name__
    elif isinstance(module, str):
        name = module
    else:
        raise TypeError(
            "expected a torch.nn.Module, a Module subclass or a class name, "
            f"got {type(module).__name__}"
        )
    for e in registry():
        if e.module == name:
            return e
    raise KeyError(f"expected the name of a public torch.nn module, got {name!r}")


def public_functions() -> list[str]:
    """The public functions of :mod:`torch.nn.functional` in the installed torch.

    Returns:
        Sorted names of the routines in ``dir(torch.nn.functional)`` that do not
        start with ``_``, less the re-exported dispatch helpers
        (``has_torch_function``, ``boolean_dispatch``, ...) and ``assert_int_or_pair``.

    Examples:

        >>> "conv2d" in public_functions(), "has_torch_function" in public_functions()
        (True, False)
    """
    out = []
    for name in dir(F):
        obj = getattr(F, name)
        if name.startswith("_") or not inspect.isroutine(obj) or name in _HELPER_NAMES:
            continue
        if getattr(obj, "__module__", None) in _HELPER_MODULES:
            continue
        out.append(name)
    return sorted(out)


def unmapped_functions() -> list[str]:
    """The public ``torch.nn.functional`` functions that no module's entry names.

    Returns:
        The sorted names that are neither the counterpart, the ``via`` nor an alias of
        any entry (``scaled_dot_product_attention``, ``one_hot``, ``normalize``, ...).

    Examples:

        >>> fns = unmapped_functions()
        >>> "one_hot" in fns, "conv2d" in fns
        (True, False)
    """
    used = set()
    for e in registry():
        for q in (e.counterpart, e.via, *e.aliases):
            if q and q.startswith(_F):
                used.add(q[len(_F) :])
    return [f for f in public_functions() if f not in used]


def counts() -> dict[str, int]:
    """Counts of the registry, computed from the installed torch.

    Returns:
        ``modules``, ``mapped``, ``unmapped``, one ``unmapped.<REASON>`` per reason
        present, ``verified`` (mapped entries with at least one verification case
        in :mod:`nnguide.functional_form`), ``with_tolerance``, ``functions``
        (public ``torch.nn.functional`` functions) and ``functions_without_module``.

    Examples:

        >>> c = counts()
        >>> c["modules"] == c["mapped"] + c["unmapped"]
        True
        >>> c["verified"] <= c["mapped"]
        True
        >>> print(*sorted(key for key in c if not key.startswith("unmapped.")))
        functions functions_without_module mapped modules unmapped verified with_tolerance
    """
    from nnguide.functional_form import verification_cases

    entries = registry()
    reasons = Counter(e.reason.name for e in entries if e.reason is not None)
    out = {
        "modules": len(entries),
        "mapped": sum(e.mapped for e in entries),
        "unmapped": sum(not e.mapped for e in entries),
    }
    out.update({f"unmapped.{k}": v for k, v in sorted(reasons.items())})
    out["verified"] = sum(e.mapped and bool(verification_cases(e.module)) for e in entries)
    out["with_tolerance"] = sum(bool(e.tolerances) for e in entries)
    out["functions"] = len(public_functions())
    out["functions_without_module"] = len(unmapped_functions())
    return out


def table_rows() -> list[tuple[str, str, str, str]]:
    """Rows for the guide's table: ``(module, counterpart, state mapping, status)``.

    The status of a mapped entry is ``"verified: N cases (tests/test_functional_form.py)"``
    (with ``"; tolerance"`` when it needs one) or ``"unverified"``; an unmapped
    entry's status is ``"unmapped: <REASON>"`` and its counterpart column is ``"-"``.

    Returns:
        One row per module, sorted by module name.

    Examples:

        >>> rows = table_rows()
        >>> [r for r in rows if r[0] == "ReLU"][0][:2]
        ('ReLU', 'torch.nn.functional.relu')
        >>> [r for r in rows if r[0] == "ModuleList"][0][3]
        'unmapped: CONTAINER'
        >>> [r for r in rows if r[0] == "MultiheadAttention"][0][3]
        'verified: ... cases (tests/test_functional_form.py); tolerance'
    """
    from nnguide.functional_form import verification_cases

    rows = []
    for e in registry():
        if e.counterpart is None:
            status = f"unmapped: {e.reason.name if e.reason else 'UNCLASSIFIED'}"
            rows.append((e.module, "-", e.state or e.note, status))
            continue
        n = len(verification_cases(e.module))
        if n:
            status = f"verified: {n} cases (tests/test_functional_form.py)"
            if e.tolerances:
                status += "; tolerance"
        else:
            status = "unverified"
        rows.append((e.module, e.counterpart, e.state, status))
    return rows
