"""
A checkpoint that carries class names and rebuilds a cache
==========================================================

A classifier for scikit-learn's wine data standardises its inputs with a stored mean and
standard deviation, keeps the reciprocal of the deviation as a non-persistent buffer, and
carries its class names as extra state. The script saves its ``state_dict``, loads it
with ``torch.load(weights_only=True)`` into a freshly built model, and shows two things
that decide whether that works: the class names must be plain ``str``, not the
``numpy.str_`` that scikit-learn gives, and a load post hook must recompute the
non-persistent buffer, without which the reloaded model scores much lower on the same
test set.
"""

# %%
# Setup
# -----
# A fixed seed fixes the initial weights; a stratified split holds out test wines in
# the same class proportions. The features have very different scales, as the printed
# range of their standard deviations shows.

import pickle
import re
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from torch import nn

torch.manual_seed(0)

wine = load_wine()
x_train, x_test, y_train, y_test = (
    torch.tensor(a)
    for a in train_test_split(
        wine.data, wine.target, test_size=0.25, random_state=0, stratify=wine.target
    )
)
x_train, x_test = x_train.float(), x_test.float()
spread = x_train.std(dim=0)
print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}")
assert spread.max() > 1000 * spread.min()
print(f"{x_train.shape[1]} features, std from {spread.min():.3f} to {spread.max():.1f}")

# %%
# A model with three kinds of state
# ---------------------------------
# ``Standardize`` saves ``mean`` and ``std`` and derives ``inv_std`` from ``std``, so
# ``inv_std`` is registered with ``persistent=False``. Its load post hook computes it
# again after every ``load_state_dict``. ``WineClassifier`` keeps its class names, a
# list of strings, as extra state.


class Standardize(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))
        self.register_buffer("inv_std", torch.ones(n_features), persistent=False)
        self.recompute_hook = self.register_load_state_dict_post_hook(
            lambda module, incompatible_keys: module.refresh()
        )

    def fit(self, x):
        self.mean = x.mean(dim=0)
        self.std = x.std(dim=0)
        self.refresh()
        return self

    def refresh(self):
        self.inv_std = 1 / self.std

    def forward(self, x):
        return (x - self.mean) * self.inv_std


class WineClassifier(nn.Module):
    def __init__(self, n_features, labels):
        super().__init__()
        self.norm = Standardize(n_features)
        self.net = nn.Sequential(nn.Linear(n_features, 16), nn.ReLU(), nn.Linear(16, 3))
        self.labels = list(labels)

    def forward(self, x):
        return self.net(self.norm(x))

    def get_extra_state(self):
        return {"labels": [str(label) for label in self.labels]}

    def set_extra_state(self, state):
        self.labels = list(state["labels"])


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).float().mean().item()


# %%
# Training
# --------
# The statistics come from the training set only; then full-batch steps of Adam, as
# many as the output says.

