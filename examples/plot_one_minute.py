"""
nn and functional in one minute
===============================

The same ``ReLU`` and ``Conv2d`` computed with a ``torch.nn`` Module and with a
``torch.nn.functional`` function, from the same tensors and the same weights. The script
asserts that the results are identical and plots them on top of each other.
"""

# %%
# Setup
# -----
# The seed is fixed, so every run draws the same random numbers (:doc:`/reproducibility`
# shows what a seed does and does not fix).

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)

# %%
# ReLU: a class and a function
# ----------------------------
# ``nn.ReLU`` holds no parameters. Calling an instance returns exactly what
# ``F.relu`` returns: ``rtol=0, atol=0`` asks for identical values.

x = torch.linspace(-3, 3, steps=61)
assert list(nn.ReLU().parameters()) == []
relu_module = nn.ReLU()(x)
relu_function = F.relu(x)
torch.testing.assert_close(relu_module, relu_function, rtol=0, atol=0)
difference = (relu_module - relu_function).abs().max().item()
print(f"ReLU: largest difference {difference:.1f}")

# %%
# Conv2d: the Module holds the weights, the function takes them
# -------------------------------------------------------------
# ``nn.Conv2d`` creates its ``weight`` and ``bias`` and keeps its ``padding``.
# ``F.conv2d`` is given all three and computes the same output.

images = torch.randn(2, 3, 16, 16)
conv = nn.Conv2d(3, 4, kernel_size=3, padding=1)
assert [name for name, _ in conv.named_parameters()] == ["weight", "bias"]
assert conv.padding == (1, 1)
conv_module = conv(images)
conv_function = F.conv2d(images, conv.weight, conv.bias, padding=1)
torch.testing.assert_close(conv_module, conv_function, rtol=0, atol=0)
difference = (conv_module - conv_function).abs().max().item()
print(f"Conv2d: weight {tuple(conv.weight.shape)}, output {tuple(conv_module.shape)}")
print(f"Conv2d: largest difference {difference:.1f}")

# %%
# Both ways, on one figure
# ------------------------
# Left, the two ReLU curves lie on top of each other. Right, the Module's first output
# channel of the convolution, and its difference from the function's: zero everywhere.

fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), layout="constrained")
axes[0].plot(x, relu_module, linewidth=4, alpha=0.4, label="nn.ReLU()(x)")
axes[0].plot(x, relu_function, "k--", linewidth=1.5, label="F.relu(x)")
axes[0].set_xlabel("x")
axes[0].legend()
channel_module = conv_module[0, 0].detach()
channel_function = conv_function[0, 0].detach()
axes[1].imshow(channel_module, cmap="viridis")
axes[1].set_title("conv(images)[0, 0]")
difference = (channel_module - channel_function).abs()
image = axes[2].imshow(difference, cmap="gray", vmin=0, vmax=1)
axes[2].set_title(f"|nn - F|, max = {difference.max().item():.1f}")
fig.colorbar(image, ax=axes[2])
for ax in axes[1:]:
    ax.set_axis_off()
plt.show()
