"""
Resuming training on a model built on the meta device
=====================================================

A digit classifier is trained for a while and saved. To resume, the model is built again
on the ``meta`` device, where its parameters hold no data, and the checkpoint is memory-mapped and
put into it with ``load_state_dict(..., assign=True)``. Built before that call, an SGD
optimizer holds the meta tensors and trains nothing; built after it, it goes on where
the saved run stopped. The figure shows both next to a fresh start with ``to_empty`` and
``reset_parameters``.
"""

# %%
# Data and model
# --------------
# scikit-learn's digits, 8x8 images scaled to [0, 1], with a fixed split. The model is
# three ``nn`` layers; ``nn.Linear`` has a ``reset_parameters`` method, ``nn.ReLU`` has
# no parameters.

import math
import mmap
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

torch.manual_seed(0)
digits = load_digits()
x = torch.tensor(digits.data, dtype=torch.float32) / 16
y = torch.tensor(digits.target)
order = torch.randperm(len(x))
train, test = order[: len(x) * 3 // 4], order[len(x) * 3 // 4 :]
LR, STEPS = 0.5, 60


def build():
    return nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))


def loss_on(model, idx):
    return F.cross_entropy(model(x[idx]), y[idx])


def train_steps(model, optimizer):
    """``STEPS`` full-batch steps of ``optimizer`` on the training split; the losses."""
    losses = []
    for _ in range(STEPS):
        optimizer.zero_grad()
        loss = loss_on(model, train)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


# %%
# A first run, saved
# ------------------
# Full-batch SGD for ``STEPS`` steps, then ``torch.save`` of the ``state_dict``.

first = build()
first_losses = train_steps(first, torch.optim.SGD(first.parameters(), lr=LR))

folder = tempfile.TemporaryDirectory()
path = Path(folder.name) / "digits.pt"
torch.save(first.state_dict(), path)
print(f"saved after {STEPS} steps: train loss {first_losses[-1]:.4f}, {path.stat().st_size} bytes")

# %%
# Building on meta, loading with assign=True
# ------------------------------------------
# ``torch.load(..., mmap=True)`` maps the file instead of reading it into new memory,
# and ``assign=True`` makes those tensors the model's parameters. The meta model holds
# no data until then: every data pointer is zero.


def resume(optimizer_first):
    """Build on meta, load the checkpoint, train on; return the losses and the model."""
    with torch.device("meta"):
        model = build()
    assert all(p.is_meta and p.data_ptr() == 0 for p in model.parameters())
    if optimizer_first:
        optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    state = torch.load(path, mmap=True)
    model.load_state_dict(state, assign=True)
    assert model[0].weight.data_ptr() == state["0.weight"].data_ptr()
    if not optimizer_first:
        optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    return train_steps(model, optimizer), model, optimizer


# sphinx_gallery_start_ignore
load_doc = " ".join(torch.load.__doc__.split())
assert (
    "Indicates whether the file should be mapped rather than loading all the storages" in load_doc
)
# sphinx_gallery_end_ignore

before_losses, before_model, before_optimizer = resume(optimizer_first=True)
after_losses, after_model, after_optimizer = resume(optimizer_first=False)

# %%
# What each optimizer held
# ------------------------
# The one built first still holds the meta tensors. Its steps found no gradient on them
# and left the loaded weights exactly as saved, so the loss never moved. The one built
# after trained on from the saved weights. Both start from the loss of the saved weights,
# lower than the first run's last recorded loss, which was computed before its final
# step.

held = before_optimizer.param_groups[0]["params"]
print(f"optimizer built before: holds meta tensors: {all(p.is_meta for p in held)}")
assert all(p.is_meta and p.grad is None for p in held)
for name, tensor in first.state_dict().items():
    assert torch.equal(before_model.state_dict()[name], tensor), name
