"""
Bounding a classifier's Lipschitz constant with spectral_norm
=============================================================

Three copies of one MLP learn scikit-learn's digits: a plain one, one with
``parametrizations.weight_norm`` and one with ``parametrizations.spectral_norm`` on both
linear layers. The product of the layers' largest singular values bounds how much the
output can move when the input moves; the figure follows it during training. Spectral
norm keeps it within a small factor of 1 during training, and at 1 once its power
iteration has caught up; the bound is checked against random input perturbations. At
the end the parametrizations are removed with ``leave_parametrized=True``, which leaves a plain
``nn.Linear`` model computing the same outputs.
"""

# %%
# Setup
# -----
# The 8x8 images are scaled to [0, 1]; a stratified split keeps a quarter for testing.

import copy

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import spectral_norm, weight_norm

torch.manual_seed(0)

digits = load_digits()
x_train, x_test, y_train, y_test = (
    torch.tensor(a)
    for a in train_test_split(
        digits.data / 16, digits.target, test_size=0.25, random_state=0, stratify=digits.target
    )
)
x_train, x_test = x_train.float(), x_test.float()
print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}")

# %%
# Three models from one initialisation
# ------------------------------------
# Each parametrization is registered on a (module, ``"weight"``) pair, so it is applied
# layer by layer. All three start from the same weights.

base = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
models = {"nn.Linear": copy.deepcopy(base)}
for name, parametrization in (("weight_norm", weight_norm), ("spectral_norm", spectral_norm)):
    model = copy.deepcopy(base)
    for index in (0, 2):
        parametrization(model[index])
    models[name] = model
for name, model in models.items():
    print(f"{name:<13} {[key for key in model.state_dict() if key.startswith('0.')]}")
assert type(models["nn.Linear"][0]) is nn.Linear
assert type(models["spectral_norm"][0]).__name__ == "ParametrizedLinear"
torch.testing.assert_close(models["weight_norm"](x_test), base(x_test))


def lipschitz_bound(model):
    """The product of the layers' largest singular values (ReLU's constant is 1)."""
    with torch.no_grad():
        sigmas = [torch.linalg.matrix_norm(model[i].weight, ord=2) for i in (0, 2)]
    return torch.stack(sigmas).prod().item()


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


# %%
# Training
# --------
# The same full-batch Adam steps for all three. Reading ``model[0].weight`` in
# ``lipschitz_bound`` would run one more power step of ``spectral_norm`` in training
# mode, so the bound is measured with the models in evaluation mode.

history = {name: {"loss": [], "bound": []} for name in models}
for name, model in models.items():
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(150):
        model.train()
        loss = F.cross_entropy(model(x_train), y_train)
        history[name]["loss"].append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        history[name]["bound"].append(lipschitz_bound(model))
    print(
        f"{name:<13} loss {history[name]['loss'][-1]:.4f}, "
        f"test accuracy {accuracy(model, x_test, y_test):.3f}, "
        f"bound {history[name]['bound'][-1]:.3f}"
    )

bounds = {name: h["bound"][-1] for name, h in history.items()}
assert bounds["spectral_norm"] < bounds["weight_norm"] < bounds["nn.Linear"]
sn_bounds = history["spectral_norm"]["bound"]
assert min(sn_bounds) > 1
assert max(sn_bounds) < min(bounds["weight_norm"], bounds["nn.Linear"])
print(f"spectral_norm bound during training: {min(sn_bounds):.3f} to {max(sn_bounds):.3f}")
losses = {name: h["loss"][-1] for name, h in history.items()}
assert losses["spectral_norm"] > 10 * max(losses["weight_norm"], losses["nn.Linear"])

# %%
# Why the bound is above 1
# ------------------------
# ``spectral_norm`` divides by an estimate of σ made with one power step per forward,
# from the ``u`` and ``v`` of the step before. While Adam changes the weights, the
# estimate lags behind, so the true σ of the layers, and their product, stays above 1.
# With the weights fixed, more reads in training mode (one power step each) close the gap.

sn_model = models["spectral_norm"]
lagging = lipschitz_bound(sn_model)
extra_steps = 20
sn_model.train()
with torch.no_grad():
    for _ in range(extra_steps):
        sn_model[0].weight, sn_model[2].weight
sn_model.eval()
settled = lipschitz_bound(sn_model)
print(f"bound after training {lagging:.3f}, after {extra_steps} more steps {settled:.4f}")
assert lagging > 1 and abs(settled - 1) < abs(lagging - 1)
assert abs(settled - 1) < 1e-3
bounds["spectral_norm"] = settled

