"""The torch releases the guide was checked on, and which of them a reader's torch matches.

``nox -s versions`` (``benchmarks/torch_releases.py``) runs the claims, the registry and
every functional form on the newest patch of each minor torch release, and writes the
full record to ``docs/data/torch_releases.json`` and a summary beside this module
(``checked_releases.json``, shipped with the package): per release, which claims held.
``python -m nnguide check`` reads the summary to say which recorded release a reader's
result should be compared with, and whether their torch lies outside those checked.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["CHECKED_FILE", "Comparison", "checked_releases", "compare", "minor", "passed"]

CHECKED_FILE = Path(__file__).with_name("checked_releases.json")


def minor(version: str) -> tuple[int, int]:
    """``(2, 13)`` from ``"2.13.0+cpu"``; a version that does not start so is refused.

    Examples:

        >>> minor("2.13.0+cpu")
        (2, 13)
    """
    match = re.match(r"(\d+)\.(\d+)", version)
    if not match:
        raise ValueError(f"expected a torch version such as '2.13.0', got {version!r}")
    return int(match[1]), int(match[2])


@cache
def checked_releases() -> dict[str, Any]:
    """The summary ``nox -s versions`` wrote: ``date`` and ``releases`` (version → result).

    Each release maps to ``{"claims": {claim id: holds}, "verification_failures": n,
    "passed": bool}``, or to ``{"error": ..., "passed": False}`` when it could not be
    installed or imported. ``passed`` is true when every claim held and every
    verification run agreed.
    """
    data: dict[str, Any] = json.loads(CHECKED_FILE.read_text(encoding="utf-8"))
    return data


def passed() -> list[str]:
    """The checked releases on which every claim held and every verification run agreed.

    Examples:

        >>> "2.13.0" in passed()
        True
    """
    return [
        version for version, record in checked_releases()["releases"].items() if record["passed"]
    ]


@dataclass(frozen=True)
class Comparison:
    """Where a torch version stands among the checked releases.

    Attributes:
        version: the version compared (the reader's torch).
        release: the checked release to compare with: the one of the same minor
            release, else the nearest checked one.
        inside: whether ``version``'s minor release was among those checked.
        held: the claims that held on ``release``, by id.
        date: when the releases were checked.
    """

    version: str
    release: str
    inside: bool
    held: dict[str, bool]
    date: str

    def line(self) -> str:
        """One sentence for ``python -m nnguide check``."""
        record = checked_releases()["releases"][self.release]
        if "error" in record:
            result = "it could not be checked there"
        else:
            result = f"{sum(self.held.values())} of {len(self.held)} claims held there"
        versions = list(checked_releases()["releases"])
        checked = f"{versions[0]} to {versions[-1]}, one patch of each minor release, {self.date}"
        if self.inside:
            return (
                f"torch {self.version}: its minor release was checked ({checked}); "
                f"compare with the record for {self.release}: {result}"
            )
        return (
            f"torch {self.version}: its minor release was not checked ({checked}); "
            f"compare with the nearest, {self.release}: {result}"
        )


def compare(version: str) -> Comparison:
    """The checked release a torch ``version`` should be compared with.

    Args:
        version: a torch version string, such as ``torch.__version__``.

    Returns:
        Its :class:`Comparison`.

    Raises:
        ValueError: ``version`` does not start with ``<major>.<minor>``.

    Examples:

        >>> compare("2.13.0+cpu").release, compare("2.13.0+cpu").inside
        ('2.13.0', True)
        >>> compare("9.0.0").inside
        False
    """
    wanted = minor(version)
    data = checked_releases()
    by_minor = {minor(v): v for v in data["releases"]}
    inside = wanted in by_minor
    # Newer than all, or in a gap: the newest checked below it; older than all: the oldest.
    below = [minor for minor in by_minor if minor <= wanted]
    release = by_minor[max(below) if below else min(by_minor)]
    record = data["releases"][release]
    return Comparison(
        version=version,
        release=release,
        inside=inside,
        held=dict(record.get("claims", {})),
        date=data["date"],
    )