assert len(set(before_losses)) == 1
assert after_losses[-1] < after_losses[0]
assert after_losses[0] == before_losses[0] < first_losses[-1]
print(f"optimizer built before: loss {before_losses[0]:.4f} -> {before_losses[-1]:.4f}")
print(f"optimizer built after:  loss {after_losses[0]:.4f} -> {after_losses[-1]:.4f}")

# %%
# A fresh start from meta: to_empty and reset_parameters
# ------------------------------------------------------
# Without a checkpoint, ``to_empty`` gives the meta model uninitialised memory and each
# layer's ``reset_parameters`` fills it. From the same seed this is the model ``build()``
# makes on the CPU, bit for bit, and it starts near ``log(10)``, the loss of a uniform
# guess among ten classes.

torch.manual_seed(1)
on_cpu = build()
with torch.device("meta"):
    fresh = build()
fresh.to_empty(device="cpu")
torch.manual_seed(1)
for module in fresh.modules():
    if hasattr(module, "reset_parameters"):
        module.reset_parameters()
for name, tensor in on_cpu.state_dict().items():
    torch.testing.assert_close(fresh.state_dict()[name], tensor, rtol=0, atol=0)

fresh_losses = train_steps(fresh, torch.optim.SGD(fresh.parameters(), lr=LR))
assert abs(fresh_losses[0] - math.log(10)) < 0.1
print(f"to_empty + reset_parameters: loss {fresh_losses[0]:.4f} -> {fresh_losses[-1]:.4f}")

with torch.no_grad():
    accuracy = {
        name: (model(x[test]).argmax(dim=1) == y[test]).float().mean().item()
        for name, model in (
            ("first", first),
            ("before", before_model),
            ("after", after_model),
            ("fresh", fresh),
        )
    }
print(", ".join(f"test accuracy {k}: {v:.3f}" for k, v in accuracy.items()))
assert accuracy["after"] >= accuracy["before"]

# %%
# Training the memory-mapped parameters did not write to the file.
# ``torch.load(..., mmap=True)`` maps it copy-on-write (``mmap.MAP_PRIVATE``) by
# default: a page that the optimizer changes gets a private copy in memory, and the
# file keeps the saved weights.

assert torch.serialization.get_default_mmap_options() == mmap.MAP_PRIVATE
reread = torch.load(path)
for name, tensor in first.state_dict().items():
    assert torch.equal(reread[name], tensor), name
print("the file still holds the saved weights")
# sphinx_gallery_start_ignore
del reread, before_model, after_model, after_optimizer
# sphinx_gallery_end_ignore
folder.cleanup()

# %%
# The figure
# ----------
# The training loss of the saved run, then of the three ways to go on.

fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
first_steps = range(1, STEPS + 1)
later_steps = range(STEPS + 1, 2 * STEPS + 1)


def ending(losses, key):
    return f"loss {losses[-1]:.3f}, test acc {accuracy[key]:.3f}"


ax.plot(
    first_steps,
    first_losses,
    color="gray",
    label=f"first run, then torch.save ({ending(first_losses, 'first')})",
)
ax.plot(
    later_steps,
    before_losses,
    label=f"SGD before load_state_dict(assign=True) ({ending(before_losses, 'before')})",
)
ax.plot(
    later_steps,
    after_losses,
    label=f"SGD after load_state_dict(assign=True) ({ending(after_losses, 'after')})",
)
ax.plot(
    later_steps,
    fresh_losses,
    "--",
    label=f"to_empty() + reset_parameters() ({ending(fresh_losses, 'fresh')})",
)
ax.axhline(math.log(10), color="gray", linewidth=0.6, linestyle=":", label="log(10)")
ax.set_xlabel(f"optimizer.step(), lr={LR}")
ax.set_ylabel("F.cross_entropy, training set")
ax.set_title(f"load_digits: {len(train)} training images, {len(test)} test")
fig.legend(loc="outside lower center", fontsize="small")
plt.show()
