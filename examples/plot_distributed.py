"""
Two DDP ranks drift apart on a tensor they do not register
===========================================================

A digit classifier trained with ``DistributedDataParallel`` on two CPU processes joined by
the ``gloo`` backend, each process on its own half of scikit-learn's digits. Its output
layer is an ``F.linear`` call whose weight and bias are kept in one of two ways: as plain
tensors with ``requires_grad=True``, or as ``nn.Parameter`` objects. DDP averages the
gradients of what the model registers, so the plain weight trains on each half of the
data alone: the two ranks end with two different classifiers. The figure shows the gap
between the ranks growing step by step, and what each rank's model scores on held-out
digits.
"""

# %%
# Data: one half of the training set per rank
# -------------------------------------------
# The digits are 8x8 images with values from 0 to 16, scaled to [0, 1]. A fixed
# permutation keeps a quarter of them for testing; rank ``r`` of ``WORLD_SIZE`` trains
# on every ``WORLD_SIZE``-th of the rest, starting at ``r``, as
# ``DistributedSampler(..., shuffle=False)`` would split them.

import datetime
import multiprocessing
import socket
import tempfile
import time
from pathlib import Path

import matplotlib.pyplot as plt
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

WORLD_SIZE = 2
STEPS = 150

digits = load_digits()
x_all = torch.tensor(digits.data, dtype=torch.float32) / 16
y_all = torch.tensor(digits.target)
order = torch.randperm(len(x_all), generator=torch.Generator().manual_seed(0))
n_test = len(x_all) // 4
x_test, y_test = x_all[order[:n_test]], y_all[order[:n_test]]
x_train, y_train = x_all[order[n_test:]], y_all[order[n_test:]]
shards = [(x_train[r::WORLD_SIZE], y_train[r::WORLD_SIZE]) for r in range(WORLD_SIZE)]
for r in range(WORLD_SIZE):
    sampler = DistributedSampler(x_train, num_replicas=WORLD_SIZE, rank=r, shuffle=False)
    assert list(sampler) == list(range(len(x_train)))[r::WORLD_SIZE]
print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}")
print(f"per rank: {[len(x) for x, _ in shards]} images")

# %%
# One model, two ways to keep the output weight
# ---------------------------------------------
# ``hidden`` is an ``nn.Linear``, registered as a submodule. The output layer is
# ``F.linear(h, self.w, self.b)``: with ``register=False`` the two tensors are plain
# attributes, with ``register=True`` they are ``nn.Parameter`` objects. The optimizer is
# given the same four tensors either way, so the one difference is registration.


class DigitsNet(nn.Module):
    def __init__(self, register):
        super().__init__()
        self.hidden = nn.Linear(64, 32)
        w = torch.randn(10, 32) / 32**0.5
        b = torch.zeros(10)
        if register:
            self.w, self.b = nn.Parameter(w), nn.Parameter(b)
        else:
            self.w, self.b = w.requires_grad_(), b.requires_grad_()

    def forward(self, x):
        return F.linear(F.relu(self.hidden(x)), self.w, self.b)

    def tensors(self):
        return {
            "hidden.weight": self.hidden.weight,
            "hidden.bias": self.hidden.bias,
            "w": self.w,
            "b": self.b,
        }


for register in (False, True):
    names = [name for name, _ in DigitsNet(register).named_parameters()]
    print(f"register={register}: named_parameters() -> {names}")

# %%
# The training each rank runs
# ---------------------------
# Every rank builds the model from the same seed, wraps it in ``DistributedDataParallel``
# and takes full-batch SGD steps on its own shard. After each step it keeps a copy of
# its tensors, so that the parent can compare the ranks step by step. Rank ``r`` saves
# its history with ``torch.save`` for the parent to read. The ranks are forked from
# this process, which may already have started torch's OpenMP threads. A forked
# process does not get those threads, and its first parallel operation can wait for
# them forever (pytorch/pytorch#41197); so it first sets one thread, as the workers of
# ``DataLoader`` do.


def train(rank, port, folder):
    torch.set_num_threads(1)
    dist.init_process_group(
        "gloo",
        init_method=f"tcp://127.0.0.1:{port}",
        rank=rank,
        world_size=WORLD_SIZE,
        timeout=datetime.timedelta(seconds=30),
    )
    x, y = shards[rank]
    history = {}
    for register in (False, True):
        torch.manual_seed(0)
        model = DigitsNet(register)
        ddp = DistributedDataParallel(model)
        optimizer = torch.optim.SGD(model.tensors().values(), lr=0.5)
        steps = []
        for _ in range(STEPS):
            optimizer.zero_grad()
            F.cross_entropy(ddp(x), y).backward()
            optimizer.step()
            steps.append({k: t.detach().clone() for k, t in model.tensors().items()})
        history[register] = steps
    torch.save(history, Path(folder) / f"rank{rank}.pt")
    dist.destroy_process_group()


# %%
# Starting the ranks
# ------------------
# ``start_method="fork"`` copies this process, so ``train`` and the data need no
# pickling, and the script runs the same alone or inside Sphinx. The port is a free one
# that the system picks on ``127.0.0.1``. A time limit guards the wait, and no process
# outlives it.

