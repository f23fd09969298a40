"""
In-place operations
===================

``x.add_(1)`` and ``F.relu(x, inplace=True)`` write into the tensor they are given:
same storage, version counter plus one. The script plots ``x._version`` over a sequence
of operations, raises the errors autograd has for in-place changes (a leaf that requires
grad, or a view of one, refused at the call; a tensor saved for backward, found by
``backward()``) and runs the safe cases: an optimizer step under ``torch.no_grad()``,
and ``nn.ReLU(inplace=True)`` after ``nn.Linear``.
"""

# %%
# Setup
# -----
# The seed is fixed, so every run draws the same random numbers (:doc:`/reproducibility`
# shows what a seed does and does not fix).

import inspect
import re

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)

# %%
# Same storage, one more version
# ------------------------------
# An in-place call returns its input: the same ``data_ptr()``, and ``x._version``
# goes up by one. A view such as ``x[:2]`` shares the counter; reading ``x`` or
# computing a new tensor from it does not count.

x = torch.zeros(4)
ptr = x.data_ptr()
steps = [
    ("x = torch.zeros(4)", lambda: None, False),
    ("x.add_(1)", lambda: x.add_(1), True),
    ("x.mul_(2)", lambda: x.mul_(2), True),
    ("y = x + 1", lambda: x + 1, False),
    ("x[0] = 5", lambda: x.__setitem__(0, 5), True),
    ("x[:2].sub_(1)", lambda: x[:2].sub_(1), True),
    ("s = x.sum()", lambda: x.sum(), False),
    ("F.relu(x, inplace=True)", lambda: F.relu(x, inplace=True), True),
    ("y = F.relu(x)", lambda: F.relu(x), False),
    ("nn.ReLU(inplace=True)(x)", lambda: nn.ReLU(inplace=True)(x), True),
    ("x.zero_()", lambda: x.zero_(), True),
]
versions = []
for code, step, in_place in steps:
    before = x._version
    step()
    assert x._version == before + in_place
    assert x.data_ptr() == ptr
    versions.append(x._version)
    print(f"{code:<25} x._version = {x._version}")

# %%
# The version counter, step by step: red where the step was in place.

fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
positions = range(len(steps))
ax.step(positions, versions, where="post", color="gray")
colors = ["C3" if in_place else "C0" for _, _, in_place in steps]
ax.scatter(positions, versions, c=colors, zorder=3)
labels = [code for code, _, _ in steps]
ax.set_xticks(positions, labels, rotation=35, ha="right")
ax.set_ylabel("x._version")
ax.set_yticks(range(max(versions) + 1))
ax.grid(axis="y", alpha=0.3)
plt.show()

# %%
# Error: a leaf that requires grad
# --------------------------------
# A parameter is a leaf tensor. Changing it in place while autograd records would
# change the value gradients are taken with respect to, so torch refuses at once. The
# check is made at the call, not by the version counter: ``w._version`` stays 0. A
# view of the leaf, such as ``w[0]``, is refused in the same way.

w = torch.randn(3, requires_grad=True)
calls = {
    "w.add_(1)": (lambda: w.add_(1), "a leaf Variable that requires grad"),
    "w[0].add_(1)": (lambda: w[0].add_(1), "a view of a leaf Variable that requires grad"),
}
for code, (call, expected) in calls.items():
    try:
        call()
    except RuntimeError as error:
        assert str(error).startswith(expected)
        print(f"{code}: {error}")
    else:
        raise AssertionError("expected RuntimeError")
assert w._version == 0

# %%
# Error: a saved tensor changed before backward
# ---------------------------------------------
# ``torch.sigmoid`` saves its output ``y`` for the backward pass (its derivative is
# ``y * (1 - y)``), with ``y._version`` at that moment. ``y.mul_(2)`` moves the
# version on; ``backward()`` notices and names both versions.

