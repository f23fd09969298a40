"""
The corrected CNN
=================

A small image classifier written as a ``Sequential``-style stack of ``Conv2d``,
``BatchNorm2d``, ``ReLU``, ``MaxPool2d``, ``Dropout`` and ``Linear`` fails unless the
convolution has a kernel size and the feature map is flattened before ``Linear``. The
script defines the corrected network, prints and plots the shape of the tensor after each
layer, and then runs the broken stack to show both of its errors and its silent wrong
output.
"""

# %%
# The corrected network
# ---------------------
# The convolution gets its ``kernel_size``; ``AdaptiveAvgPool2d`` brings a feature map
# of any size to a fixed square; ``Flatten`` turns each feature map into one vector; and the
# ``in_features`` of ``Linear`` is computed from the channels and that square.

import inspect

import matplotlib.pyplot as plt
import torch
from torch import nn


class SmallCNN(nn.Module):
    """Conv2d, BatchNorm2d, ReLU, MaxPool2d, pooling to a fixed size, Linear."""

    def __init__(
        self,
        in_channels: int = 3,
        channels: int = 64,
        num_classes: int = 10,
        output_size: int = 4,
        p: float = 0.5,
    ) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.conv = nn.Conv2d(in_channels, channels, kernel_size=3, padding=1)
        self.bn = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.avgpool = nn.AdaptiveAvgPool2d(output_size)
        self.flatten = nn.Flatten()
        self.dropout = nn.Dropout(p)
        self.fc = nn.Linear(channels * output_size * output_size, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4 or x.shape[1] != self.in_channels:
            raise ValueError(
                f"expected input of shape (N, {self.in_channels}, H, W), got {tuple(x.shape)}"
            )
        x = self.pool(self.relu(self.bn(self.conv(x))))
        return self.fc(self.dropout(self.flatten(self.avgpool(x))))


torch.manual_seed(0)
model = SmallCNN(in_channels=3, channels=64, num_classes=10)
print(model)
for size in [(1, 1), (3, 5), (16, 16), (17, 9)]:
    assert model.avgpool(torch.rand(1, 64, *size)).shape == (1, 64, 4, 4)

# %%
# The shape after each layer
# --------------------------
# A forward hook on every layer records the shape of what it returns. The model runs
# once in evaluation mode, without gradients.


def shapes_through(model: nn.Module, x: torch.Tensor) -> list[tuple[str, nn.Module, tuple]]:
    """``(name, layer, shape of its output)`` for each layer, in the order they ran."""
    shapes = []

    def record(name: str):
        def hook(layer, args, out):
            shapes.append((name, layer, tuple(out.shape)))

        return hook

    handles = [layer.register_forward_hook(record(name)) for name, layer in model.named_children()]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(x)
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return shapes


x = torch.rand(2, 3, 32, 32)
shapes = shapes_through(model, x)
print(f"{'layer':8} {'class':18} shape")
print(f"{'input':8} {'':18} {tuple(x.shape)}")
for name, layer, shape in shapes:
    print(f"{name:8} {type(layer).__name__:18} {shape}")
assert shapes[-1][2] == (x.shape[0], 10)
shape_after = {name: shape for name, _, shape in shapes}
assert shape_after["avgpool"] == (2, 64, 4, 4)
assert shape_after["flatten"] == (2, 64 * 4 * 4)

# %%
# The same, as a figure
# ---------------------
# Each bar is the number of elements of the tensor after a layer, on a log scale, with
# its shape written on it. The convolution multiplies the elements; the two poolings and
# ``Linear`` bring them down to one score per class and image; the other layers,
# ``Flatten`` among them, keep the count.

names = ["x"] + [type(layer).__name__ for _, layer, _ in shapes]
sizes = [tuple(x.shape)] + [shape for _, _, shape in shapes]
numels = [torch.Size(shape).numel() for shape in sizes]
changes = {
    name: (after > before) - (after < before)
    for name, before, after in zip(names[1:], numels[:-1], numels[1:], strict=True)
}
assert changes == {
    "Conv2d": 1,
    "BatchNorm2d": 0,
    "ReLU": 0,
    "MaxPool2d": -1,
    "AdaptiveAvgPool2d": -1,
    "Flatten": 0,
    "Dropout": 0,
    "Linear": -1,
}

fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
bars = ax.bar(range(len(names)), numels, color="tab:blue")
ax.set_yscale("log")
ax.set_xticks(range(len(names)), names, rotation=30, ha="right")
ax.set_ylabel("tensor.numel()")
ax.set_title(f"SmallCNN, x: {tuple(x.shape)}")
for bar, shape in zip(bars, sizes, strict=True):
    ax.annotate(
        str(shape),
        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
        xytext=(0, 3),
        textcoords="offset points",
        ha="center",
        fontsize=8,
    )
ax.set_ylim(top=max(numels) * 4)
plt.show()

# %%
# The broken stack, as it was written
# -----------------------------------
# ``nn.Conv2d`` has no default ``kernel_size``: building the stack raises ``TypeError``.

kernel_size = inspect.signature(nn.Conv2d).parameters["kernel_size"]
assert kernel_size.default is inspect.Parameter.empty


def broken(**conv_options) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(in_channels=3, out_channels=64, padding=1, **conv_options),
        nn.BatchNorm2d(64),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.5),
        nn.Linear(in_features=32, out_features=10),
    )


try:
    broken()
except TypeError as error:
    construction_error = error
print(f"{type(construction_error).__name__}: {construction_error}")
assert isinstance(construction_error, TypeError)
assert "kernel_size" in str(construction_error)

# %%
# The broken stack, with a kernel size
# ------------------------------------
# Now it builds, but ``nn.Linear`` multiplies the *last* dimension of the 4-d feature
# map. On 32x32 images that dimension does not fit and torch raises; on 64x64 images it
# happens to fit, and the result is a feature map, not one row of scores per image.

stack = broken(kernel_size=3).eval()
try:
    stack(torch.rand(2, 3, 32, 32))
except RuntimeError as error:
    forward_error = error
print(f"{type(forward_error).__name__}: {forward_error}")
assert isinstance(forward_error, RuntimeError)
assert "cannot be multiplied" in str(forward_error)

with torch.no_grad():
    silent = stack(torch.rand(2, 3, 64, 64))
    corrected = model(torch.rand(2, 3, 64, 64))
print(f"broken stack on (2, 3, 64, 64): {tuple(silent.shape)}")
print(f"SmallCNN on (2, 3, 64, 64):     {tuple(corrected.shape)}")
assert silent.dim() == 4 and tuple(silent.shape) == (2, 64, 32, 10)
assert tuple(corrected.shape) == (2, 10)
