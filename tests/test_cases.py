"""The verification cases: one or more for every mapped module, each with its own id."""

from __future__ import annotations

import torch

from nnguide.cases import verification_cases
from nnguide.functional_form import supported_modules
from nnguide.registry import registry

CASES = verification_cases()


def test_every_mapped_entry_has_a_case_and_a_form() -> None:
    mapped = {e.module for e in registry() if e.mapped}
    with_cases = {c.module for c in CASES}
    assert mapped - with_cases == set(), "mapped entries without a verification case"
    assert mapped - set(supported_modules()) == set(), "mapped entries without a form"
    assert with_cases <= mapped, "cases for modules the registry does not map"


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


def test_case_ids_start_with_their_module() -> None:
    for case in CASES:
        assert case.id.startswith(f"{case.module}-"), case.id
        assert case in verification_cases(case.module)


def test_build_is_reproducible_and_leaves_the_global_rng_alone() -> None:
    rng = torch.get_rng_state()
    for case in verification_cases("Dropout") + verification_cases("Embedding"):
        (m1, args1, _), (m2, args2, _) = case.build(torch.float64), case.build(torch.float64)
        assert all(torch.equal(a, b) for a, b in zip(args1, args2, strict=True)), case.id
        for (k, p1), (_, p2) in zip(m1.state_dict().items(), m2.state_dict().items(), strict=True):
            assert torch.equal(p1, p2), (case.id, k)
    assert torch.equal(torch.get_rng_state(), rng)
