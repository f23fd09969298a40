"""Seeding for reproducible runs: every random generator, the deterministic switches and
the DataLoader.

Seeds alone do not make a run reproducible: some kernels are nondeterministic whatever the
seed (CUDA atomics, cuDNN's benchmark choice of algorithm), and DataLoader workers have
their own generators. Even with everything here, results are reproducible only on the same
torch release, platform and device: never promised across them.
"""

from __future__ import annotations

import numbers
import os
import random

import torch

__all__ = ["seed_everything", "seed_worker", "seeded_generator"]

#: The value ``torch.use_deterministic_algorithms`` asks for on CUDA 10.2 and later.
CUBLAS_WORKSPACE_CONFIG = ":4096:8"

_MAX_SEED = 2**32 - 1  # NumPy's legacy seeding accepts 0 <= seed < 2**32


def _check_seed(seed: object) -> int:
    """Return ``seed`` as an int, or raise ``TypeError``/``ValueError`` saying why not."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"expected seed to be an int between 0 and {_MAX_SEED}, got {type(seed).__name__} "
            f"{seed!r}"
        )
    value = int(seed)
    if not 0 <= value <= _MAX_SEED:
        raise ValueError(f"expected seed to be an int between 0 and {_MAX_SEED}, got {value}")
    return value


def seed_everything(seed: int, deterministic: bool = True) -> dict[str, object]:
    """Seed Python, NumPy and torch, and switch torch to deterministic algorithms.

    Seeds Python's :mod:`random`, NumPy's global generator (when NumPy is installed) and
    torch's generators on the CPU and on every CUDA device (``torch.manual_seed`` calls
    ``torch.cuda.manual_seed_all`` itself). With ``deterministic``:

    - ``torch.use_deterministic_algorithms(True)``: operations pick a deterministic
      implementation, and those without one raise ``RuntimeError`` instead of silently
      varying between runs.
    - ``torch.backends.cudnn.deterministic = True`` and ``benchmark = False``: cuDNN does
      not time candidate algorithms and keep the fastest, a choice that can change from
      run to run.
    - On a machine with CUDA, the environment variable ``CUBLAS_WORKSPACE_CONFIG`` is set
      to ``":4096:8"`` unless it is already set. Since CUDA 10.2, cuBLAS may split a
      matrix product over several workspace buffers in a run-dependent order; with
      deterministic algorithms on, torch raises ``RuntimeError`` on such a product unless
      this variable fixes the workspace. It takes effect only if set before cuBLAS starts,
      so call this function before the first CUDA matrix product.

    Without ``deterministic``, only the generators are seeded and no switch is touched.

    The first ``torch.use_deterministic_algorithms`` call in a process also imports
    torch's compiler configuration (to make Inductor deterministic too): seconds, once.

    Args:
        seed: an int from ``0`` to ``2**32 - 1`` (the range all three libraries accept).
        deterministic: also turn on the deterministic switches. Default: ``True``.

    Returns:
        A dict of what was set, by name, with keys ``"seed"``, ``"random"``,
        ``"numpy"`` (``False`` without NumPy), ``"torch"``, ``"cuda"`` (whether a GPU
        is visible, and so seeded too)
        and, with ``deterministic``, ``"use_deterministic_algorithms"``,
        ``"cudnn.deterministic"``, ``"cudnn.benchmark"`` and, with a GPU,
        ``"CUBLAS_WORKSPACE_CONFIG"``.

    Raises:
        TypeError: ``seed`` is not an int (``bool`` is refused too).
        ValueError: ``seed`` is negative or above ``2**32 - 1``.

    Examples:

        >>> settings = seed_everything(0, deterministic=False)
        >>> settings["random"], settings["torch"]
        (True, True)
        >>> a = torch.rand(2)
        >>> _ = seed_everything(0, deterministic=False)
        >>> torch.equal(a, torch.rand(2))
        True
        >>> seed_everything(-1)
        Traceback (most recent call last):
          ...
        ValueError: expected seed to be an int between 0 and 4294967295, got -1
    """
    seed = _check_seed(seed)
    settings: dict[str, object] = {"seed": seed}

    random.seed(seed)
    settings["random"] = True
    try:
        import numpy as np
    except ImportError:
        settings["numpy"] = False
    else:
        np.random.seed(seed)  # noqa: NPY002 (the legacy global generator is the point)
        settings["numpy"] = True
    torch.manual_seed(seed)  # also calls torch.cuda.manual_seed_all: every GPU is seeded
    settings["torch"] = True
    cuda = torch.cuda.is_available()
    settings["cuda"] = cuda

    if deterministic:
        if cuda:
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE_CONFIG)
            settings["CUBLAS_WORKSPACE_CONFIG"] = os.environ["CUBLAS_WORKSPACE_CONFIG"]
        torch.use_deterministic_algorithms(True)
        settings["use_deterministic_algorithms"] = True
        torch.backends.cudnn.deterministic = True
        settings["cudnn.deterministic"] = True
        torch.backends.cudnn.benchmark = False
        settings["cudnn.benchmark"] = False
    return settings


def seeded_generator(seed: int) -> torch.Generator:
    """Return a new CPU generator seeded with ``seed``, for a ``DataLoader``'s shuffling.

    Passing it as ``DataLoader(..., generator=...)`` makes the order of the batches, and
    the base seed of each worker, depend on ``seed`` alone rather than on how much of
    torch's global generator earlier code consumed.

    Args:
        seed: an int from ``0`` to ``2**32 - 1``.

    Returns:
        A ``torch.Generator`` whose ``initial_seed()`` is ``seed``.

    Examples:

        >>> a = torch.randperm(5, generator=seeded_generator(7))
        >>> b = torch.randperm(5, generator=seeded_generator(7))
        >>> torch.equal(a, b), seeded_generator(7).initial_seed()
        (True, 7)
    """
    generator = torch.Generator()
    generator.manual_seed(_check_seed(seed))
    return generator


def seed_worker(worker_id: int) -> None:
    """Seed Python's and NumPy's generators inside a ``DataLoader`` worker.

    Pass it as ``DataLoader(..., worker_init_fn=seed_worker)``. Each worker's torch seed
    is already derived from the loader's generator and the worker's id; this function
    derives the other two from that seed, so code in a ``Dataset`` that calls
    :mod:`random` or NumPy draws the same numbers on every run. (Recent torch also seeds
    them itself; this makes it explicit and independent of the release.)

    Args:
        worker_id: the id the DataLoader passes; the seed already depends on it.

    Examples:

        >>> _ = torch.manual_seed(3)
        >>> seed_worker(0)
        >>> import random
        >>> first = random.random()
        >>> _ = torch.manual_seed(3)
        >>> seed_worker(0)
        >>> first == random.random()
        True
    """
    del worker_id  # torch.initial_seed() in a worker is already base_seed + worker_id
    worker_seed = torch.initial_seed() % 2**32
    random.seed(worker_seed)
    try:
        import numpy as np
    except ImportError:
        return
    np.random.seed(worker_seed)  # noqa: NPY002 (the legacy global generator is the point)
