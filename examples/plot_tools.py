"""
Forward hooks see Modules only
==============================

One small network written twice: ``NetNN`` has a Module for every step, ``NetF`` keeps
Modules for the layers with weights and calls ``F.relu`` and ``F.max_pool2d`` in
``forward``. A forward hook on every submodule captures the feature maps of a digit from
scikit-learn's bundled dataset. Both networks compute the same output, but only
``NetNN`` hands the outputs of ReLU and pooling to a hook.
"""

# %%
# Setup
# -----
# One 8x8 image of the digit 3, scaled to [0, 1], as a batch of one single-channel image.

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

torch.manual_seed(0)

digits = load_digits()
image = digits.images[digits.target == 3][0]
x = torch.tensor(image / 16, dtype=torch.float32).reshape(1, 1, 8, 8)
assert x.min() >= 0 and x.max() <= 1

# %%
# One network, written twice
# --------------------------
# The layers without weights are Modules in ``NetNN`` and function calls in ``NetF``.
# ``NetF`` loads ``NetNN``'s weights: the state dicts have the same keys. The two
# convolution filters are set by hand to find vertical and horizontal edges.


class NetNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, kernel_size=3, padding=1)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(2 * 4 * 4, 10)

    def forward(self, x):
        x = self.pool(self.relu(self.conv(x)))
        return self.fc(self.flatten(x))


class NetF(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, kernel_size=3, padding=1)
        self.fc = nn.Linear(2 * 4 * 4, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(x, 1))


net_nn, net_f = NetNN(), NetF()
edges = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])
with torch.no_grad():
    net_nn.conv.weight.copy_(torch.stack([edges, edges.T]).unsqueeze(1))
    net_nn.conv.bias.zero_()
net_f.load_state_dict(net_nn.state_dict())
torch.testing.assert_close(net_f(x), net_nn(x), rtol=0, atol=0)

# %%
# A hook on every submodule
# -------------------------
# ``register_forward_hook`` is a method of ``nn.Module``. Each hook stores its Module's
# output under the Module's name.


def capture(model, x):
    captured = {}
    handles = []
    for name, module in model.named_modules():
        if name:

            def hook(module, args, output, name=name):
                captured[name] = output.detach()

            handles.append(module.register_forward_hook(hook))
    with torch.no_grad():
        model(x)
    for handle in handles:
        handle.remove()
    return captured


captured_nn = capture(net_nn, x)
captured_f = capture(net_f, x)
print(f"NetNN: {list(captured_nn)}")
print(f"NetF:  {list(captured_f)}")
assert list(captured_nn) == ["conv", "relu", "pool", "flatten", "fc"]
assert list(captured_f) == ["conv", "fc"]

# %%
# What ``NetF`` does not hand over, you recompute
# -----------------------------------------------
# The output of ``F.relu`` reaches no hook, but it is a function of what the ``conv``
# hook captured: applying the same functions to it gives ``NetNN``'s captured maps.

relu_f = F.relu(captured_f["conv"])
pool_f = F.max_pool2d(relu_f, 2)
torch.testing.assert_close(relu_f, captured_nn["relu"], rtol=0, atol=0)
torch.testing.assert_close(pool_f, captured_nn["pool"], rtol=0, atol=0)
print(f"relu: {tuple(relu_f.shape)}, pool: {tuple(pool_f.shape)}")

# %%
# The captured maps
# -----------------
# The first channel (vertical edges) after each step. A panel that shows only the call
# is a step written as a function: there was no Module, so there is no hook and no
# captured map.

steps = {"conv": "self.conv(x)", "relu": "F.relu(x)", "pool": "F.max_pool2d(x, 2)"}
fig, axes = plt.subplots(2, 4, figsize=(8, 4.4), layout="constrained")
for row, (label, captured) in enumerate((("NetNN", captured_nn), ("NetF", captured_f))):
    axes[row, 0].imshow(x[0, 0].numpy(), cmap="gray_r")
    axes[row, 0].set_title("x")
    axes[row, 0].set_ylabel(label, fontsize=12)
    for col, name in enumerate(steps, start=1):
        ax = axes[row, col]
        if name in captured:
            ax.imshow(captured[name][0, 0].numpy(), cmap="magma")
            ax.set_title(f"captured['{name}']", family="monospace", fontsize=9)
        else:
            ax.text(0.5, 0.5, steps[name], ha="center", va="center", family="monospace")
            ax.set_title(f"'{name}' not in captured", family="monospace", fontsize=9)
    for ax in axes[row]:
        ax.set_xticks([])
        ax.set_yticks([])

# sphinx_gallery_start_ignore
assert "relu" not in captured_f and "pool" not in captured_f
# sphinx_gallery_end_ignore
plt.show()
