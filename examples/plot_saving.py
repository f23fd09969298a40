"""
Save a state_dict, not the model
================================

A small model is saved twice into a temporary folder: its ``state_dict`` with
``torch.save(model.state_dict(), path)``, and the whole object with
``torch.save(model, path)``. The ``state_dict`` loads into a freshly built model, which
then gives identical outputs; ``torch.load`` refuses the whole model, because reading a
pickle can run any function the file names. A bar chart compares the two files' sizes.
"""

# %%
# Setup
# -----
# The model includes ``BatchNorm1d``, whose running statistics are buffers: saved with
# the parameters, though not learned. Files go into a temporary folder that is deleted at
# the end, and only their names are printed.

import contextlib
import io
import pickle
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)


def make_model():
    return nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))


model = make_model()
x = torch.randn(16, 4)
with torch.no_grad():
    model(x)  # training mode: updates BatchNorm's running statistics
model.eval()

folder = tempfile.TemporaryDirectory()
root = Path(folder.name)
print(f"state_dict keys: {list(model.state_dict())}")

# %%
# The round trip
# --------------
# Save the ``state_dict``, build a new model (with its own random weights), load the
# saved tensors into it. Every tensor and the output are then identical to the original's.

state_path = root / "model_state.pt"
torch.save(model.state_dict(), state_path)

torch.manual_seed(1)
fresh = make_model().eval()
print(f"before loading, outputs equal: {torch.equal(fresh(x), model(x))}")
assert not torch.equal(fresh(x), model(x))

result = fresh.load_state_dict(torch.load(state_path))
print(f"missing keys: {result.missing_keys}, unexpected keys: {result.unexpected_keys}")
torch.testing.assert_close(fresh(x), model(x), rtol=0, atol=0)
for name, tensor in model.state_dict().items():
    assert torch.equal(fresh.state_dict()[name], tensor), name
print(f"after loading {state_path.name}, outputs equal: {torch.equal(fresh(x), model(x))}")

# %%
# The whole model is refused
# --------------------------
# ``torch.save(model, path)`` pickles the object. torch 2.6 changed the default of
# ``torch.load`` to ``weights_only=True``, as its refusal message says. That reader
# rebuilds tensors, primitive types, plain containers and a few torch types (the
# documentation of ``torch.load`` lists them), and refuses the model's class.

whole_path = root / "model_whole.pt"
torch.save(model, whole_path)
try:
    torch.load(whole_path)
except pickle.UnpicklingError as error:
    refusal = str(error)
else:
    raise AssertionError("torch.load read a pickled model")
assert "Unsupported global: GLOBAL torch.nn.modules.container.Sequential" in refusal
assert "In PyTorch 2.6, we changed the default value of the `weights_only`" in refusal
reason = refusal.split("WeightsUnpickler error: ")[1].split(". ")[0]
print(f"torch.load({whole_path.name}) refused: {reason}")

# %%
# Why: unpickling calls functions
# -------------------------------
# A pickled object says how to rebuild it: "call this function with these arguments".
# Here the function is a harmless ``print``; plain ``pickle.loads`` calls it. Loading the
# same object with ``torch.load(..., weights_only=True)`` refuses instead.


class Payload:
    def __reduce__(self):
        return (print, ("printed while unpickling",))


captured = io.StringIO()
with contextlib.redirect_stdout(captured):
    pickle.loads(pickle.dumps(Payload()))
print(f"pickle.loads printed: {captured.getvalue().strip()!r}")
assert captured.getvalue() == "printed while unpickling\n"

payload_path = root / "payload.pt"
torch.save(Payload(), payload_path)
captured = io.StringIO()
with contextlib.redirect_stdout(captured):
    try:
        torch.load(payload_path, weights_only=True)
    except pickle.UnpicklingError as error:
        refused = type(error).__name__
    else:
        raise AssertionError("torch.load ran the payload")
print(f"torch.load({payload_path.name}, weights_only=True): {refused}")
print(f"torch.load printed: {captured.getvalue()!r}")
assert captured.getvalue() == ""

# %%
# File sizes
# ----------
# Besides the tensors, the whole model's file names the model's classes, which
# ``torch.serialization.get_unsafe_globals_in_checkpoint`` lists without loading it.

sizes = {
    "model.state_dict()": state_path.stat().st_size,
    "model": whole_path.stat().st_size,
}
for label, size in sizes.items():
    print(f"torch.save({label}): {size} bytes")
assert sizes["model"] > sizes["model.state_dict()"]
classes = sorted(torch.serialization.get_unsafe_globals_in_checkpoint(whole_path))
print(f"classes named in {whole_path.name}: {classes}")
assert "torch.nn.modules.container.Sequential" in classes
assert torch.serialization.get_unsafe_globals_in_checkpoint(state_path) == []
folder.cleanup()

fig, ax = plt.subplots(figsize=(5, 2.4), layout="constrained")
ax.barh([f"torch.save({label})" for label in sizes], list(sizes.values()))
ax.set_xlabel("Path.stat().st_size")
plt.show()
