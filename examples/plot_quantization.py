"""
Quantizing a digits classifier with a skip connection
=====================================================

A small classifier for scikit-learn's digits has a skip connection, ``F.relu(fc2(h) + h)``.
Eager-mode post-training quantization cannot convert it as written: the ``+`` has no
Module to observe, and after ``convert`` it meets quantized tensors. ``+`` carries no
output scale and zero point, so the CPU has no kernel for it on quantized tensors. The
same network with ``nn.ReLU`` and ``FloatFunctional`` converts, and so does the original,
unchanged, through FX graph mode, to the same quantized logits. The figure shows, for
every test image, how far the quantized logits move and how much room the float
prediction had.
"""

# %%
# Setup
# -----
# The digits are small greyscale images, their pixel values scaled here to [0, 1]. The
# first images train the model and calibrate the observers; the rest test it.
# ``torch.ao.quantization`` is deprecated in this torch (printed below), and its calls
# issue warnings: ``record`` collects them, and the script prints each kind once at the end.

import contextlib
import copy
import operator
import warnings

import matplotlib.pyplot as plt
import torch
import torch.ao.quantization as tq
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn
from torch.ao.nn.quantized import FloatFunctional, QFunctional
from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
digits = load_digits()
x = torch.tensor(digits.data, dtype=torch.float32) / 16
y = torch.tensor(digits.target)
assert x.min() == 0 and x.max() == 1
x_train, y_train, x_test, y_test = x[:1300], y[:1300], x[1300:], y[1300:]
print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}")
print(f"torch {torch.__version__}, engine: {torch.backends.quantized.engine}")

seen = {}


@contextlib.contextmanager
def record():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for w in caught:
        text = " ".join(str(w.message).split(" (Triggered")[0].splitlines()[0].split())
        key = (w.category.__name__, text)
        seen[key] = seen.get(key, 0) + 1


# %%
# The float model, written with function calls
# --------------------------------------------
# ``Net`` uses ``F.relu`` and ``+`` in its ``forward``. It is trained for a few epochs
# in mini-batches.


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 32)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        return self.out(F.relu(self.fc2(h) + h))


net = Net()
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
batches = DataLoader(TensorDataset(x_train, y_train), batch_size=100, shuffle=True)
start = F.cross_entropy(net(x_train), y_train).item()
for _ in range(12):
    for xb, yb in batches:
        optimizer.zero_grad()
        F.cross_entropy(net(xb), yb).backward()
        optimizer.step()
net.eval()
loss = F.cross_entropy(net(x_train), y_train)
assert loss.item() < start
with torch.no_grad():
    float_logits = net(x_test)
float_accuracy = (float_logits.argmax(1) == y_test).float().mean().item()
print(f"float: train loss {start:.4f} -> {loss.item():.4f}, test accuracy {float_accuracy:.3f}")

# %%
# Eager mode: the ``+`` is not a Module
# -------------------------------------
# ``QuantWrapper`` adds the ``QuantStub`` and ``DeQuantStub``. ``prepare`` attaches
# observers to the Modules it can quantize; ``F.relu`` and ``+`` get none. After
# calibration and ``convert``, the model stops at the ``+``.

qconfig = tq.get_default_qconfig("x86")
wrapped = tq.QuantWrapper(copy.deepcopy(net))
wrapped.qconfig = qconfig
with record():
    prepared = tq.prepare(wrapped)
    prepared(x_train)
    converted = tq.convert(prepared)
observed = [
    n
    for n, m in prepared.named_modules()
    if isinstance(getattr(m, "activation_post_process", None), tq.ObserverBase)
]
print(f"observed: {observed}")
assert observed == ["quant", "module.fc1", "module.fc2", "module.out"]

try:
    with record():
        converted(x_test)
except NotImplementedError as error:
    first = str(error).split(". ")[0]
    print(f"NotImplementedError: {first}.")
    assert first.startswith("Could not run 'aten::add.out'")
    assert "'QuantizedCPU' backend" in first
else:
    raise AssertionError("the converted model ran the + on quantized tensors")

# %%
# Eager mode with ``FloatFunctional`` and ``nn.ReLU``
# ---------------------------------------------------
# ``NetQ`` is ``Net`` with each step a Module: ``nn.ReLU`` after ``fc1``, so that
# ``fuse_modules`` can merge the two, and ``FloatFunctional.add_relu`` for the skip
# connection. With ``Net``'s weights it computes the same float logits, bit for bit.


