"""What every claim is made of: its data, the decorator that registers it, small helpers.

A claim is a function named by what it checks, returning an :class:`Observation`; the
:func:`claim` decorator attaches its id (``"A1"`` ...), the statement it examines, the
verdict and the corrected statement as data, and records it in :data:`CLAIMS` in the
order the modules define them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import torch

Verdict = Literal["correct", "incomplete", "misleading", "wrong"]


@dataclass(frozen=True)
class Observation:
    """What a check saw: the expectation, the observation, whether it holds, the detail."""

    expected: str
    observed: str
    holds: bool
    detail: str


Check = Callable[[], Observation]


@dataclass(frozen=True)
class Claim:
    """One statement of the article, the guide's verdict and correction, and its check."""

    claim_id: str
    statement: str
    verdict: Verdict
    corrected: str
    check: Check


#: Every claim by id, in the order of definition (which is the order they run).
CLAIMS: dict[str, Claim] = {}


def claim(
    claim_id: str, *, statement: str, verdict: Verdict, corrected: str
) -> Callable[[Check], Check]:
    """Register the decorated check as claim ``claim_id``; the function is returned as is.

    The :class:`Claim` is also attached to the function as its ``claim`` attribute.
    """

    def register(check: Check) -> Check:
        if claim_id in CLAIMS:
            raise ValueError(
                f"claim id {claim_id!r} is already taken by {CLAIMS[claim_id].check.__name__}; "
                f"expected a new id for {check.__name__}"
            )
        CLAIMS[claim_id] = Claim(claim_id, statement, verdict, corrected, check)
        check.claim = CLAIMS[claim_id]  # type: ignore[attr-defined]
        return check

    return register


def raised(call: Callable[[], object]) -> BaseException | None:
    """Run ``call`` and return the exception it raised, or ``None``."""
    try:
        call()
    except Exception as error:
        return error
    return None


def message(error: BaseException | None) -> str:
    """``"TypeError: ..."`` with the first line of the message, or ``"no error"``.

    Terminal escape codes (torch bolds part of some messages) are removed.
    """
    if error is None:
        return "no error"
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()
    return f"{type(error).__name__}: {text.splitlines()[0].strip()}"


def shape_of(tensor: torch.Tensor) -> tuple[int, ...]:
    """The shape as a plain tuple, which prints without ``torch.Size``."""
    return tuple(tensor.shape)
