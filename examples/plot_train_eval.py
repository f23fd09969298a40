"""
Training versus evaluation
==========================

Dropout written three ways (the bare ``F.dropout(x, p)``, ``F.dropout`` given
``training=self.training``, and ``nn.Dropout(p)``), run in ``.train()`` and ``.eval()``
mode and drawn as masks: only the bare function keeps dropping after ``.eval()``. Then
``F.batch_norm`` with running statistics you keep yourself, checked bit for bit against
``nn.BatchNorm1d`` in both modes.
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
# Three ways to write dropout
# ---------------------------
# The models differ only in how ``forward`` calls dropout. ``model.eval()`` sets
# ``model.training = False``; only the second and third pass that flag on.


class BareF(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p)  # training=True by default


class FlaggedF(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, training=self.training)


class WithModule(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.drop = nn.Dropout(p)

    def forward(self, x):
        return self.drop(x)


p = 0.5
models = {
    "F.dropout(x, p)": BareF(p),
    "F.dropout(x, p, training=self.training)": FlaggedF(p),
    "nn.Dropout(p)": WithModule(p),
}

# %%
# The masks, in both modes
# ------------------------
# Each model gets a tensor of ones after ``.train()`` and after ``.eval()``, with
# the same seed before every call. A zero in the output is a dropped element.

x = torch.ones(8, 8)
outputs = {}
for name, model in models.items():
    for mode in ("train", "eval"):
        getattr(model, mode)()
        torch.manual_seed(1)
        outputs[name, mode] = model(x)
        zeros = int((outputs[name, mode] == 0).sum())
        call = f".{mode}()"
        print(f"{name:<41} {call:<9} zeros: {zeros:2d} of {x.numel()}")

bare, flagged, module = models
assert inspect.signature(F.dropout).parameters["training"].default is True
# Training mode: the same seed gives the same mask, F and nn alike.
train_f, train_nn = outputs[flagged, "train"], outputs[module, "train"]
torch.testing.assert_close(train_f, train_nn, rtol=0, atol=0)
# Evaluation mode: the bare function still drops, the other two return x.
assert (outputs[bare, "eval"] == 0).any()
assert torch.equal(outputs[bare, "eval"], outputs[bare, "train"])
assert torch.equal(outputs[flagged, "eval"], x)
assert torch.equal(outputs[module, "eval"], x)

# %%
# Black where an element was dropped: the bare function's evaluation mask is its
# training mask.

fig, axes = plt.subplots(3, 2, figsize=(6.5, 6.5))
fig.subplots_adjust(left=0.34, right=0.98, top=0.94, bottom=0.05, hspace=0.3)
for row, name in enumerate(models):
    for col, mode in enumerate(("train", "eval")):
        ax = axes[row, col]
        out = outputs[name, mode]
        ax.imshow(out != 0, cmap="gray", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(f"(out == 0).sum() = {int((out == 0).sum())}")
        if row == 0:
            ax.set_title(f"model.{mode}()")
        if col == 0:
            label = name.replace(", training", ",\n  training")
            ax.set_ylabel(label, rotation=0, ha="right", va="center")
plt.show()

# %%
# F.batch_norm keeps nothing: you pass the running statistics
# -----------------------------------------------------------
# In training mode the function normalises with the batch's statistics and updates
# ``running_mean`` and ``running_var`` in place with momentum ``m``:
# ``(1 - m) * old + m * batch_mean`` and the same with the unbiased batch variance.
# In evaluation mode it normalises with them and leaves them alone.

batch = torch.randn(16, 3) * 2 + 1
running_mean, running_var = torch.zeros(3), torch.ones(3)
m = 0.1
old_mean, old_var = running_mean.clone(), running_var.clone()
F.batch_norm(batch, running_mean, running_var, training=True, momentum=m)
print(f"running_mean {old_mean.numpy()} -> {running_mean.numpy().round(4)}")
print(f"running_var  {old_var.numpy()} -> {running_var.numpy().round(4)}")
expected_mean = (1 - m) * old_mean + m * batch.mean(dim=0)
expected_var = (1 - m) * old_var + m * batch.var(dim=0)
torch.testing.assert_close(running_mean, expected_mean)
torch.testing.assert_close(running_var, expected_var)

frozen_mean, frozen_var = running_mean.clone(), running_var.clone()
out = F.batch_norm(batch, running_mean, running_var, training=False)
assert torch.equal(running_mean, frozen_mean)
assert torch.equal(running_var, frozen_var)
torch.testing.assert_close(out, (batch - running_mean) / torch.sqrt(running_var + 1e-5))
print("training=False: running statistics unchanged")

# %%
# nn.BatchNorm1d, bit for bit
# ---------------------------
# The Module keeps ``running_mean``, ``running_var`` and ``num_batches_tracked`` as
# buffers and reads ``self.training`` to choose what to pass to ``F.batch_norm``. The
# functional version below keeps copies of the same five tensors and counts batches
# itself.

bn = nn.BatchNorm1d(3)
assert [name for name, _ in bn.named_buffers()] == [
    "running_mean",
    "running_var",
    "num_batches_tracked",
]
assert "if self.training:" in inspect.getsource(nn.BatchNorm1d.forward)
with torch.no_grad():
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.uniform_(-0.5, 0.5)
state = {name: t.detach().clone() for name, t in bn.state_dict().items()}


def functional_bn(x, state, training):
    if training:
        state["num_batches_tracked"].add_(1)
    return F.batch_norm(
        x,
        state["running_mean"],
        state["running_var"],
        state["weight"],
        state["bias"],
        training=training,
        momentum=bn.momentum,
        eps=bn.eps,
    )


means = [state["running_mean"].clone()]
for mode in ("train", "train", "train", "eval", "eval"):
    getattr(bn, mode)()
    x = torch.randn(16, 3) * 2 + 1
    out_module = bn(x)
    out_function = functional_bn(x, state, training=bn.training)
    torch.testing.assert_close(out_module, out_function, rtol=0, atol=0)
    for name, tensor in bn.state_dict().items():
        torch.testing.assert_close(tensor, state[name], rtol=0, atol=0)
    means.append(state["running_mean"].clone())
    count = int(bn.num_batches_tracked)
    mean = bn.running_mean.numpy().round(4)
    call = f"bn.{mode}():"
    print(f"{call:<12} num_batches_tracked={count}  running_mean={mean}")

# sphinx_gallery_start_ignore
assert int(bn.num_batches_tracked) == 3
assert all(not torch.equal(means[i], means[i + 1]) for i in range(3))
assert torch.equal(means[-1], means[3]) and torch.equal(means[4], means[3])
# sphinx_gallery_end_ignore

# %%
# The running mean moves during the three training calls and stays put during the
# two evaluation calls.

fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
steps = range(len(means))
for feature in range(3):
    values = [mean[feature].item() for mean in means]
    ax.plot(steps, values, marker="o", label=f"running_mean[{feature}]")
modes = ("train",) * 3 + ("eval",) * 2
ticks = ["nn.BatchNorm1d(3)"] + [f"bn.{mode}()\nbn(x)" for mode in modes]
ax.set_xticks(steps, ticks)
ax.legend()
plt.show()
