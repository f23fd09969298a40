"""
The cost of global module hooks, one sample at a time
=====================================================

A wine classifier built as an ``nn.Sequential`` of ``nn.Linear`` and ``nn.ReLU`` layers
serves predictions one sample at a time, while a debugging hook registered with
``torch.nn.modules.module.register_module_forward_hook`` counts the Modules it sees. A
global hook runs once per Module call: for each layer, and for the ``nn.Sequential``
itself. The same network written as a function of its weights with
``torch.nn.functional`` makes no Module call and runs no hook. The figure shows the time
per prediction against the number of global hooks, measured when the script runs.
"""

# %%
# Data and model
# --------------
# scikit-learn's wine data, each feature standardised. The model has
# ``DEPTH`` hidden layers, trained for ``STEPS`` full-batch steps.

import collections

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_wine
from torch import nn
from torch.nn.modules.module import register_module_forward_hook
from torch.utils.benchmark import Timer

torch.manual_seed(0)
wine = load_wine()
features = torch.tensor(wine.data, dtype=torch.float32)
features = (features - features.mean(dim=0)) / features.std(dim=0)
target = torch.tensor(wine.target)

DEPTH = 4
WIDTH = 32
STEPS = 200
layers = [nn.Linear(features.shape[1], WIDTH), nn.ReLU()]
for _ in range(DEPTH - 1):
    layers += [nn.Linear(WIDTH, WIDTH), nn.ReLU()]
classifier = nn.Sequential(*layers, nn.Linear(WIDTH, 3))

optimizer = torch.optim.Adam(classifier.parameters(), lr=1e-2)
for _ in range(STEPS):
    optimizer.zero_grad()
    F.cross_entropy(classifier(features), target).backward()
    optimizer.step()
classifier.eval()
with torch.no_grad():
    accuracy = (classifier(features).argmax(dim=1) == target).float().mean().item()
print(f"{len(classifier)} layers, {STEPS} steps, training accuracy {accuracy:.3f}")

# %%
# The same network as a function
# ------------------------------
# The weights, detached, in the order of the layers; ``predict_f`` calls ``F.linear``
# and ``F.relu`` on them. It gives the Module's outputs bit for bit.

weights = [(m.weight.detach(), m.bias.detach()) for m in classifier if isinstance(m, nn.Linear)]


def predict_f(x: torch.Tensor) -> torch.Tensor:
    for w, b in weights[:-1]:
        x = F.relu(F.linear(x, w, b))
    return F.linear(x, *weights[-1])


with torch.no_grad():
    torch.testing.assert_close(predict_f(features), classifier(features), rtol=0, atol=0)

# %%
# A debugging hook
# ----------------
# The hook counts the Modules it sees, by type. One prediction calls the
# ``nn.Sequential`` and each of its layers: ``module_calls`` Module calls, and the hook
# runs once for each. The function makes no Module call, and the hook never runs.

seen = collections.Counter()


def count_modules(module, args, output):
    seen[type(module).__name__] += 1


module_calls = len(list(classifier.modules()))
sample = features[:1]
handle = register_module_forward_hook(count_modules)
with torch.no_grad():
    for i in range(10):
        classifier(features[i : i + 1])
    assert sum(seen.values()) == 10 * module_calls
    print(f"10 predictions, hook calls by type: {dict(seen)}")
    seen.clear()
    for i in range(10):
        predict_f(features[i : i + 1])
    assert sum(seen.values()) == 0
handle.remove()

# %%
# Time per prediction against the number of global hooks
# ------------------------------------------------------
# ``HOOKS`` lists the numbers of global hooks tried. Each round times every combination
# once, with the hooks registered for its turn and removed after it; the result for each
# is the best time over the rounds, the closest to the call's own cost on a busy machine.

HOOKS = [0, 1, 2, 4, 8, 16]
ROUNDS = 3
env = {"classifier": classifier, "predict_f": predict_f, "x": sample, "torch": torch}
statements = {
    "nn.Sequential": "with torch.no_grad(): classifier(x)",
    "predict_f (F.linear, F.relu)": "with torch.no_grad(): predict_f(x)",
}
best_us = {(style, k): float("inf") for style in statements for k in HOOKS}
for _ in range(ROUNDS):
    for k in HOOKS:
        handles = [register_module_forward_hook(count_modules) for _ in range(k)]
        try:
            for style, stmt in statements.items():
                timer = Timer(stmt, globals=env, num_threads=1)
                block = timer.blocked_autorange(min_run_time=0.03)
                number = max(1, block.number_per_run // 10)
                short = min(timer.timeit(number).median for _ in range(10)) * 1e6
                best_us[style, k] = min(best_us[style, k], short)
        finally:
            for h in handles:
                h.remove()
for k in HOOKS:
    row = ", ".join(f"{style} {best_us[style, k]:7.2f} µs" for style in statements)
    print(f"{k:2d} global hooks: {row}")

assert best_us["nn.Sequential", HOOKS[-1]] > best_us["nn.Sequential", 0]

# %%
# The figure
# ----------
# Each prediction of the ``nn.Sequential`` runs every global hook once per Module call.
# The function runs none (the count above was zero), so what differs between its points
# is noise. The numbers vary from run to run and machine to machine; the script asserts
# only that the largest number in ``HOOKS`` makes the ``nn.Sequential`` slower than
# none. The two end points of the ``nn.Sequential`` are labelled with their times.

fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
for style, marker in zip(statements, "os", strict=True):
    ax.plot(HOOKS, [best_us[style, k] for k in HOOKS], marker=marker, label=style)
ax.set_xlabel("global forward hooks (register_module_forward_hook)")
ax.set_ylabel("best time per prediction (µs)")
ax.set_title(
    f"x.shape = {tuple(sample.shape)}; nn.Sequential: {module_calls} Module calls per prediction"
)
for k in (HOOKS[0], HOOKS[-1]):
    y = best_us["nn.Sequential", k]
    ax.annotate(f"{y:.1f} µs", (k, y), textcoords="offset points", xytext=(-8, 8), ha="right")
ratio = best_us["nn.Sequential", HOOKS[-1]] / best_us["nn.Sequential", 0]
ax.text(0.02, 0.02, f"{HOOKS[-1]} hooks / none: {ratio:.2f}x", transform=ax.transAxes)
ax.set_ylim(bottom=0)
ax.legend()
plt.show()
