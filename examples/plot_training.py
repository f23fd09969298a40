"""
One training run, both ways
===========================

A small MLP written twice, as an ``nn.Module`` and as a function of a dict of parameters,
trained on scikit-learn's bundled handwritten digits from the same starting weights, with
the same batches, the same dropout masks and the same optimizer. Every loss, every final
weight and the test accuracy come out equal, bit for bit; the figure draws both loss
curves on top of each other.
"""

# %%
# Setup
# -----
# The model comes first, in both forms. The Module keeps its layers and the dropout
# probability; the function takes the parameters, the probability and the training flag
# as arguments and calls the same functions of ``torch.nn.functional``.

import inspect

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn


class MLP(nn.Module):
    def __init__(self, in_features, hidden_features, out_features, p=0.5):
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(p)
        self.fc2 = nn.Linear(hidden_features, out_features)

    def forward(self, x):
        return self.fc2(self.dropout(self.relu(self.fc1(x))))


def mlp_functional(params, x, training, p=0.5):
    hidden = F.relu(F.linear(x, params["fc1.weight"], params["fc1.bias"]))
    hidden = F.dropout(hidden, p=p, training=training)
    return F.linear(hidden, params["fc2.weight"], params["fc2.bias"])


# sphinx_gallery_start_ignore
for layer, call in ((nn.Linear, "F.linear("), (nn.ReLU, "F.relu("), (nn.Dropout, "F.dropout(")):
    assert call in inspect.getsource(layer.forward), layer
# sphinx_gallery_end_ignore

EPOCHS, BATCH, LR, MOMENTUM, P = 5, 64, 0.1, 0.9, 0.2
ORDER_SEED, DROPOUT_SEED = 1, 2

# %%
# The digits
# ----------
# 8×8 images that ship with scikit-learn, as rows of 64 values in ``[0, 1]``. A seeded
# generator holds out a fifth of them for testing.

digits = load_digits()
images = torch.tensor(digits.data, dtype=torch.float32) / 16
labels = torch.tensor(digits.target)
order = torch.randperm(len(images), generator=torch.Generator().manual_seed(0))
n_test = len(images) // 5
test_x, test_y = images[order[:n_test]], labels[order[:n_test]]
train_x, train_y = images[order[n_test:]], labels[order[n_test:]]
print(f"train: {tuple(train_x.shape)}  test: {tuple(test_x.shape)}")

# sphinx_gallery_start_ignore
assert digits.images.shape[1:] == (8, 8) and images.shape[1] == 64
assert images.min() >= 0 and images.max() <= 1
# sphinx_gallery_end_ignore


def batches():
    generator = torch.Generator().manual_seed(ORDER_SEED)
    for _ in range(EPOCHS):
        for index in torch.randperm(len(train_x), generator=generator).split(BATCH):
            yield train_x[index], train_y[index]


# %%
# Same starting weights
# ---------------------
# The Module is built from seed 0. The functional version's parameters are copies of its
# weights, under the same names, that require gradients of their own.

torch.manual_seed(0)
model = MLP(64, 64, 10, p=P)
initial = {name: t.detach().clone() for name, t in model.named_parameters()}
params = {name: t.clone().requires_grad_() for name, t in initial.items()}
print(list(params))

# %%
# Two training loops
# ------------------
# The Module gives its optimizer ``model.parameters()`` and is switched on with
# ``model.train()``; the function's optimizer gets ``params.values()`` and every call
# says ``training=True`` and ``p=P``. Each run seeds the global generator, which draws
# the dropout masks, before its first step; the batch order has a generator of its own.

torch.manual_seed(DROPOUT_SEED)
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
loss_fn = nn.CrossEntropyLoss()
model.train()
module_losses = []
for x, y in batches():
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    module_losses.append(loss.item())

torch.manual_seed(DROPOUT_SEED)
optimizer = torch.optim.SGD(params.values(), lr=LR, momentum=MOMENTUM)
functional_losses = []
for x, y in batches():
    loss = F.cross_entropy(mlp_functional(params, x, training=True, p=P), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    functional_losses.append(loss.item())

print(f"steps: {len(module_losses)}")
print(f"nn.Module:  first {module_losses[0]:.4f}  last {module_losses[-1]:.4f}")
print(f"functional: first {functional_losses[0]:.4f}  last {functional_losses[-1]:.4f}")

# %%
# Equal, not close
# ----------------
# The losses are compared with ``==`` and the trained weights with ``rtol=0, atol=0``.

assert functional_losses == module_losses
for name, weight in model.named_parameters():
    torch.testing.assert_close(params[name], weight, rtol=0, atol=0)
print(functional_losses == module_losses)

# sphinx_gallery_start_ignore
assert all(not torch.equal(params[name], initial[name]) for name in params)
assert sum(module_losses[-EPOCHS:]) < sum(module_losses[:EPOCHS])
# sphinx_gallery_end_ignore

# %%
# The two curves lie on top of each other.

fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
steps = range(1, len(module_losses) + 1)
ax.plot(steps, module_losses, linewidth=5, alpha=0.4, label="MLP")
ax.plot(steps, functional_losses, "k--", linewidth=1.2, label="mlp_functional")
ax.set_xlabel("optimizer.step()")
ax.set_ylabel("loss.item()")
ax.legend()
plt.show()

# %%
# Test accuracy
# -------------
# ``model.eval()`` switches the Module's dropout off; the function is told
# ``training=False``. The logits are identical, and so is the accuracy.

model.eval()
with torch.no_grad():
    module_logits = model(test_x)
    functional_logits = mlp_functional(params, test_x, training=False, p=P)
torch.testing.assert_close(functional_logits, module_logits, rtol=0, atol=0)
module_accuracy = (module_logits.argmax(dim=1) == test_y).float().mean().item()
functional_accuracy = (functional_logits.argmax(dim=1) == test_y).float().mean().item()
assert module_accuracy == functional_accuracy
assert module_accuracy > 0.9
print(f"nn.Module:  test accuracy {module_accuracy:.4f}")
print(f"functional: test accuracy {functional_accuracy:.4f}")
