"""
Two APIs, one computation
=========================

The ``forward`` of most ``torch.nn`` layers calls a ``torch.nn.functional`` (or ``torch``)
function. The script reads that call in the installed torch's source, shows that the
functions are plain functions or builtins (``F.conv2d`` is ``torch.conv2d`` itself), and runs
``BatchNorm1d`` both ways: as a Module, and as ``F.batch_norm`` with the Module's state
passed in by hand. The figure follows a running mean updated both ways, batch by batch.
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
print(f"torch {torch.__version__}")

# %%
# The class calls the function
# ----------------------------
# ``inspect.getsource`` reads the installed torch. ``nn.ReLU.forward`` calls
# ``F.relu``; ``nn.Conv2d.forward`` calls ``_conv_forward``, which calls ``F.conv2d``.

relu_forward = inspect.getsource(nn.ReLU.forward)
assert "F.relu(input, inplace=self.inplace)" in relu_forward
print(relu_forward)

conv_forward = inspect.getsource(nn.Conv2d.forward)
assert "self._conv_forward(" in conv_forward
conv_helper = inspect.getsource(nn.Conv2d._conv_forward)
assert "F.conv2d(" in conv_helper
print(conv_forward)
print(conv_helper)

# %%
# The functions are not Modules
# -----------------------------
# Some are Python functions, some are builtins of torch's C++ core. None is a Module,
# and ``F.conv2d`` is the very object ``torch.conv2d``.

for name, function in [("F.relu", F.relu), ("F.conv2d", F.conv2d), ("F.linear", F.linear)]:
    assert callable(function)
    assert not isinstance(function, nn.Module)
    print(f"{name:<9} {type(function).__name__}")

assert inspect.isfunction(F.relu)
assert inspect.isbuiltin(F.conv2d) and inspect.isbuiltin(F.linear)
assert F.conv2d is torch.conv2d
print(f"F.conv2d is torch.conv2d: {F.conv2d is torch.conv2d}")

# %%
# A stateful layer both ways
# --------------------------
# ``nn.BatchNorm1d`` keeps two parameters, three buffers, ``eps``, ``momentum`` and
# ``training``. In evaluation mode ``F.batch_norm`` gives the same output once it is
# handed the running statistics, the parameters, ``eps`` and ``training=False``.

bn = nn.BatchNorm1d(4)
assert [name for name, _ in bn.named_parameters()] == ["weight", "bias"]
assert [name for name, _ in bn.named_buffers()] == [
    "running_mean",
    "running_var",
    "num_batches_tracked",
]
assert (bn.eps, bn.momentum, bn.training) == (1e-5, 0.1, True)
for _ in range(3):
    bn(torch.randn(8, 4) * 2 + 1)
bn.eval()

x = torch.randn(8, 4)
out_module = bn(x)
out_function = F.batch_norm(
    x, bn.running_mean, bn.running_var, bn.weight, bn.bias, training=False, eps=bn.eps
)
torch.testing.assert_close(out_module, out_function, rtol=0, atol=0)
difference = (out_module - out_function).abs().max().item()
print(f"BatchNorm1d, eval: largest difference {difference:.1f}")

# %%
# Training mode: the function updates the tensors you pass
# --------------------------------------------------------
# With ``training=True``, ``F.batch_norm`` updates ``running_mean`` and ``running_var``
# in place, as the Module updates its buffers. The same batches go both ways, from the
# same starting state.

bn = nn.BatchNorm1d(4)
running_mean = torch.zeros(4)
running_var = torch.ones(4)
trace_module, trace_function = [], []
n_batches = 20
for _ in range(n_batches):
    batch = torch.randn(16, 4) + 3
    out_module = bn(batch)
    out_function = F.batch_norm(
        batch,
        running_mean,
        running_var,
        bn.weight,
        bn.bias,
        training=True,
        momentum=bn.momentum,
        eps=bn.eps,
    )
    torch.testing.assert_close(out_module, out_function, rtol=0, atol=0)
    trace_module.append(bn.running_mean[0].item())
    trace_function.append(running_mean[0].item())

torch.testing.assert_close(running_mean, bn.running_mean, rtol=0, atol=0)
torch.testing.assert_close(running_var, bn.running_var, rtol=0, atol=0)
assert trace_module == trace_function
print(f"after {n_batches} batches: running_mean[0] {trace_module[-1]:.4f} (Module)")
print(f"after {n_batches} batches: running_mean[0] {trace_function[-1]:.4f} (function)")
assert bn.num_batches_tracked.item() == n_batches
print(f"num_batches_tracked (Module only): {bn.num_batches_tracked.item()}")

# %%
# The running mean, updated both ways
# -----------------------------------
# The two traces lie on top of each other.

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
steps = range(1, len(trace_module) + 1)
ax.plot(steps, trace_module, linewidth=4, alpha=0.4, label="nn.BatchNorm1d: running_mean[0]")
ax.plot(steps, trace_function, "k--", linewidth=1.5, label="F.batch_norm: running_mean[0]")
ax.set_xlabel("num_batches_tracked")
ax.set_ylabel("running_mean[0]")
ax.legend()
plt.show()
