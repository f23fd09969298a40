"""The registry's table: how each ``torch.nn`` module maps onto its counterpart, as data.

Keyed by class name; only names present in the installed torch are reported, so an older
torch simply yields fewer entries. :func:`nnguide.registry.registry` reads it and makes
each :class:`~nnguide.registry.Entry`: a reason here is the name of an
:class:`~nnguide.registry.Unmapped` member, a tolerance the arguments of a
:class:`~nnguide.registry.Tolerance`. The table imports nothing from nnguide, so the
registry's types can live beside the functions that read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["FUNCTIONAL", "SPECS", "Spec"]

FUNCTIONAL = "torch.nn.functional."
_F = FUNCTIONAL


@dataclass(frozen=True)
class Spec:
    """What the table says of one module; :func:`nnguide.registry.registry` makes its Entry."""

    counterpart: str | None
    state: str
    reason: str | None = None
    via: str | None = None
    aliases: tuple[str, ...] = ()
    tolerances: tuple[dict[str, Any], ...] = ()
    note: str = ""


SPECS: dict[str, Spec] = {}


def _map(names: str, fn: str, state: str, **kw: Any) -> None:
    qual = fn if fn.startswith("torch.") else _F + fn
    for name in names.split():
        SPECS[name] = Spec(qual, state, **kw)


def _unmap(names: str, reason: str, state: str = "", note: str = "") -> None:
    for name in names.split():
        SPECS[name] = Spec(None, state, reason, note=note)


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
        dict(
            rtol=1e-12,
            atol=1e-15,
            dtype="float64",
            reason="in eval under no_grad with self-attention and batch_first the module "
            "takes a fused fast path (torch._native_multi_head_attention), which "
            "rounds differently from F.multi_head_attention_forward",
        ),
        dict(
            rtol=1e-5,
            atol=1e-6,
            dtype="float32",
            reason="the same fused fast path, in float32",
        ),
    ),
    note="only the fast-path cases use the tolerances; all others are bit-identical",
)

# Unmapped
_unmap("Module", "BASE_CLASS", note="the base of every module")
_unmap("RNNBase RNNCellBase", "BASE_CLASS")
_unmap("Container", "CONTAINER", note="deprecated; constructing one warns")
_unmap("Sequential ModuleList ModuleDict ParameterList ParameterDict", "CONTAINER")
_unmap(
    "DataParallel",
    "WRAPPER",
    note="torch.nn does not export the distributed wrappers (torch.nn.parallel has them)",
)
_unmap(
    "RNN LSTM GRU RNNCell LSTMCell GRUCell",
    "RNN_INTERNAL",
    state="weight_ih_l*, weight_hh_l*, bias_* in _flat_weights",
    note="torch.rnn_tanh/torch.lstm/... exist but have no docstring",
)
_unmap(
    "Transformer TransformerEncoder TransformerDecoder TransformerEncoderLayer "
    "TransformerDecoderLayer",
    "COMPOSITION",
    note="MultiheadAttention, Linear, Dropout, LayerNorm and an activation; "
    "TransformerEncoderLayer's eval fast path runs torch._transformer_encoder_layer_fwd",
)
_unmap(
    "AdaptiveLogSoftmaxWithLoss",
    "COMPOSITION",
    note="head and tail Linear layers with F.log_softmax and gathers",
)
_unmap(
    "CrossMapLRN2d",
    "PRIVATE_FUNCTION",
    note="F.local_response_norm is similar but not equal",
)
_unmap("Identity", "IDENTITY")
