"""Which versions produced a result: ``python -m nnguide check`` prints them after its counts."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import torch

from nnguide._version import __version__


@dataclass(frozen=True)
class BuildInfo:
    """The versions and machine facts that a result depends on.

    Attributes:
        torch: ``torch.__version__`` of the running interpreter, e.g. ``"2.13.0+cpu"``.
        python: the Python version, e.g. ``"3.11.7"``.
        nnguide: this package's version.
        machine: the processor architecture, e.g. ``"x86_64"``.
        threads: ``torch.get_num_threads()`` at the time of the call.
        cuda: the CUDA device name, or ``None`` when no GPU is visible.
    """

    torch: str
    python: str
    nnguide: str
    machine: str
    threads: int
    cuda: str | None

    def summary(self) -> str:
        """One line for a page footer or a figure caption.

        Examples:

            >>> info = BuildInfo("2.13.0", "3.11.7", "0.1.0", "x86_64", 2, None)
            >>> info.summary()
            'torch 2.13.0 · Python 3.11.7 · nnguide 0.1.0'
        """
        return f"torch {self.torch} · Python {self.python} · nnguide {self.nnguide}"


def build_info() -> BuildInfo:
    """Return the versions of torch, Python and nnguide running now.

    Returns:
        A :class:`BuildInfo` read from the running interpreter, never typed in.

    Examples:

        >>> import torch
        >>> info = build_info()
        >>> info.torch == torch.__version__
        True
        >>> info.threads >= 1
        True
    """
    return BuildInfo(
        torch=torch.__version__,
        python=platform.python_version(),
        nnguide=__version__,
        machine=platform.machine(),
        threads=torch.get_num_threads(),
        cuda=torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    )
