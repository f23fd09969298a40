"""
The cost of a Module call
=========================

``nn.ReLU()(x)``, ``F.relu(x)`` and ``torch.relu(x)`` timed with
``torch.utils.benchmark.Timer`` on tensors from one element to over a million. The three
give the same result; the Module adds a cost per call that shows on a tiny tensor and
fades into the kernel's own time as the tensor grows.
"""

# %%
# Setup
# -----
# A fixed seed, one ReLU Module, and inputs whose number of elements grows by a factor of
# 16 from one size to the next. The three calls give the same tensor at every size.

import inspect
import os
import platform

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.benchmark import Timer

torch.manual_seed(0)
print(f"torch {torch.__version__}, {platform.machine()}, {os.cpu_count()} CPU cores")

relu = nn.ReLU()
sizes = [16**k for k in range(6)]
inputs = {n: torch.randn(n) for n in sizes}
for x in inputs.values():
    torch.testing.assert_close(relu(x), F.relu(x), rtol=0, atol=0)
    torch.testing.assert_close(torch.relu(x), F.relu(x), rtol=0, atol=0)

# %%
# Timing
# ------
# ``blocked_autorange`` chooses ``number_per_run``, the calls in a block: it multiplies it
# by ten until one block takes at least a thousandth of ``min_run_time`` and the timer's
# own cost is at most a ten-thousandth of that block, or until a block takes longer than
# ``min_run_time``. Each call is then timed in short runs of a tenth of a block's calls,
# ten per round, in three rounds on one thread (the Timer's default), the calls taking
# turns within a round. The fastest short run is kept: other work on a busy machine can
# make a run slower, never faster.

calls = {"nn.ReLU()(x)": "relu(x)", "F.relu(x)": "F.relu(x)", "torch.relu(x)": "torch.relu(x)"}
times = {label: [] for label in calls}
measurements = []
for n, x in inputs.items():
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(3):
        for label, statement in calls.items():
            timer = Timer(statement, globals={"relu": relu, "F": F, "torch": torch, "x": x})
            blocks = timer.blocked_autorange(min_run_time=0.02)
            measurements.append(blocks)
            number = max(1, blocks.number_per_run // 10)
            short = min(timer.timeit(number).median for _ in range(10))
            best[label] = min(best[label], short * 1e6)
    for label in calls:
        times[label].append(best[label])
    row = "  ".join(f"{label} {best[label]:8.2f} µs" for label in calls)
    print(f"x.numel() = {n:>8}: {row}")

extra = [m - f for m, f in zip(times["nn.ReLU()(x)"], times["F.relu(x)"], strict=True)]
ratio = [m / f for m, f in zip(times["nn.ReLU()(x)"], times["F.relu(x)"], strict=True)]
print(f"nn.ReLU()(x) - F.relu(x) at x.numel() = 1: {extra[0]:+.2f} µs")
print(f"nn.ReLU()(x) / F.relu(x) at x.numel() = {sizes[-1]}: {ratio[-1]:.2f}")

# sphinx_gallery_start_ignore
block_size = inspect.getsource(Timer._estimate_block_size)
assert "relative_overhead <= 1e-4 and time_taken >= min_run_time / 1000" in block_size
assert "if time_taken > min_run_time:" in block_size and "number *= 10" in block_size
assert inspect.signature(Timer).parameters["num_threads"].default == 1
assert sizes[0] == 1 and sizes[-1] > 10**6
for blocks in measurements:
    assert blocks.number_per_run == 10 ** (len(str(blocks.number_per_run)) - 1)
    assert blocks.num_threads == 1
    assert sum(blocks.raw_times) >= 0.02 > sum(blocks.raw_times[:-1])
# Loose on purpose: a shared build machine is noisy.
assert 0 < extra[0] < 50
assert 0.5 < ratio[-1] < 2
assert ratio[-1] < ratio[0]
# sphinx_gallery_end_ignore

# %%
# Time per call, and the Module's share
# -------------------------------------
# Left, the time per call against the number of elements, both axes logarithmic. Right,
# the Module's time divided by the function's, with a line at 1. The further right, the
# more the kernel's own work outweighs the Module's cost per call.

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.4), layout="constrained")
for label in calls:
    left.plot(sizes, times[label], marker="o", label=label)
left.set_xscale("log")
left.set_yscale("log")
left.set_xlabel("x.numel()")
left.set_ylabel("best (µs)")
left.legend()
right.plot(sizes, ratio, marker="o", color="tab:blue")
right.axhline(1, color="gray", linewidth=1)
right.set_xscale("log")
right.set_xlabel("x.numel()")
right.set_ylabel("nn.ReLU()(x) / F.relu(x)")
plt.show()
