"""
Finding a module's function in its source
=========================================

Which function of ``torch.nn.functional`` does a ``torch.nn`` module call? The source of
its ``forward`` says so: this example reads it with ``inspect.getsource``, looks for
calls written ``F.<name>(``, checks a few pairs it finds, and counts how many calls it
finds in every module class of the installed torch. It also shows where reading the
source stops being enough.
"""

# %%
# Reading one forward
# -------------------
# The ``forward`` of ``nn.ReLU`` returns one call. A regular expression picks out the
# public names that follow ``F.`` and precede an opening parenthesis.

import inspect
import re
import textwrap

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

CALL = re.compile(r"\bF\.([a-z]\w*)\(")

source = textwrap.dedent(inspect.getsource(nn.ReLU.forward))
print(source)
print(CALL.findall(source))
assert CALL.findall(source) == ["relu"]


# %%
# Following a helper method
# -------------------------
# ``nn.Conv2d.forward`` does not call ``F.conv2d`` itself: it calls
# ``self._conv_forward``, which does. So the search also reads every method of the class
# that ``forward`` calls as ``self.<method>(``, one level deep.

HELPER = re.compile(r"\bself\.(_?\w+)\(")


def forward_calls(cls: type[nn.Module]) -> list[str]:
    """The ``F.<name>`` calls in ``cls.forward`` and in the methods it calls on ``self``."""
    if cls.forward is nn.Module.forward:
        return []
    source = inspect.getsource(cls.forward)
    for name in HELPER.findall(source):
        method = getattr(cls, name, None)
        if inspect.isfunction(method) and name != "forward":
            source += inspect.getsource(method)
    return sorted(set(CALL.findall(source)))


print("nn.Conv2d.forward:", CALL.findall(inspect.getsource(nn.Conv2d.forward)))
print("with its helpers: ", forward_calls(nn.Conv2d))
assert CALL.findall(inspect.getsource(nn.Conv2d.forward)) == []
assert "self._conv_forward(" in inspect.getsource(nn.Conv2d.forward)
assert forward_calls(nn.Conv2d) == ["conv2d", "pad"]

# %%
# A few modules and what their source calls
# -----------------------------------------
# Every name found is a function of ``torch.nn.functional``. ``nn.Conv2d`` also calls
# ``F.pad``, for the padding modes other than ``"zeros"``; ``nn.Sigmoid`` calls
# ``torch.sigmoid``, which the pattern does not match, and ``nn.LSTM`` calls a private
# kernel: reading the source finds a candidate, not a proof.

modules = [
    nn.ReLU,
    nn.Linear,
    nn.Conv2d,
    nn.Dropout,
    nn.BatchNorm2d,
    nn.LayerNorm,
    nn.MaxPool2d,
    nn.Embedding,
    nn.CrossEntropyLoss,
    nn.Sigmoid,
    nn.LSTM,
]
found = {cls.__name__: forward_calls(cls) for cls in modules}
for name, calls in found.items():
    print(f"nn.{name:<17} -> {', '.join('F.' + c for c in calls) or '-'}")

expected = {
    "ReLU": ["relu"],
    "Linear": ["linear"],
    "Dropout": ["dropout"],
    "BatchNorm2d": ["batch_norm"],
    "LayerNorm": ["layer_norm"],
    "MaxPool2d": ["max_pool2d"],
    "Embedding": ["embedding"],
    "CrossEntropyLoss": ["cross_entropy"],
    "Sigmoid": [],
    "LSTM": [],
}
for name, calls in expected.items():
    assert found[name] == calls, (name, found[name])
assert all(callable(getattr(F, c)) for calls in found.values() for c in calls)
assert "torch.sigmoid(" in inspect.getsource(nn.Sigmoid.forward)
conv_forward = inspect.getsource(nn.Conv2d._conv_forward)
padded = r'if self\.padding_mode != "zeros":\s+return F\.conv2d\(\s+F\.pad\('
assert re.search(padded, conv_forward)
assert "_VF." in inspect.getsource(nn.LSTM.forward)

# %%
# A found pair computes the same
# ------------------------------
# For ``nn.Linear`` the call found is ``F.linear``; given the module's weight and bias it
# returns exactly what the module returns.

torch.manual_seed(0)
linear = nn.Linear(4, 3)
x = torch.randn(2, 4)
torch.testing.assert_close(F.linear(x, linear.weight, linear.bias), linear(x), rtol=0, atol=0)
print("nn.Linear(x) == F.linear(x, weight, bias): True")

# %%
# Every module class of torch.nn
# ------------------------------
# The same search over every public subclass of ``nn.Module`` in ``torch.nn``: most
# modules call exactly one function of ``torch.nn.functional``. Among those that call
# none are base classes such as ``nn.Module`` itself, containers, recurrent layers,
# compositions of other modules, and modules that compute with ``torch`` functions or
# tensor methods directly; ``nn.Conv1d``, ``nn.Conv2d``, ``nn.Conv3d`` and their lazy
# versions call two, ``F.pad`` being the other.

classes = sorted(
    (obj for name, obj in vars(nn).items() if not name.startswith("_")),
    key=lambda obj: getattr(obj, "__name__", ""),
)
classes = [c for c in classes if isinstance(c, type) and issubclass(c, nn.Module)]
per_class = {c.__name__: len(forward_calls(c)) for c in classes}
bins = {"0": 0, "1": 0, "≥2": 0}
for n in per_class.values():
    bins["0" if n == 0 else "1" if n == 1 else "≥2"] += 1
print(f"{len(classes)} classes:", bins)
assert sum(bins.values()) == len(classes)
assert bins["1"] > bins["0"] + bins["≥2"]
zero = sorted(name for name, n in per_class.items() if n == 0)
print("0:", zero)
base_classes = {"Module", "RNNBase"}
containers = {"Sequential", "ModuleList"}
recurrent = {"LSTM", "GRU"}
compositions = {"TransformerEncoderLayer"}
direct = {"Sigmoid", "Flatten"}
assert base_classes | containers | recurrent | compositions | direct < set(zero)
assert issubclass(nn.LSTM, nn.RNNBase)
assert ".flatten(" in inspect.getsource(nn.Flatten.forward)
several = sorted(name for name, n in per_class.items() if n >= 2)
print("≥2:", several)
assert several == sorted(f"{lazy}Conv{n}d" for lazy in ("", "Lazy") for n in (1, 2, 3))
assert all("pad" in forward_calls(getattr(nn, name)) for name in several)

fig, ax = plt.subplots(figsize=(5, 3))
bars = ax.bar(list(bins), list(bins.values()), color=["#999999", "#4c72b0", "#dd8452"])
ax.bar_label(bars)
ax.set_ylim(top=1.15 * max(bins.values()))
ax.set_xlabel("len(forward_calls(cls))")
ax.set_ylabel("len(classes)")
ax.set_title(f"torch {torch.__version__.split('+')[0]}")
fig.tight_layout()
plt.show()
