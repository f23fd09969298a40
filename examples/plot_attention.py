"""
Reading digits row by row with self-attention
=============================================

Each of scikit-learn's digit images becomes a sequence of its rows, and a small
classifier reads it with one ``nn.MultiheadAttention`` layer. After training, the same
weights run three ways in evaluation mode: through the Module's fast path, through
``F.multi_head_attention_forward``, and through an attention Module written by hand
around ``F.scaled_dot_product_attention``. The figure shows how far apart their logits
are, image by image, and what the choice of ``sdpa_kernel`` backend adds.
"""

# %%
# Setup
# -----
# Every image is a grid of pixels; its rows become the tokens of a sequence, each row's
# pixels the features of its token. The first images train the model; the rest test it.

from contextlib import nullcontext
from unittest import mock

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from torch import nn
from torch.nn.attention import SDPBackend, sdpa_kernel

torch.manual_seed(0)
digits = load_digits()
images = torch.tensor(digits.images, dtype=torch.float32) / 16
labels = torch.tensor(digits.target)
assert images.min() == 0 and images.max() == 1
split = len(images) * 3 // 4
x_train, y_train = images[:split], labels[:split]
x_test, y_test = images[split:], labels[split:]
print(f"train {tuple(x_train.shape)}, test {tuple(x_test.shape)}  (images, rows, pixels)")

# %%
# The classifier
# --------------
# A linear embedding of each row, a learned position for each row, one self-attention
# layer with a residual connection, the mean over the rows, and a linear read-out.


class RowReader(nn.Module):
    def __init__(self, rows, pixels, width=32, heads=4, classes=10):
        super().__init__()
        self.embed = nn.Linear(pixels, width)
        self.position = nn.Parameter(torch.zeros(rows, width))
        self.attention = nn.MultiheadAttention(width, heads, batch_first=True)
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        tokens = self.embed(x) + self.position
        mixed, _ = self.attention(tokens, tokens, tokens, need_weights=False)
        return self.head((tokens + mixed).mean(dim=1))


model = RowReader(rows=images.shape[1], pixels=images.shape[2])
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
batches = torch.randperm(split).split(128)
initial = F.cross_entropy(model(x_train), y_train).item()
for _ in range(40):
    for batch in batches:
        optimizer.zero_grad()
        F.cross_entropy(model(x_train[batch]), y_train[batch]).backward()
        optimizer.step()
model.eval()
with torch.no_grad():
    final = F.cross_entropy(model(x_train), y_train).item()
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
assert final < initial
print(f"train loss {initial:.3f} -> {final:.3f}, test accuracy {accuracy:.3f}")

# %%
# Which function ran
# ------------------
# ``forward_path`` wraps the two functions that ``nn.MultiheadAttention.forward`` can
# call, ``torch._native_multi_head_attention`` (its fast path) and
# ``F.multi_head_attention_forward``, so that each still runs and is counted. In
# evaluation mode under ``torch.no_grad()`` the model takes the fast path; with
# ``torch.backends.mha.set_fastpath_enabled(False)`` it calls the function.


def forward_path(fast_path_enabled):
    torch.backends.mha.set_fastpath_enabled(fast_path_enabled)
    try:
        with (
            mock.patch.object(
                torch, "_native_multi_head_attention", wraps=torch._native_multi_head_attention
            ) as fast,
            mock.patch.object(
                F, "multi_head_attention_forward", wraps=F.multi_head_attention_forward
            ) as function,
            torch.no_grad(),
        ):
            logits = model(x_test)
    finally:
        torch.backends.mha.set_fastpath_enabled(True)
    return logits, fast.call_count, function.call_count


fast_logits, fast_calls, function_calls = forward_path(True)
assert (fast_calls, function_calls) == (1, 0)
function_logits, fast_calls, function_calls = forward_path(False)
assert (fast_calls, function_calls) == (0, 1)
print("fast path on: torch._native_multi_head_attention; off: F.multi_head_attention_forward")

