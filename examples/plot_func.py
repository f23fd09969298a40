"""
Per-sample gradients with torch.func
====================================

A small classifier trained on scikit-learn's iris data, written with ``nn`` classes, is
called as a pure function of its parameters with ``torch.func.functional_call``. Then
``vmap(grad(loss_fn))`` computes the gradient of every sample's loss in one call, checked
against a Python loop of ``backward()`` calls, and the figure shows which samples pull
hardest on the weights.
"""

# %%
# Setup
# -----
# A fixed seed fixes the model's initial weights. The four features are standardised.

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_iris
from torch import nn
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)

iris = load_iris()
x = torch.tensor(iris.data, dtype=torch.float32)
x = (x - x.mean(dim=0)) / x.std(dim=0)
y = torch.tensor(iris.target)
print(f"x: {tuple(x.shape)}, classes: {y.unique().tolist()}")

# %%
# A model trained the usual way
# -----------------------------
# An MLP built from ``nn`` classes, trained for a few full-batch steps with Adam.

model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for _ in range(60):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
accuracy = (model(x).argmax(dim=1) == y).float().mean().item()
print(f"loss: {loss.item():.4f}, accuracy: {accuracy:.3f}")

# %%
# The same model as a function of its parameters
# ----------------------------------------------
# ``functional_call`` runs the model's ``forward`` with the tensors it is given. The loss
# is written for one sample; ``unsqueeze(0)`` makes that sample a batch of one.

params = {name: p.detach() for name, p in model.named_parameters()}
torch.testing.assert_close(functional_call(model, params, (x,)), model(x), rtol=0, atol=0)


def loss_fn(params, sample, target):
    logits = functional_call(model, params, (sample.unsqueeze(0),))
    return F.cross_entropy(logits, target.unsqueeze(0))


# %%
# One gradient per sample, in one call
# ------------------------------------
# ``grad(loss_fn)`` returns the gradient with respect to the first argument, a dictionary
# shaped like ``params``. ``vmap`` maps it over the samples: ``in_dims=(None, 0, 0)``
# keeps the parameters and splits the inputs and targets.

per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, x, y)
for name, g in per_sample.items():
    print(f"{name:<9} {tuple(g.shape)}")


def norms(grads):
    """The norm of each sample's whole gradient, all parameters together."""
    return torch.cat([g.flatten(start_dim=1) for g in grads.values()], dim=1).norm(dim=1)


vmap_norms = norms(per_sample)

# %%
# The same with a loop
# --------------------
# One ``backward()`` per sample, the slow way, gives the same gradients to ``float32``
# rounding (the default tolerance of ``torch.testing.assert_close``).

looped = {name: torch.empty_like(g) for name, g in per_sample.items()}
for i in range(len(x)):
    model.zero_grad()
    F.cross_entropy(model(x[i : i + 1]), y[i : i + 1]).backward()
    for name, p in model.named_parameters():
        looped[name][i] = p.grad
loop_norms = norms(looped)

for name in per_sample:
    torch.testing.assert_close(per_sample[name], looped[name])
torch.testing.assert_close(vmap_norms, loop_norms)
print(f"{len(x)} samples: vmap(grad(loss_fn)) == loop of backward()")

# sphinx_gallery_start_ignore
# The mean of the per-sample gradients is the gradient of the batch's mean loss.
model.zero_grad()
F.cross_entropy(model(x), y).backward()
for name, p in model.named_parameters():
    torch.testing.assert_close(per_sample[name].mean(dim=0), p.grad)
# sphinx_gallery_end_ignore

# %%
# Which samples pull hardest
# --------------------------
# Left: the norm of each sample's gradient, from ``vmap`` and from the loop, on the
# diagonal. Right: the same norms against each sample's loss. The samples the model
# gets wrong (``argmax != y``) have larger losses and larger gradients than every sample
# it gets right.

with torch.no_grad():
    losses = F.cross_entropy(model(x), y, reduction="none")
    wrong = model(x).argmax(dim=1) != y
n_wrong = int(wrong.sum())
top = vmap_norms.argsort(descending=True)[:n_wrong]
print(f"samples with argmax != y: {sorted(wrong.nonzero().flatten().tolist())}")
print(f"{n_wrong} largest gradient norms: {sorted(top.tolist())}")
assert n_wrong > 0
assert losses[wrong].min() > losses[~wrong].max()
assert vmap_norms[wrong].min() > vmap_norms[~wrong].max()

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
left.scatter(vmap_norms, loop_norms, s=14)
limit = [0, vmap_norms.max().item() * 1.05]
left.plot(limit, limit, color="gray", linewidth=0.8)
left.set_xlabel("vmap(grad(loss_fn)): ‖g_i‖")
left.set_ylabel("loss_i.backward(): ‖g_i‖")
for label, mask in (("argmax == y", ~wrong), ("argmax != y", wrong)):
    right.scatter(losses[mask], vmap_norms[mask], s=14, label=label)
right.set_xlabel("loss_i")
right.set_ylabel("‖g_i‖")
right.legend()
plt.show()