class NetQ(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(32, 32)
        self.skip = FloatFunctional()
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        h = self.relu(self.fc1(x))
        return self.out(self.skip.add_relu(self.fc2(h), h))


net_q = NetQ().eval()
net_q.load_state_dict(net.state_dict())
with torch.no_grad():
    torch.testing.assert_close(net_q(x_test), float_logits, rtol=0, atol=0)

wrapped_q = tq.QuantWrapper(copy.deepcopy(net_q))
wrapped_q.qconfig = qconfig
fused = tq.fuse_modules(wrapped_q, [["module.fc1", "module.relu"]])
with record():
    prepared_q = tq.prepare(fused)
    prepared_q(x_train)
    eager = tq.convert(prepared_q)
    eager_logits = eager(x_test)
print(eager.module)
assert type(eager.module.skip) is QFunctional
assert type(eager.module.fc1) is torch.ao.nn.intrinsic.quantized.LinearReLU

# %%
# FX graph mode: the original ``Net``, unchanged
# ----------------------------------------------
# ``prepare_fx`` traces ``forward``, so it sees ``+`` and ``F.relu`` as nodes of the
# graph; ``convert_fx`` turns the pair into one quantized ``add_relu``.

with record():
    prepared_fx = prepare_fx(
        copy.deepcopy(net),
        tq.get_default_qconfig_mapping("x86"),
        example_inputs=(x_train,),
    )
    prepared_fx(x_train)
    fx = convert_fx(prepared_fx)
    fx_logits = fx(x_test)
targets = [n.target for n in fx.graph.nodes if n.op == "call_function"]
print(f"FX calls: {[getattr(t, '__name__', str(t)) for t in targets]}")
assert torch.ops.quantized.add_relu in targets and operator.add not in targets

# %%
# The two routes give the same model
# ----------------------------------
# Without a ``torch.cat``, whose inputs FX would put on one shared grid, the two routes
# choose the same scales and give the same quantized logits, bit for bit.

for name in ("fc1", "fc2", "out"):
    eager_layer, fx_layer = getattr(eager.module, name), getattr(fx, name)
    assert (eager_layer.scale, eager_layer.zero_point) == (
        fx_layer.scale,
        fx_layer.zero_point,
    )
add_relu_node = next(n for n in fx.graph.nodes if n.target is torch.ops.quantized.add_relu)
_, _, scale_node, zero_point_node = add_relu_node.args
fx_skip = (
    getattr(fx, scale_node.target).item(),
    getattr(fx, zero_point_node.target).item(),
)
assert (eager.module.skip.scale, eager.module.skip.zero_point) == fx_skip
torch.testing.assert_close(fx_logits, eager_logits, rtol=0, atol=0)
print("FX logits == eager logits")

# %%
# How much room each prediction had
# ---------------------------------
# For one image, let ``moved`` be the largest change of any of its logits. If the float
# model's top logit leads the runner-up by more than ``2 * moved``, the quantized model
# predicts the same class for that image. The script checks this image by image, checks
# that some images clear even twice the largest change of all, and counts how many images
# with a narrower margin changed their class.

top2 = float_logits.topk(2, dim=1).values
margin = top2[:, 0] - top2[:, 1]
moved = (eager_logits - float_logits).abs().max(dim=1).values
same = eager_logits.argmax(1) == float_logits.argmax(1)
assert same[margin > 2 * moved].all()
assert (margin > 2 * moved.max()).any()
assert (margin[~same] <= 2 * moved[~same]).all()
accuracy = (eager_logits.argmax(1) == y_test).float().mean().item()
print(f"quantized: test accuracy {accuracy:.3f}, largest logit change {moved.max():.4f}")
print(f"same class as float: {int(same.sum())}/{len(same)}")

print("warnings recorded:")
for (category, text), count in seen.items():
    print(f"  {count} x {category}: {text}")
assert {category for category, _ in seen} <= {"DeprecationWarning", "UserWarning"}

# %%
# The figure
# ----------
# Each point is a test image: the float model's margin against the largest change of
# its quantized logits, both on log scales. Below the line ``moved = margin / 2`` the
# class cannot change; the images that did change (circled) lie above it.

fig, ax = plt.subplots(figsize=(6.5, 4.2), layout="constrained")
ax.scatter(margin[same], moved[same], s=10, alpha=0.6, label="argmax unchanged")
ax.scatter(
    margin[~same],
    moved[~same],
    s=50,
    facecolors="none",
    edgecolors="red",
    label=f"argmax changed: {int((~same).sum())}",
)
line = torch.logspace(margin.min().log10().item(), margin.max().log10().item(), 2)
ax.plot(line, line / 2, color="gray", linewidth=0.8, label="moved = margin / 2")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("float logits: top1 - top2 (margin)")
ax.set_ylabel("max |quantized - float| logit (moved)")
ax.set_title(
    f"{len(margin)} test digits: float acc {float_accuracy:.3f}, "
    f"quantized acc {accuracy:.3f} (eager == FX)"
)
ax.legend()
plt.show()