# %%
# The same attention, written by hand
# -----------------------------------
# ``SelfAttention`` keeps the two projections as ``nn.Linear`` layers and calls
# ``F.scaled_dot_product_attention`` between them. It takes the trained weights of
# ``model.attention``; ``model_with`` puts it in the model's place.


class SelfAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, query, key, value, need_weights=False):
        assert query is key is value and not need_weights
        n, length, width = query.shape
        qkv = self.qkv(query).view(n, length, 3, self.heads, width // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v)
        return self.out(y.transpose(1, 2).reshape(n, length, width)), None


mine = SelfAttention(model.attention.embed_dim, model.attention.num_heads)
with torch.no_grad():
    mine.qkv.weight.copy_(model.attention.in_proj_weight)
    mine.qkv.bias.copy_(model.attention.in_proj_bias)
mine.out.load_state_dict(model.attention.out_proj.state_dict())


def model_with(attention, backend=None):
    original = model.attention
    model.attention = attention
    try:
        with torch.no_grad(), nullcontext() if backend is None else sdpa_kernel(backend):
            return model(x_test)
    finally:
        model.attention = original


mine_default = model_with(mine)
mine_math = model_with(mine, SDPBackend.MATH)
mine_flash = model_with(mine, SDPBackend.FLASH_ATTENTION)

# %%
# How far apart
# -------------
# The hand-written Module gives the function's logits bit for bit, and its default
# backend gives the flash kernel's. The fast path and the math kernel each differ from
# the function by ``float32`` rounding, within ``assert_close``'s default tolerance.
# None of these differences changes a predicted class.

torch.testing.assert_close(mine_default, function_logits, rtol=0, atol=0)
torch.testing.assert_close(mine_flash, mine_default, rtol=0, atol=0)
pairs = {
    "fast path - F.multi_head_attention_forward": fast_logits - function_logits,
    "SDPBackend.MATH - FLASH_ATTENTION": mine_math - mine_flash,
}
per_image = {}
for name, difference in pairs.items():
    assert difference.abs().max() > 0
    per_image[name] = difference.abs().max(dim=1).values
    print(f"{name}: largest difference {per_image[name].max():.1e}")
torch.testing.assert_close(fast_logits, function_logits)
torch.testing.assert_close(mine_math, mine_flash)
for logits in (fast_logits, mine_math):
    assert torch.equal(logits.argmax(1), function_logits.argmax(1))

# %%
# The figure
# ----------
# One row per pair, one point per test image: the largest difference between its logits
# computed the two ways, on a log scale. A pair that agrees bit for bit on every image
# has no points, only its count.

per_image["SelfAttention - F.multi_head_attention_forward"] = (
    (mine_default - function_logits).abs().max(dim=1).values
)
generator = torch.Generator().manual_seed(0)
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
for row, (name, values) in enumerate(per_image.items()):
    nonzero = values[values > 0]
    identical = f"{len(values) - len(nonzero)}/{len(values)} identical"
    if len(nonzero):
        jitter = (torch.rand(len(nonzero), generator=generator) - 0.5) * 0.4
        ax.scatter(nonzero, row + jitter, s=8, alpha=0.5, label=f"{name}: {identical}")
    else:
        ax.annotate(
            f"{name}: {identical}", (0.02, row), xycoords=("axes fraction", "data"), va="center"
        )
largest = max(values.max().item() for values in per_image.values())
ax.set_xscale("log")
ax.set_xlim(right=largest * 3)
ax.set_yticks(range(len(per_image)), [name.split(" - ")[0] for name in per_image])
ax.set_ylim(-0.5, len(per_image) - 0.5)
ax.set_xlabel("max |logit difference| per test image")
ax.set_title(f"RowReader, {len(x_test)} test digits, logits computed two ways")
fig.legend(loc="outside lower center", fontsize=8)
plt.show()