# %%
# The bound holds
# ---------------
# For the first 200 test images and small random perturbations of them, the output
# moves by at most the bound times the size of the perturbation, for every model.

x = x_test[:200]
delta = 0.01 * torch.randn_like(x)
with torch.no_grad():
    for name, model in models.items():
        ratio = (model(x + delta) - model(x)).norm(dim=1) / delta.norm(dim=1)
        assert (ratio <= bounds[name] * (1 + 1e-5)).all()
        print(f"{name:<13} largest ‖Δf‖/‖Δx‖ {ratio.max():.3f} <= bound {bounds[name]:.3f}")

# %%
# The same network by hand
# ------------------------
# In evaluation mode ``spectral_norm`` divides each original weight by
# ``vdot(u, W @ v)`` with its stored ``u`` and ``v``; the functional version reads the
# same tensors and gives the same logits, bit for bit.


def normalised(layer):
    w = layer.parametrizations.weight.original
    power = layer.parametrizations.weight[0]
    return w / torch.vdot(power._u, torch.mv(w, power._v))


with torch.no_grad():
    hidden = F.relu(F.linear(x_test, normalised(sn_model[0]), sn_model[0].bias))
    by_hand = F.linear(hidden, normalised(sn_model[2]), sn_model[2].bias)
    torch.testing.assert_close(by_hand, sn_model(x_test), rtol=0, atol=0)

# %%
# Removing the parametrizations
# -----------------------------
# ``remove_parametrizations(..., leave_parametrized=True)`` writes the current weight
# into a plain parameter called ``weight``. Done in evaluation mode, no power step runs
# on the way, and the result is an ``nn.Linear`` model with the usual ``state_dict``
# that computes the same logits. (It is done on the model itself, not on a
# ``copy.deepcopy`` of it: a copy shares the parametrized class, so registering or
# removing a parametrization on the copy changes the original too. Removing ``weight``
# from the copy leaves the original with no ``weight``; registering one on the copy's
# ``bias`` makes the original's ``bias`` raise ``KeyError``.)

with torch.no_grad():
    logits = sn_model(x_test)
for index in (0, 2):
    parametrize.remove_parametrizations(sn_model[index], "weight", leave_parametrized=True)
    assert type(sn_model[index]) is nn.Linear
print(list(sn_model.state_dict()))
assert sorted(sn_model.state_dict()) == sorted(base.state_dict())
with torch.no_grad():
    torch.testing.assert_close(sn_model(x_test), logits, rtol=0, atol=0)

# sphinx_gallery_start_ignore
# The pitfall named above: a deep copy shares the class, so removing the
# parametrization from the copy removes the original's ``weight`` property too,
# and registering one on the copy's ``bias`` breaks the original's ``bias``.
original = spectral_norm(nn.Linear(3, 3))
duplicate = copy.deepcopy(original)
assert type(duplicate) is type(original)
parametrize.remove_parametrizations(duplicate, "weight")
assert not hasattr(original, "weight")


class AddOne(nn.Module):
    def forward(self, x):
        return x + 1


original = weight_norm(nn.Linear(2, 2))
duplicate = copy.deepcopy(original)
parametrize.register_parametrization(duplicate, "bias", AddOne())
try:
    original(torch.ones(1, 2))
except KeyError as error:
    assert error.args == ("bias",)
else:
    raise AssertionError("the original's bias still works")
# sphinx_gallery_end_ignore

# %%
# The figure
# ----------
# Left: the training loss. A model whose output moves at most as much as its input
# keeps its logits small, so ``spectral_norm``'s loss stays high. Right: the Lipschitz
# bound of each model during training, on a log scale; the cross marks the bound of the
# ``spectral_norm`` model once its estimate of σ has caught up.

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for name, h in history.items():
    left.plot(h["loss"], label=name)
    right.plot(h["bound"], label=f"{name}: {h['bound'][-1]:.2f}")
left.set_xlabel("Adam step")
left.set_ylabel("F.cross_entropy (train)")
left.set_yscale("log")
left.legend()
steps = len(history["spectral_norm"]["bound"])
right.scatter(
    [steps - 1],
    [settled],
    marker="x",
    color="black",
    zorder=3,
    label=f"spectral_norm, +{extra_steps} power steps: {settled:.3f}",
)
right.set_xlabel("Adam step")
right.set_ylabel("σ(W₀) · σ(W₂)")
right.set_yscale("log")
right.set_title("torch.linalg.matrix_norm(weight, ord=2)")
right.legend()
plt.show()
