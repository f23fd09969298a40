"""The guide's statements as small checks that run against the installed torch.

Each check runs live code and returns its :class:`Evidence`: the values it compared, or
the exact error message torch raised. ``python -m nnguide check`` runs them all.

The eleven claims (``A1`` to ``A11``) examine the statements of a widely read Chinese blog
article on ``torch.nn`` versus ``torch.nn.functional``, paraphrased here, never quoted.
Each carries a verdict on the article's statement (``correct``, ``incomplete``,
``misleading`` or ``wrong``) and the guide's corrected version; ``holds`` says whether
the evidence still supports that verdict and correction on this torch.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

# Importing the modules registers their claims, in this order: A1 ... A11.
from nnguide.claims import apis, layers, training  # noqa: F401
from nnguide.claims._core import CLAIMS, Verdict

__all__ = ["CLAIM_IDS", "Evidence", "Verdict", "all_claims", "run_claim"]


@dataclass(frozen=True)
class Evidence:
    """What one check observed, and whether it supports what the guide says.

    Attributes:
        claim_id: the claim's id, e.g. ``"A4"``.
        statement: the statement examined, paraphrased.
        verdict: the guide's verdict on that statement: ``"correct"``, ``"incomplete"``,
            ``"misleading"`` or ``"wrong"``.
        expected: what the guide says a run shows, in a few words.
        observed: what this run showed, in the same terms.
        holds: ``True`` when the observation supports the verdict and the correction.
        detail: the exact values and error messages behind ``observed``.
        corrected: the guide's corrected statement.
    """

    claim_id: str
    statement: str
    verdict: Verdict
    expected: str
    observed: str
    holds: bool
    detail: str
    corrected: str


#: The ids of every claim, in the order :func:`all_claims` runs them.
CLAIM_IDS: tuple[str, ...] = tuple(sorted(CLAIMS, key=lambda claim_id: int(claim_id[1:])))


def run_claim(claim_id: str) -> Evidence:
    """Run one claim's check against the installed torch.

    The check runs with torch's random generators forked, and restores every global
    switch it touches, so running a claim changes nothing for the caller.

    Args:
        claim_id: one of :data:`CLAIM_IDS`, e.g. ``"A6"``.

    Returns:
        The claim's :class:`Evidence`.

    Raises:
        KeyError: ``claim_id`` is not a known claim.

    Examples:

        >>> evidence = run_claim("A2")
        >>> evidence.verdict, evidence.holds
        ('wrong', True)
        >>> evidence.observed
        '0 of ... public functions are Modules; isinstance(F.relu, nn.Module) is False'
        >>> run_claim("A99")
        Traceback (most recent call last):
          ...
        KeyError: "unknown claim 'A99'; expected one of A1, A2, ..., A11"
    """
    try:
        claim = CLAIMS[claim_id]
    except KeyError:
        raise KeyError(
            f"unknown claim {claim_id!r}; expected one of {', '.join(CLAIM_IDS)}"
        ) from None
    with torch.random.fork_rng(devices=list(range(torch.cuda.device_count()))):
        torch.manual_seed(0)
        observation = claim.check()
    return Evidence(
        claim_id=claim_id,
        statement=claim.statement,
        verdict=claim.verdict,
        expected=observation.expected,
        observed=observation.observed,
        holds=observation.holds,
        detail=observation.detail,
        corrected=claim.corrected,
    )


def all_claims() -> list[Evidence]:
    """Run every claim's check, in order.

    Returns:
        One :class:`Evidence` per id in :data:`CLAIM_IDS`.

    Examples:

        >>> evidence = all_claims()
        >>> len(evidence), all(e.holds for e in evidence)
        (11, True)
        >>> sorted({e.verdict for e in evidence})
        ['correct', 'misleading', 'wrong']
    """
    return [run_claim(claim_id) for claim_id in CLAIM_IDS]
