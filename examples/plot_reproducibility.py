"""
Two identical training runs
===========================

A small network is trained twice with the same seed and once with another. Each run seeds
Python's ``random``, NumPy and torch, and gives its ``DataLoader`` its own seeded
``torch.Generator``. The two runs with the same seed give the same loss at every step and
the same parameters at the end, bit for bit; the figure shows their loss curves on top of
each other, beside the run with the other seed.
"""

# %%
# Setup
# -----
# The data is generated once, with a generator of its own, so that it is the same for
# every run and seeding a run does not change it.

import random

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

data_generator = torch.Generator().manual_seed(1234)
features = torch.randn(64, 4, generator=data_generator)
noise = torch.randn(64, 1, generator=data_generator)
targets = features.sum(dim=1, keepdim=True) + 0.1 * noise

# %%
# Seeding torch does not seed the others
# --------------------------------------
# Each library has its own generator. ``torch.manual_seed`` resets torch's (and every
# GPU's); NumPy and ``random`` carry on with their own sequences until they are seeded.

random.seed(0)
np.random.seed(0)  # noqa: NPY002 (the global generator is the point)
torch.manual_seed(0)
first = torch.rand(3), np.random.rand(3), random.random()  # noqa: NPY002
torch.manual_seed(0)
second = torch.rand(3), np.random.rand(3), random.random()  # noqa: NPY002

print(f"torch repeats:  {torch.equal(first[0], second[0])}")
print(f"NumPy repeats:  {np.array_equal(first[1], second[1])}")
print(f"random repeats: {first[2] == second[2]}")
assert torch.equal(first[0], second[0])
assert not np.array_equal(first[1], second[1])
assert first[2] != second[2]


# %%
# One training run
# ----------------
# The seed decides the initial weights, the order of the batches (through the
# DataLoader's ``generator``) and the dropout masks. ``num_workers=0`` keeps the example
# fast; with workers, the same ``generator`` also fixes each worker's seed.


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002
    torch.manual_seed(seed)  # also seeds every GPU


def train(seed, epochs=5):
    seed_all(seed)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(p=0.1), nn.Linear(16, 1))
    loader = DataLoader(
        TensorDataset(features, targets),
        batch_size=16,
        shuffle=True,
        num_workers=0,
        generator=torch.Generator().manual_seed(seed),
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(epochs):
        for x, y in loader:
            loss = F.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    return model, losses


# %%
# Two runs, bit for bit
# ---------------------
# The same seed twice: every loss and every final parameter is identical, compared with
# ``==`` and ``torch.equal``, not with a tolerance. Another seed gives another run.

model_1, losses_1 = train(seed=0)
model_2, losses_2 = train(seed=0)
model_3, losses_3 = train(seed=1)

same_losses = losses_1 == losses_2
same_parameters = all(
    torch.equal(a, b) for a, b in zip(model_1.parameters(), model_2.parameters(), strict=True)
)
print(f"{len(losses_1)} steps, final loss {losses_1[-1]:.4f} and {losses_2[-1]:.4f}")
print(f"seed=0 twice: losses equal {same_losses}, parameters equal {same_parameters}")
print(f"seed=1: losses equal to seed=0 {losses_3 == losses_1}")
assert same_losses and same_parameters
assert losses_3 != losses_1

# sphinx_gallery_start_ignore
assert model_1.state_dict().keys() == model_2.state_dict().keys()
for name, tensor in model_1.state_dict().items():
    assert torch.equal(tensor, model_2.state_dict()[name]), name
# sphinx_gallery_end_ignore

# %%
# The loss curves
# ---------------
# The two runs with ``seed=0`` lie exactly on top of each other; ``seed=1`` follows its
# own path.

steps = range(1, len(losses_1) + 1)
fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
ax.plot(steps, losses_1, linewidth=5, alpha=0.4, label="seed=0, run 1")
ax.plot(steps, losses_2, "k--", linewidth=1.5, label="seed=0, run 2")
ax.plot(steps, losses_3, ":", color="tab:red", label="seed=1")
ax.set_xlabel("optimizer.step()")
ax.set_ylabel("F.mse_loss")
ax.legend()
plt.show()

# %%
# What the seeds do not cover
# ---------------------------
# Seeds fix the random numbers, not the order in which a kernel adds floating-point
# numbers, and that order alone changes the result. PyTorch's documentation lists
# operations, most of them on CUDA, that have no deterministic implementation;
# :doc:`/reproducibility` shows ``torch.use_deterministic_algorithms(True)``, which makes
# such an operation raise instead of varying.

a, b, c = torch.tensor(1e8), torch.tensor(-1e8), torch.tensor(0.1)
left, right = (a + b) + c, a + (b + c)
print(f"(a + b) + c = {left.item():.4f}, a + (b + c) = {right.item():.4f}")
assert left != right
