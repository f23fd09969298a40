"""nnguide.state captures and restores every process-wide setting it lists."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from nnguide.state import capture, preserved


def change_everything() -> None:
    torch.manual_seed(11)
    random.seed(12)
    np.random.seed(13)  # noqa: NPY002 (the legacy global generator is the point)
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    torch.set_grad_enabled(False)
    torch.backends.cudnn.deterministic = not torch.backends.cudnn.deterministic
    torch.backends.cudnn.benchmark = not torch.backends.cudnn.benchmark


def test_preserved_puts_every_setting_back_even_after_an_error() -> None:
    before = capture()
    with pytest.raises(RuntimeError, match="inside"), preserved():
        change_everything()
        changed = capture()
        raise RuntimeError("inside")
    assert changed.settings() != before.settings()
    assert not changed.same_as(before)
    assert capture().same_as(before)
    assert torch.get_default_dtype() is torch.float32 and torch.is_grad_enabled()


@pytest.mark.parametrize(
    "change",
    [
        lambda: torch.manual_seed(1),
        lambda: random.seed(1),
        lambda: np.random.seed(1),  # noqa: NPY002
        lambda: torch.set_num_threads(1),
        lambda: torch.use_deterministic_algorithms(True),
    ],
    ids=["torch generator", "random", "numpy", "threads", "deterministic"],
)
def test_same_as_sees_each_change(change) -> None:  # type: ignore[no-untyped-def]
    with preserved():
        torch.set_num_threads(2)  # so that the change to 1 is a change
        before = capture()
        change()
        assert not capture().same_as(before)
