"""
Dropout under torch.compile and under torch.fx
==============================================

A digits classifier whose ``forward`` calls ``F.dropout(h, p, training=self.training)`` is
trained compiled, with a backend that counts the graphs it receives and needs no C
compiler. Every epoch alternates ``model.train()`` and ``model.eval()``: the model is
compiled twice in the first epoch, once for the training batches and once for evaluation
under ``torch.no_grad()`` on the test set, and never again. In evaluation the compiled
model predicts exactly what the eager model predicts. The same model traced with
``torch.fx.symbolic_trace`` in training mode keeps ``training=True`` in its graph, so after
``eval()`` it still drops units; the figure shows its test accuracy beside the others.
"""

# %%
# Data and model
# --------------
# scikit-learn's digits, 8×8 images: three quarters for training, rounded down to whole
# batches of 64, and the rest for testing. Full batches keep the training input's shape the same at
# every step, so that a change of shape does not cause a compilation.

import inspect

import matplotlib.pyplot as plt
import torch
import torch.fx
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn

torch.manual_seed(0)
digits = load_digits()
images = torch.tensor(digits.data, dtype=torch.float32) / 16
labels = torch.tensor(digits.target)
order = torch.randperm(len(images))
BATCH = 64
n_train = (len(images) * 3 // 4) // BATCH * BATCH
train_x, test_x = images[order[:n_train]], images[order[n_train:]]
train_y, test_y = labels[order[:n_train]], labels[order[n_train:]]
print(f"train: {tuple(train_x.shape)}, test: {tuple(test_x.shape)}")


class DigitsMLP(nn.Module):
    """Two linear layers, with functional dropout between them."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        self.p = p
        self.hidden = nn.Linear(64, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.relu(self.hidden(x))
        return self.out(F.dropout(h, self.p, training=self.training))


model = DigitsMLP()

# %%
# A backend that counts
# ---------------------
# ``torch.compile`` accepts a function as its backend. This one records the value of the
# ``training`` argument of ``F.dropout`` in each graph it receives, and runs the graph
# as it is.

received = []


def counting_backend(gm: torch.fx.GraphModule, example_inputs):
    for node in gm.graph.nodes:
        if node.target is F.dropout:
            bound = inspect.signature(F.dropout).bind(*node.args, **node.kwargs)
            received.append(bound.arguments["training"])
    return gm.forward


compiled = torch.compile(model, backend=counting_backend)

# %%
# The same model traced by torch.fx
# ---------------------------------
# Traced while the model is in training mode. The traced module holds the model's own
# parameters, so it follows the training below; its graph holds ``training=True``.

traced = torch.fx.symbolic_trace(model)
assert traced.hidden.weight is model.hidden.weight
(drop_node,) = [n for n in traced.graph.nodes if n.target is F.dropout]
assert drop_node.kwargs["training"] is True
print(f"traced graph: F.dropout(..., training={drop_node.kwargs['training']})")

# %%
# Training, compiled
# ------------------
# Each epoch trains on the training batches, then evaluates on the test images: the compiled
# model, the eager model, and the traced module after ``traced.eval()``, five times,
# because its dropout draws a new mask at every call. After the first epoch, the loop
# runs under ``torch.compiler.set_stance("fail_on_recompile")``: any further compilation
# would raise an error.


def accuracy(logits: torch.Tensor) -> float:
    return (logits.argmax(dim=1) == test_y).float().mean().item()


optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
EPOCHS = 12
DRAWS = 5
history = {"compiled": [], "eager": [], "traced": []}
for epoch in range(EPOCHS):
    stance = "default" if epoch == 0 else "fail_on_recompile"
    with torch.compiler.set_stance(stance):
        model.train()
        for start in range(0, n_train, BATCH):
            batch = slice(start, start + BATCH)
            optimizer.zero_grad()
            F.cross_entropy(compiled(train_x[batch]), train_y[batch]).backward()
            optimizer.step()
        model.eval()
        traced.eval()
        with torch.no_grad():
            compiled_logits = compiled(test_x)
            eager_logits = model(test_x)
            traced_logits = [traced(test_x) for _ in range(DRAWS)]
    torch.testing.assert_close(compiled_logits, eager_logits, rtol=0, atol=0)
    assert not torch.equal(traced_logits[0], traced_logits[1])
    history["compiled"].append(accuracy(compiled_logits))
    history["eager"].append(accuracy(eager_logits))
    history["traced"].append([accuracy(logits) for logits in traced_logits])
    if epoch == 0:
        first_epoch = list(received)

assert received == first_epoch == [True, False]
assert history["compiled"] == history["eager"]
print(f"graphs compiled, dropout's training: {received}")
print(f"final test accuracy, compiled and eager: {history['compiled'][-1]:.3f}")
final_traced = history["traced"][-1]
print(f"final test accuracy, traced after eval(): {min(final_traced):.3f}-{max(final_traced):.3f}")

# sphinx_gallery_start_ignore
# A model traced after eval() has training=False in its graph and matches the eager model.
model.eval()
retraced = torch.fx.symbolic_trace(model)
with torch.no_grad():
    torch.testing.assert_close(retraced(test_x), model(test_x), rtol=0, atol=0)
# sphinx_gallery_end_ignore

# %%
# Test accuracy, epoch by epoch
# -----------------------------
# The compiled and the eager model give the same accuracy at every epoch, one line on the
# other. The traced module, evaluated after ``eval()``, still drops each hidden unit with
# probability ``p``: its logits change from one call to the next (the loop checks it), and the band
# spans the accuracy of its ``DRAWS`` calls.

epochs = range(1, EPOCHS + 1)
low = [min(values) for values in history["traced"]]
high = [max(values) for values in history["traced"]]
fig, ax = plt.subplots(figsize=(6.4, 4), layout="constrained")
ax.plot(epochs, history["eager"], "o-", label="model.eval(); model(x)")
ax.plot(epochs, history["compiled"], "x--", label="torch.compile(model) after eval()")
ax.fill_between(
    epochs, low, high, alpha=0.3, color="C3", label=f"fx.symbolic_trace after eval(), {DRAWS} calls"
)
ax.set_xlabel("epoch")
ax.set_ylabel("test accuracy")
ax.set_title(
    f"F.dropout(p={model.p}, training=self.training): {len(received)} compilations in "
    f"{EPOCHS} epochs"
)
ax.legend()
plt.show()
