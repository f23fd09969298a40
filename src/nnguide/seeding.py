"""Seeding for reproducible runs: every random generator, the deterministic switches and
the DataLoader.

Seeds alone do not make a run reproducible: PyTorch's documentation lists operations, most
of them on CUDA, that have no deterministic implementation, and cuDNN's benchmark choice
of algorithm, which can differ between runs; and a DataLoader draws from a generator of
its own. PyTorch's reproducibility notes say that completely reproducible results are not
guaranteed across releases or platforms, nor between the CPU and a GPU; what is set here
limits the sources of nondeterminism for one release, platform and device (and the result
of a CPU reduction can also depend on the number of threads).
"""

from __future__ import annotations

import numbers
import os
import random

import torch

__all__ = [
    "CUBLAS_CHECK_REMOVED_IN",
    "cublas_check_in_library",
    "seed_everything",
    "seed_worker",
    "seeded_generator",
    "torch_checks_cublas_workspace",
]

#: The value that torch releases before :data:`CUBLAS_CHECK_REMOVED_IN` ask for (``":16:8"``
#: is the other one they accept).
CUBLAS_WORKSPACE_CONFIG = ":4096:8"

#: The first torch release whose library no longer checks ``CUBLAS_WORKSPACE_CONFIG``
#: under deterministic algorithms. The check was removed by pytorch/pytorch#161749;
#: ``benchmarks/cublas_check.py`` found its error message in the libraries of the PyPI
#: wheels up to 2.9 and in none from 2.10 on (``docs/data/cublas_check.json``).
CUBLAS_CHECK_REMOVED_IN = (2, 10)

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


def torch_checks_cublas_workspace(version: str | None = None) -> bool:
    """Whether a torch release refuses a CUDA matrix product without ``CUBLAS_WORKSPACE_CONFIG``.

    Releases before :data:`CUBLAS_CHECK_REMOVED_IN`, with CUDA 10.2 or later, raise
    ``RuntimeError`` on a cuBLAS matrix product under
    ``torch.use_deterministic_algorithms(True)`` unless the environment variable
    ``CUBLAS_WORKSPACE_CONFIG`` is ``":4096:8"`` or ``":16:8"``; later releases do not
    ask for it. The check was added in 2020 (pytorch/pytorch#41377); the releases this
    package supports before 2.10 (2.6 to 2.9) were scanned and have it. A pre-release of
    2.10 counts as before it.

    Args:
        version: a torch version string such as ``"2.9.1+cu128"``. Default: the installed
            torch's ``torch.__version__``.

    Returns:
        ``True`` for a release that still checks the variable.

    Raises:
        ValueError: ``version`` is not a version string.

    Examples:

        >>> torch_checks_cublas_workspace("2.9.1+cu128"), torch_checks_cublas_workspace("2.10.0")
        (True, False)
        >>> torch_checks_cublas_workspace("2.10.0a0+git1234")
        True
        >>> torch_checks_cublas_workspace("latest")
        Traceback (most recent call last):
          ...
        ValueError: expected a torch version string such as '2.9.1+cu128', got 'latest'
    """
    from torch._vendor.packaging.version import InvalidVersion, Version

    text = str(torch.__version__) if version is None else version
    try:
        parsed = Version(text)
    except (InvalidVersion, TypeError):
        raise ValueError(
            f"expected a torch version string such as '2.9.1+cu128', got {text!r}"
        ) from None
    return parsed < Version(".".join(map(str, CUBLAS_CHECK_REMOVED_IN)))


#: A phrase of the error that the ``CUBLAS_WORKSPACE_CONFIG`` check raises, in every
#: release that has it (``benchmarks/cublas_check.py`` looks for the same bytes).
CUBLAS_CHECK_MESSAGE = b"it uses CuBLAS and you have CUDA >= 10.2"


