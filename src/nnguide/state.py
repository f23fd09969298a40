"""Torch's process-wide settings, captured once and put back: one definition for all users.

Code that seeds, switches deterministic algorithms on, changes the default dtype or the
thread count changes them for everything that runs after it in the same process. The
claims (:mod:`nnguide.claims`), the docs' gallery (each script starts from the state the
build started with) and the tests all capture and restore the same list, defined here:

- torch's CPU generator, Python's :mod:`random` and NumPy's legacy global generator
  (NumPy only when it is installed);
- ``torch.use_deterministic_algorithms`` and its ``warn_only`` flag;
- the default dtype, the number of intra-op threads, whether gradients are enabled;
- ``torch.backends.cudnn.deterministic`` and ``torch.backends.cudnn.benchmark``.

Examples:

    >>> import torch
    >>> with preserved():
    ...     torch.set_default_dtype(torch.float64)
    >>> torch.get_default_dtype()
    torch.float32
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch

__all__ = ["GlobalState", "capture", "preserved"]


def _numpy_random() -> Any:
    try:
        import numpy as np
    except ImportError:
        return None
    return np.random


@dataclass(frozen=True)
class GlobalState:
    """A snapshot of torch's (and Python's and NumPy's) process-wide settings."""

    torch_rng: torch.Tensor
    python_rng: tuple[Any, ...]
    numpy_rng: tuple[Any, ...] | None
    deterministic: bool
    deterministic_warn_only: bool
    default_dtype: torch.dtype
    num_threads: int
    grad_enabled: bool
    cudnn_deterministic: bool
    cudnn_benchmark: bool

    def restore(self) -> None:
        """Put every setting back as it was when the snapshot was taken."""
        torch.random.set_rng_state(self.torch_rng)
        random.setstate(self.python_rng)
        np_random = _numpy_random()
        if self.numpy_rng is not None and np_random is not None:
            np_random.set_state(self.numpy_rng)
        torch.use_deterministic_algorithms(
            self.deterministic, warn_only=self.deterministic_warn_only
        )
        torch.set_default_dtype(self.default_dtype)
        torch.set_num_threads(self.num_threads)
        torch.set_grad_enabled(self.grad_enabled)
        torch.backends.cudnn.deterministic = self.cudnn_deterministic
        torch.backends.cudnn.benchmark = self.cudnn_benchmark

    def settings(self) -> dict[str, object]:
        """The flags and numbers (not the generators), for comparing two snapshots."""
        return {
            "deterministic": self.deterministic,
            "deterministic_warn_only": self.deterministic_warn_only,
            "default_dtype": self.default_dtype,
            "num_threads": self.num_threads,
            "grad_enabled": self.grad_enabled,
            "cudnn_deterministic": self.cudnn_deterministic,
            "cudnn_benchmark": self.cudnn_benchmark,
        }

    def same_as(self, other: GlobalState) -> bool:
        """Whether ``other`` has the same settings and the same generator states."""
        numpy_same = (
            (self.numpy_rng is None) == (other.numpy_rng is None)
            and (
                self.numpy_rng is None
                or (
                    self.numpy_rng[0] == other.numpy_rng[0]  # type: ignore[index]
                    and bool((self.numpy_rng[1] == other.numpy_rng[1]).all())  # type: ignore[index]
                    and self.numpy_rng[2:] == other.numpy_rng[2:]  # type: ignore[index]
                )
            )
        )
        return (
            torch.equal(self.torch_rng, other.torch_rng)
            and self.python_rng == other.python_rng
            and numpy_same
            and self.settings() == other.settings()
        )


def capture() -> GlobalState:
    """Take a snapshot of the settings listed in this module's docstring."""
    np_random = _numpy_random()
    return GlobalState(
        torch_rng=torch.random.get_rng_state(),
        python_rng=random.getstate(),
        numpy_rng=None if np_random is None else np_random.get_state(),
        deterministic=torch.are_deterministic_algorithms_enabled(),
        deterministic_warn_only=torch.is_deterministic_algorithms_warn_only_enabled(),
        default_dtype=torch.get_default_dtype(),
        num_threads=torch.get_num_threads(),
        grad_enabled=torch.is_grad_enabled(),
        cudnn_deterministic=torch.backends.cudnn.deterministic,
        cudnn_benchmark=torch.backends.cudnn.benchmark,
    )


@contextmanager
def preserved() -> Iterator[GlobalState]:
    """Run a block and put the settings back afterwards, whether it raised or not."""
    state = capture()
    try:
        yield state
    finally:
        state.restore()
