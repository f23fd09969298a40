"""
What a Module gives you
=======================

A small model registers its parameters, buffers and submodules, and ``named_parameters()``,
``named_buffers()`` and ``state_dict()`` find them by name. Then a layer that computes
with ``F.linear`` learns its weight in one SGD step, because the weight is a registered
``nn.Parameter``, while a plain tensor beside it is left alone. The figure counts the
learned values of each submodule.
"""

# %%
# Setup
# -----
# The seed is fixed, so every run draws the same random numbers (:doc:`/reproducibility`
# shows what a seed does and does not fix).

import inspect

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)

# %%
# A model that registers its state
# --------------------------------
# Submodules and ``nn.Parameter`` objects assigned as attributes are registered;
# ``register_buffer`` registers a tensor that is saved but not learned, and
# ``persistent=False`` keeps it out of ``state_dict()``.


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.5, 0.4, 0.3]).view(3, 1, 1))
        self.register_buffer("std", torch.full((3, 1, 1), 0.2))
        self.register_buffer("scratch", torch.zeros(1), persistent=False)
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, kernel_size=3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Linear(8 * 4 * 4, 10)

    def forward(self, x):
        x = self.features((x - self.mean) / self.std)
        return self.head(x.flatten(1))


model = SmallNet()
print(model)
print(f"output {tuple(model(torch.rand(2, 3, 8, 8)).shape)}")

# %%
# Parameters, buffers and the state dict
# --------------------------------------
# Every registered tensor has a dotted name. The state dict holds the parameters and
# the persistent buffers under the same names.

parameters = dict(model.named_parameters())
buffers = dict(model.named_buffers())
state = model.state_dict()
for name, p in parameters.items():
    print(f"parameter {name:<32} {tuple(p.shape)}")
for name, b in buffers.items():
    print(f"buffer    {name:<32} {tuple(b.shape)}")
print(f"state_dict keys: {list(state)}")

assert set(state) == (set(parameters) | set(buffers)) - {"scratch"}
# sphinx_gallery_start_ignore
assert list(parameters) == [
    "features.0.weight",
    "features.0.bias",
    "features.1.weight",
    "features.1.bias",
    "head.weight",
    "head.bias",
]
assert "features.1.running_mean" in buffers and "scratch" in buffers
# sphinx_gallery_end_ignore

# %%
# One call reaches every submodule
# --------------------------------
# ``eval()`` and ``train()`` set ``training`` on the whole tree; the optimizer gets the
# registered parameters, the same objects, from ``parameters()``.

model.eval()
assert not any(m.training for m in model.modules())
model.train()
assert all(m.training for m in model.modules())

optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
handed = optimizer.param_groups[0]["params"]
assert all(a is b for a, b in zip(handed, parameters.values(), strict=True))
print(f"tensors the optimizer updates: {len(handed)}")

# %%
# A weight passed to ``F.linear`` is learned when it is registered
# ----------------------------------------------------------------
# ``weight`` and ``bias`` are ``nn.Parameter`` objects; ``scale`` is a plain tensor that
# requires a gradient. Only the parameters are registered.


class ScaledLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features) * 0.5)
        self.bias = nn.Parameter(torch.zeros(out_features))
        self.scale = torch.ones(out_features, requires_grad=True)

    def forward(self, x):
        return F.linear(x, self.weight, self.bias) * self.scale


layer = ScaledLinear(3, 2)
print(f"parameters: {[name for name, _ in layer.named_parameters()]}")
print(f"state_dict: {list(layer.state_dict())}")
assert list(layer.state_dict()) == ["weight", "bias"]
assert not any(p is layer.scale for p in layer.parameters())

# %%
# One SGD step
# ------------
# Both tensors get a gradient; only the registered parameters move, the weight by exactly
# ``-lr * grad`` when that is written as SGD's source writes it, ``add_(grad, alpha=-lr)``.

lr = 0.1
optimizer = torch.optim.SGD(layer.parameters(), lr=lr)
inputs, targets = torch.randn(4, 3), torch.randn(4, 2)
weight_before = layer.weight.detach().clone()
bias_before = layer.bias.detach().clone()
scale_before = layer.scale.detach().clone()

loss = F.mse_loss(layer(inputs), targets)
loss.backward()
grad = layer.weight.grad.clone()
optimizer.step()

assert not torch.equal(layer.weight, weight_before)
assert not torch.equal(layer.bias, bias_before)
sgd_source = inspect.getsource(inspect.getmodule(torch.optim.SGD))
assert "param.add_(grad, alpha=-lr)" in sgd_source
torch.testing.assert_close(
    layer.weight.detach(), torch.add(weight_before, grad, alpha=-lr), rtol=0, atol=0
)
torch.testing.assert_close(layer.scale.detach(), scale_before, rtol=0, atol=0)
# sphinx_gallery_start_ignore
assert layer.scale.grad.abs().sum() > 0
torch.testing.assert_close(layer.weight.detach(), weight_before - lr * grad)
# sphinx_gallery_end_ignore


def values(tensor):
    return " ".join(f"{v:+.4f}" for v in tensor.detach().flatten().tolist())


print(f"weight before  {values(weight_before)}")
print(f"weight after   {values(layer.weight)}")
print(f"scale.grad     {values(layer.scale.grad)}")
print(f"scale after    {values(layer.scale)}")

# %%
# Learned values per submodule
# ----------------------------
# ``named_modules()`` and ``parameters(recurse=False)`` count what each layer of
# ``SmallNet`` learns.

counts = {
    f"{name}\n{type(m).__name__}": sum(p.numel() for p in m.parameters(recurse=False))
    for name, m in model.named_modules()
    if any(True for _ in m.parameters(recurse=False))
}
assert sum(counts.values()) == sum(p.numel() for p in model.parameters())
for label, count in counts.items():
    print(f"{label.replace(chr(10), ' '):<24} {count}")

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
bars = ax.bar(list(counts), list(counts.values()), color="tab:blue")
ax.bar_label(bars)
ax.set_ylabel("numel")
ax.margins(y=0.12)
plt.show()