def cublas_check_in_library() -> bool | None:
    """Whether the installed torch's ``libtorch_cpu`` holds the cuBLAS workspace check.

    The check's error message is compiled into the library, so its bytes tell whether this
    build still checks ``CUBLAS_WORKSPACE_CONFIG``, with or without a GPU. As a control,
    the message of torch's other determinism check must be found in the same file.

    Returns:
        ``True`` or ``False``; ``None`` where no ``libtorch_cpu`` library is found in
        ``torch/lib`` or the control message is missing from it (a build this cannot
        read).

    Examples:

        >>> cublas_check_in_library() in (True, False, None)
        True
        >>> cublas_check_in_library() in (torch_checks_cublas_workspace(), None)
        True
    """
    import mmap
    from pathlib import Path

    libraries = sorted((Path(torch.__file__).parent / "lib").glob("libtorch_cpu.*"))
    if not libraries:
        return None
    with (
        libraries[0].open("rb") as file,
        mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        if data.find(b"does not have a deterministic implementation") == -1:
            return None
        return data.find(CUBLAS_CHECK_MESSAGE) != -1


def seed_everything(seed: int, deterministic: bool = True) -> dict[str, object]:
    """Seed Python, NumPy and torch, and switch torch to deterministic algorithms.

    Seeds Python's :mod:`random`, NumPy's global generator (when NumPy is installed) and
    torch's generators on the CPU and on every CUDA device (``torch.manual_seed`` calls
    ``torch.cuda.manual_seed_all`` itself). With ``deterministic``:

    - ``torch.use_deterministic_algorithms(True)``: operations pick a deterministic
      implementation, and those without one raise ``RuntimeError`` instead of silently
      varying between runs. For CUDA convolutions this has the effect that
      ``torch.backends.cudnn.deterministic = True`` has (torch's documentation of the
      switch lists them among the operations it makes deterministic), so that flag is
      left alone; set it yourself for an operation whose documentation still asks for
      it, such as ``nn.CTCLoss``.
    - ``torch.backends.cudnn.benchmark = False``: cuDNN does not time candidate
      algorithms and keep the fastest, a choice that PyTorch's reproducibility notes say
      can differ from run to run; the switch above does not turn benchmarking off (the
      reproducibility page asserts it).
    - With a GPU and a torch that still checks it (:func:`torch_checks_cublas_workspace`:
      releases before 2.10), the environment variable ``CUBLAS_WORKSPACE_CONFIG`` is set
      to ``":4096:8"`` unless it is already set; with CUDA 10.2 or later, those releases
      raise ``RuntimeError`` on a cuBLAS matrix product under deterministic algorithms
      without it. Their error message asks for it to be set before the application
      runs, so call this function before the first CUDA matrix product. Later releases
      do not ask for it, and it is left alone.

    Without ``deterministic``, only the generators are seeded and no switch is touched.

    The first ``torch.use_deterministic_algorithms`` call in a process also imports
    torch's compiler configuration (to make Inductor deterministic too), once.

    Args:
        seed: an int from ``0`` to ``2**32 - 1`` (the range all three libraries accept).
        deterministic: also turn on the deterministic switches. Default: ``True``.

    Returns:
        A dict of what was set, by name, with keys ``"seed"``, ``"random"``,
        ``"numpy"`` (``False`` without NumPy), ``"torch"``, ``"cuda"`` (whether a GPU
        is visible, and so seeded too)
        and, with ``deterministic``, ``"use_deterministic_algorithms"``,
        ``"cudnn.benchmark"`` and, with a GPU, ``"CUBLAS_WORKSPACE_CONFIG"``: the
        variable's value after the call where this torch checks it, ``None`` where it
        does not (the variable was then neither read nor changed).

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
            if torch_checks_cublas_workspace():
                os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE_CONFIG)
                settings["CUBLAS_WORKSPACE_CONFIG"] = os.environ["CUBLAS_WORKSPACE_CONFIG"]
            else:
                settings["CUBLAS_WORKSPACE_CONFIG"] = None
        torch.use_deterministic_algorithms(True)
        settings["use_deterministic_algorithms"] = True
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
    """Seed Python's and NumPy's global generators from a ``DataLoader`` worker's torch seed.

    Pass it as ``DataLoader(..., worker_init_fn=seed_worker)``. It is not needed for
    reproducibility on the torch releases this package supports: torch's own worker loop
    already seeds :mod:`random`, torch and NumPy in each worker from the loader's base
    seed and the worker's id (the reproducibility page shows those lines of the installed
    torch), so a seeded ``generator=`` is enough. It replaces NumPy's and Python's seeds
    with one taken from ``torch.initial_seed()``, which is also repeatable; it is kept
    as the pattern to copy for a library other than these three, which a worker must
    seed itself.

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