x = torch.randn(3, requires_grad=True)
y = torch.sigmoid(x)
saved_version = y._version
y.mul_(2)
try:
    y.sum().backward()
except RuntimeError as error:
    message = str(error)
    assert "modified by an inplace operation" in message
    print(f"saved at version {saved_version}, now at version {y._version}")
    print(message.split(" Hint:")[0])
else:
    raise AssertionError("expected RuntimeError")

# sphinx_gallery_start_ignore
found = re.search(r"is at version (\d+); expected version (\d+)", message)
assert (int(found[1]), int(found[2])) == (y._version, saved_version)
# sphinx_gallery_end_ignore

# %%
# The same mistake in Module form: ``nn.ReLU(inplace=True)`` after ``nn.Sigmoid``
# overwrites the output ``nn.Sigmoid`` saved. The forward pass runs; ``backward()``
# raises.

model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.ReLU(inplace=True))
out = model(torch.randn(2, 3))
try:
    out.sum().backward()
except RuntimeError as error:
    assert "modified by an inplace operation" in str(error)
    print("nn.Sigmoid() then nn.ReLU(inplace=True): backward() raised")
else:
    raise AssertionError("expected RuntimeError")

# %%
# Safe: under torch.no_grad(), as optimizers do
# ---------------------------------------------
# With recording switched off, an in-place update of a leaf is allowed. A hand-written
# gradient step written as SGD's source writes it, ``param.add_(grad, alpha=-lr)``,
# equals ``torch.optim.SGD``'s bit for bit, and both keep the storage.

inputs, targets = torch.randn(8, 3), torch.randn(8)
lr = 0.1
w_hand = torch.randn(3, requires_grad=True)
w_sgd = w_hand.detach().clone().requires_grad_()
for w in (w_hand, w_sgd):
    ((inputs @ w - targets) ** 2).mean().backward()

ptr_hand, ptr_sgd = w_hand.data_ptr(), w_sgd.data_ptr()
with torch.no_grad():
    w_hand.add_(w_hand.grad, alpha=-lr)
torch.optim.SGD([w_sgd], lr=lr).step()

torch.testing.assert_close(w_hand, w_sgd, rtol=0, atol=0)
assert w_hand.data_ptr() == ptr_hand and w_sgd.data_ptr() == ptr_sgd
# sphinx_gallery_start_ignore
sgd_source = inspect.getsource(inspect.getmodule(torch.optim.SGD))
assert "param.add_(grad, alpha=-lr)" in sgd_source
# sphinx_gallery_end_ignore
print(f"by hand: {w_hand.detach().numpy().round(4)}")
print(f"SGD:     {w_sgd.detach().numpy().round(4)}")

# %%
# Safe: when nothing saved was changed
# ------------------------------------
# ``y = x * 2`` saves neither ``x`` nor ``y``, so ``y.add_(1)`` is harmless.
# ``nn.Linear`` saves its input, not its output, so ``nn.ReLU(inplace=True)`` after
# it gives the same gradients as ``nn.ReLU()``.

x = torch.randn(4, requires_grad=True)
y = x * 2
y.add_(1)
y.sum().backward()
assert torch.equal(x.grad, torch.full_like(x, 2.0))
print(f"y = x * 2; y.add_(1); backward(): x.grad = {x.grad.numpy()}")


def make(inplace):
    torch.manual_seed(0)
    relu = nn.ReLU(inplace=inplace)
    return nn.Sequential(nn.Linear(3, 5), relu, nn.Linear(5, 2))


batch = torch.randn(4, 3)
with_flag, without_flag = make(True), make(False)
with_flag(batch).sum().backward()
without_flag(batch).sum().backward()
pairs = zip(with_flag.parameters(), without_flag.parameters(), strict=True)
for a, b in pairs:
    torch.testing.assert_close(a.grad, b.grad, rtol=0, atol=0)
print("nn.Linear then nn.ReLU(inplace=True): same gradients as nn.ReLU()")