with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]

start = time.perf_counter()
with tempfile.TemporaryDirectory() as folder:
    ranks = mp.start_processes(
        train, args=(port, folder), nprocs=WORLD_SIZE, start_method="fork", join=False
    )
    give_up = time.monotonic() + 120
    while not ranks.join(timeout=1.0):
        if time.monotonic() > give_up:
            for process in ranks.processes:
                process.kill()
                process.join()
            raise TimeoutError("the ranks did not finish in time")
    histories = [torch.load(Path(folder) / f"rank{r}.pt") for r in range(WORLD_SIZE)]
assert multiprocessing.active_children() == []
print(f"{WORLD_SIZE} ranks x {STEPS} steps x 2 models in {time.perf_counter() - start:.1f} s")

# %%
# What stayed in step, and what did not
# -------------------------------------
# The largest difference between rank 0 and rank 1, tensor by tensor, after the last
# step. DDP averaged the gradients of ``hidden`` in both models, so it is identical on
# both ranks. The plain ``w`` and ``b`` were updated with each rank's own gradient, so
# they differ; registered, they are identical too.


def gap(register, name, step):
    a, b = (history[register][step][name] for history in histories)
    return (a - b).abs().max().item()


last = STEPS - 1
for register in (False, True):
    gaps = {name: gap(register, name, last) for name in histories[0][register][last]}
    print(f"register={register}: " + ", ".join(f"{k} {v:.4f}" for k, v in gaps.items()))
    assert gaps["hidden.weight"] == 0.0 and gaps["hidden.bias"] == 0.0
    if register:
        assert gaps["w"] == 0.0 and gaps["b"] == 0.0
    else:
        assert gaps["w"] > 0.0 and gaps["b"] > 0.0

# %%
# Two classifiers instead of one
# ------------------------------
# Each rank's final model, rebuilt here from its tensors, classifies the held-out
# digits. With the plain weight, the two ranks disagree on some of them; registered,
# the two models are one.


def final_model(rank, register):
    model = DigitsNet(register)
    with torch.no_grad():
        for name, tensor in model.tensors().items():
            tensor.copy_(histories[rank][register][last][name])
    return model


predictions, accuracy = {}, {}
with torch.no_grad():
    for register in (False, True):
        for rank in range(WORLD_SIZE):
            predictions[register, rank] = final_model(rank, register)(x_test).argmax(dim=1)
            accuracy[register, rank] = (predictions[register, rank] == y_test).float().mean()
disagree = {r: int((predictions[r, 0] != predictions[r, 1]).sum()) for r in (False, True)}
for register in (False, True):
    scores = ", ".join(f"rank {k}: {accuracy[register, k]:.3f}" for k in range(WORLD_SIZE))
    print(f"register={register}: {scores}; predictions that differ: {disagree[register]}")
assert disagree[True] == 0 and disagree[False] > 0
assert accuracy[True, 0] == accuracy[True, 1]

# %%
# The figure
# ----------
# Left: the gap between the ranks' ``w`` after each step, and the same for
# ``hidden.weight``, which DDP keeps in step. The plain ``w`` ends with its largest gap,
# many times the gap after the first step; the two registered tensors stay at zero, and
# their lines lie on each other (markers tell them apart). Right: each rank's test
# accuracy.

steps = range(1, STEPS + 1)
labels = {False: "w.requires_grad_()", True: "nn.Parameter(w)"}
w_gaps = {r: [gap(r, "w", s) for s in range(STEPS)] for r in (False, True)}
hidden_gap = [gap(False, "hidden.weight", s) for s in range(STEPS)]
plain_gap = w_gaps[False]
assert plain_gap[-1] == max(plain_gap) and plain_gap[-1] > 10 * plain_gap[0]
assert max(w_gaps[True]) == 0.0 and max(hidden_gap) == 0.0

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
every = STEPS // 10
left.plot(steps, plain_gap, "-", label=f"w, {labels[False]}: last {plain_gap[-1]:.3f}")
left.plot(
    steps,
    w_gaps[True],
    "--o",
    markevery=(0, every),
    label=f"w, {labels[True]}: last {w_gaps[True][-1]:.3f}",
)
left.plot(
    steps,
    hidden_gap,
    ":x",
    markevery=(every // 2, every),
    label=f"hidden.weight, nn.Linear: last {hidden_gap[-1]:.3f}",
)
left.set_xlabel("optimizer.step()")
left.set_ylabel("max |rank 0 - rank 1|")
left.set_title(f"DistributedDataParallel, gloo, world_size={WORLD_SIZE}")
left.legend()

width = 0.35
for k in range(WORLD_SIZE):
    heights = [accuracy[register, k].item() for register in (False, True)]
    bars = right.bar([i + (k - 0.5) * width for i in range(2)], heights, width, label=f"rank {k}")
    right.bar_label(bars, fmt="%.3f")
right.set_xticks(range(2), [f"{labels[r]}\ndiffering: {disagree[r]}" for r in (False, True)])
right.set_ylim(min(a.item() for a in accuracy.values()) - 0.05, 1)
right.set_ylabel(f"accuracy on {n_test} test digits")
right.legend()
plt.show()