model = WineClassifier(x_train.shape[1], wine.target_names)
model.norm.fit(x_train)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
losses = []
for _ in range(200):
    loss = F.cross_entropy(model(x_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
model.eval()
trained_accuracy = accuracy(model, x_test, y_test)
assert losses[-1] < losses[0]
print(f"{len(losses)} steps: loss {losses[0]:.4f} -> {losses[-1]:.4f}")
print(f"test accuracy {trained_accuracy:.3f}")

# %%
# Extra state that ``weights_only`` refuses
# -----------------------------------------
# The class names come from scikit-learn as a NumPy array, whose items are
# ``numpy.str_``, not ``str``. Saved as they are, they make the file unreadable with
# ``torch.load``'s default, ``weights_only=True``: the reader does not allow NumPy's
# scalar type. That is why ``get_extra_state`` above converts them with ``str``.

print(f"type(wine.target_names[0]): {type(wine.target_names[0]).__name__}")
with tempfile.TemporaryDirectory() as folder:
    naive_path = Path(folder) / "naive.pt"
    torch.save({"_extra_state": {"labels": list(wine.target_names)}}, naive_path)
    try:
        torch.load(naive_path, weights_only=True)
    except pickle.UnpicklingError as error:
        refusal = str(error)
    else:
        raise AssertionError("numpy.str_ loaded with weights_only=True")
assert "Unsupported global: GLOBAL numpy" in refusal
print(re.search(r"Unsupported global: GLOBAL \S+", refusal).group())

# %%
# What the checkpoint holds
# -------------------------
# The ``state_dict`` has the parameters, ``norm.mean`` and ``norm.std``, and the class
# names, as plain strings, under ``_extra_state``, but not ``norm.inv_std``.

state = model.state_dict()
for name, value in state.items():
    kind = tuple(value.shape) if isinstance(value, torch.Tensor) else value
    print(f"{name:<14} {kind}")
assert "norm.inv_std" in dict(model.named_buffers())
assert "norm.inv_std" not in state
assert state["_extra_state"] == {"labels": [str(name) for name in wine.target_names]}
assert all(type(label) is str for label in state["_extra_state"]["labels"])

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "wine.pt"
    torch.save(state, path)
    checkpoint = torch.load(path, weights_only=True)

# %%
# Loading into a fresh model
# --------------------------
# The fresh model starts with no class names, a mean of zeros and a deviation of ones.
# After ``load_state_dict`` it has the saved names, and the post hook has recomputed
# ``inv_std`` from the loaded ``std``: its predictions are the trained model's, bit for
# bit.

reloaded = WineClassifier(x_train.shape[1], labels=[]).eval()
result = reloaded.load_state_dict(checkpoint)
assert result.missing_keys == [] and result.unexpected_keys == []
assert reloaded.labels == list(wine.target_names)
assert all(type(label) is str for label in reloaded.labels)
torch.testing.assert_close(reloaded.norm.inv_std, model.norm.inv_std, rtol=0, atol=0)
torch.testing.assert_close(reloaded(x_test), model(x_test), rtol=0, atol=0)
reloaded_accuracy = accuracy(reloaded, x_test, y_test)
print(f"labels from _extra_state: {reloaded.labels}")
print(f"reloaded test accuracy {reloaded_accuracy:.3f}")

# %%
# Without the hook
# ----------------
# The same load with the hook removed: ``inv_std`` keeps the ones the fresh model was
# built with, so the inputs are centred but not scaled, and the accuracy drops.

stale = WineClassifier(x_train.shape[1], labels=[]).eval()
stale.norm.recompute_hook.remove()
stale.load_state_dict(checkpoint)
assert torch.equal(stale.norm.std, model.norm.std)
assert torch.equal(stale.norm.inv_std, torch.ones_like(stale.norm.inv_std))
stale_accuracy = accuracy(stale, x_test, y_test)
print(f"test accuracy without the hook {stale_accuracy:.3f}")
assert reloaded_accuracy == trained_accuracy
assert stale_accuracy < reloaded_accuracy - 0.1

# %%
# The figure
# ----------
# Left: the test accuracy of the trained model and of the two reloaded ones. Right: the
# reloaded model's confusion matrix, its rows and columns named with the labels read
# back from ``_extra_state``.

with torch.no_grad():
    predicted = reloaded(x_test).argmax(dim=1)
n = len(reloaded.labels)
confusion = torch.zeros(n, n, dtype=torch.long)
for true, guess in zip(y_test.tolist(), predicted.tolist(), strict=True):
    confusion[true, guess] += 1
assert int(confusion.trace()) == round(reloaded_accuracy * len(y_test))

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
names = ["model", "reloaded", "stale\n(hook removed)"]
values = [trained_accuracy, reloaded_accuracy, stale_accuracy]
bars = left.bar(names, values, color=["tab:blue", "tab:green", "tab:red"])
left.bar_label(bars, fmt="%.3f")
left.set_ylim(0, 1.1)
left.set_ylabel("test accuracy")
left.set_title("load_state_dict(torch.load(path, weights_only=True))")
right.imshow(confusion, cmap="Blues")
for (i, j), count in zip(
    [(i, j) for i in range(n) for j in range(n)], confusion.flatten().tolist(), strict=True
):
    color = "white" if count > confusion.max() / 2 else "black"
    right.text(j, i, str(count), ha="center", va="center", color=color)
right.set_xticks(range(n), reloaded.labels)
right.set_yticks(range(n), reloaded.labels)
right.set_xlabel("predicted")
right.set_ylabel("true")
right.set_title("reloaded.labels from '_extra_state'")
plt.show()
