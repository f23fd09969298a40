"""Claims on the article's layer code: A3 (a Conv2d), A4 (a Sequential), A5 (F.conv2d)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from nnguide.claims._core import Observation, claim, message, raised, shape_of
from nnguide.models import SmallCNN


@claim(
    "A3",
    statement="nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1) applied to "
    "torch.rand(64, 3, 217, 217) works.",
    verdict="correct",
    corrected="It works: padding=1 with a 3x3 kernel keeps 217x217, so the output is "
    "(64, 64, 217, 217). That output alone takes hundreds of MiB in float32 (the detail "
    "gives the size and the work), so try such a layer on a small batch first.",
)
def conv2d_keeps_217_by_217() -> Observation:
    """Claim A3 (correct): the article's Conv2d on a (64, 3, 217, 217) batch works.

    Runs the article's call on the meta device, then one real image against ``F.conv2d``.
    """
    # The exact call runs on the meta device: shapes are checked, no memory is used.
    conv = nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1, device="meta")
    out = conv(torch.rand(64, 3, 217, 217, device="meta"))
    # The same layer computes real numbers on two images, the same way as F.conv2d.
    real = nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1)
    images = torch.rand(1, 3, 217, 217)
    with torch.no_grad():
        real_out = real(images)
        same = torch.equal(real_out, F.conv2d(images, real.weight, real.bias, padding=1))
    mib = out.numel() * out.element_size() / 2**20
    macs = out.numel() * 3 * 3 * 3
    return Observation(
        expected="output (64, 64, 217, 217)",
        observed=f"output {shape_of(out)}",
        holds=shape_of(out) == (64, 64, 217, 217)
        and shape_of(real_out) == (1, 64, 217, 217)
        and same
        and 100 < mib < 1000,
        detail=f"on the meta device: {shape_of(out)}, {mib:.1f} MiB of float32 output, "
        f"{macs / 1e9:.1f} G multiply-adds; on 1 real image: {shape_of(real_out)}, "
        f"identical to F.conv2d: {same}",
    )


def _broken_sequential(kernel_size: int | None) -> nn.Sequential:
    conv = (
        nn.Conv2d(in_channels=3, out_channels=64, padding=1)  # type: ignore[call-arg]
        if kernel_size is None
        else nn.Conv2d(in_channels=3, out_channels=64, kernel_size=kernel_size, padding=1)
    )
    return nn.Sequential(
        conv,
        nn.BatchNorm2d(64),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.5),
        nn.Linear(in_features=32, out_features=10),
    )


@claim(
    "A4",
    statement="nn.Sequential(nn.Conv2d(in_channels=3, out_channels=64, padding=1), "
    "nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5), "
    "nn.Linear(in_features=32, out_features=10)) is a working network.",
    verdict="wrong",
    corrected="It fails twice. Conv2d needs kernel_size, so construction raises TypeError. "
    "With a kernel size, Linear acts on the last dimension of a 4-d feature map: a "
    "32x32 image raises a shape error, and a 64x64 one silently gives (N, 64, 32, 10) "
    "instead of (N, 10). Pool to a fixed size, flatten, and give Linear "
    "channels x height x width inputs (nnguide.models.SmallCNN).",
)
def article_sequential_fails_twice() -> Observation:
    """Claim A4 (wrong): the article's Sequential (no kernel_size, Linear on a 4-d map)
    is a working network.

    Builds the article's Sequential as written and with a kernel size, and runs it.
    """
    construct = raised(lambda: _broken_sequential(None))
    fixed_kernel = _broken_sequential(3)
    forward = raised(lambda: fixed_kernel(torch.rand(2, 3, 32, 32)))
    with torch.no_grad():
        silent = shape_of(fixed_kernel(torch.rand(2, 3, 64, 64)))
        corrected = shape_of(SmallCNN()(torch.rand(2, 3, 32, 32)))
    holds = (
        isinstance(construct, TypeError)
        and "kernel_size" in str(construct)
        and isinstance(forward, RuntimeError)
        and "cannot be multiplied" in str(forward)
        and silent == (2, 64, 32, 10)
        and corrected == (2, 10)
    )
    return Observation(
        expected="TypeError (kernel_size); then a shape error at Linear; corrected: (2, 10)",
        observed=f"{type(construct).__name__}; then {type(forward).__name__}; "
        f"corrected: {corrected}",
        holds=holds,
        detail=f"as written: {message(construct)} | with kernel_size=3 on (2, 3, 32, 32): "
        f"{message(forward)} | on (2, 3, 64, 64) it runs and returns {silent} | "
        f"SmallCNN on (2, 3, 32, 32): {corrected}",
    )


@claim(
    "A5",
    statement="F.conv2d(input=inputs, weight=torch.rand(64, 3, 3, 3), bias=torch.rand(64), "
    "padding=1) is the functional way to write the same convolution layer.",
    verdict="wrong",
    corrected="The call runs (input= works as a keyword), but it draws new random weights "
    "on every call: nothing registers, trains or saves them, and torch.rand is not the "
    "layer's initialisation. F.conv2d computes the layer only when given the layer's "
    "weights: keep them as nn.Parameter on a Module, or pass conv.weight and conv.bias.",
)
def fresh_random_weights_are_not_a_layer() -> Observation:
    """Claim A5 (wrong): F.conv2d with torch.rand weights is the functional form of the layer.

    Calls ``F.conv2d`` with ``torch.rand`` weights twice, and with a layer's weights.
    """
    inputs = torch.rand(2, 3, 16, 16)

    def fresh() -> torch.Tensor:
        return F.conv2d(
            input=inputs, weight=torch.rand(64, 3, 3, 3), bias=torch.rand(64), padding=1
        )

    outputs: list[torch.Tensor] = []
    error = raised(lambda: outputs.extend((fresh(), fresh())))

    class FreshWeights(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.conv2d(x, torch.rand(64, 3, 3, 3), torch.rand(64), padding=1)

    registered = len(list(FreshWeights().parameters()))
    conv = nn.Conv2d(3, 64, kernel_size=3, padding=1)
    with torch.no_grad():
        same = torch.equal(
            conv(inputs), F.conv2d(input=inputs, weight=conv.weight, bias=conv.bias, padding=1)
        )
    repeatable = error is None and torch.equal(outputs[0], outputs[1])
    return Observation(
        expected="runs; two calls differ; 0 parameters registered; "
        "with conv.weight: identical to nn.Conv2d",
        observed=f"{'runs' if error is None else message(error)}; two calls "
        f"{'agree' if repeatable else 'differ'}; {registered} parameters registered; "
        f"with conv.weight: {'identical' if same else 'different'}",
        holds=error is None and not repeatable and registered == 0 and same,
        detail=f"output {shape_of(outputs[0]) if outputs else 'none'}; "
        f"F.conv2d is torch.conv2d: {F.conv2d is torch.conv2d}; "
        f"torch.rand weights lie in [0, 1), mean {float(torch.rand(64, 3, 3, 3).mean()):.2f}; "
        f"nn.Conv2d's lie within +-{float(conv.weight.detach().abs().max()):.2f}; "
        f"weight.requires_grad of torch.rand: {torch.rand(1).requires_grad}",
    )
