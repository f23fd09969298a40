"""The one verification routine: what it checks, and what "verified" counts.

``tests/test_functional_form.py`` runs :func:`check_case` on every case in every setting;
here, forms that are wrong in one way each show that the routine catches that way.
"""

from __future__ import annotations

import copy
import sys
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch

from nnguide.cases import verification_cases
from nnguide.functional_form import functional_form
from nnguide.registry import registry, registry_counts
from nnguide.verification import Result, check_case, counts, same, table_rows, verify

VERIFICATION = sys.modules["nnguide.verification"]
ENTRIES = registry()


def _with_form(monkeypatch: pytest.MonkeyPatch, make: Callable[[torch.nn.Module], Any]) -> None:
    """Make check_case use ``make(module)`` as the functional form."""
    monkeypatch.setattr(VERIFICATION, "functional_form", make)


def test_check_case_passes_on_real_cases() -> None:
    for module in ("ReLU", "Dropout", "BatchNorm1d", "Embedding"):
        for case in verification_cases(module):
            assert check_case(case).failure == "", case.id


def test_check_case_reports_a_wrong_form(monkeypatch: pytest.MonkeyPatch) -> None:
    def off_by_one(module: torch.nn.Module) -> Callable[..., Any]:
        twin = copy.deepcopy(module)
        return lambda *args, **kwargs: twin(*args, **kwargs) + 1

    _with_form(monkeypatch, off_by_one)
    assert check_case(verification_cases("ReLU")[0]).failure == "output"


def test_check_case_reports_a_form_that_writes_into_its_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _with_form(monkeypatch, lambda module: lambda input: input.relu_())
    case = next(c for c in verification_cases("ReLU") if "inplace" not in c.id)
    result = check_case(case)
    assert (result.failure, result.detail != "") == ("inputs", True)


def test_check_case_reports_state_changed_differently(monkeypatch: pytest.MonkeyPatch) -> None:
    def and_shift_weight(module: torch.nn.Module) -> Callable[..., Any]:
        form = functional_form(module)

        def shifted(*args: Any) -> Any:
            out = form(*args)
            with torch.no_grad():
                module.weight.add_(1.0)
            return out

        return shifted

    _with_form(monkeypatch, and_shift_weight)
    result = check_case(verification_cases("Linear")[0])
    assert result.failure == "state"
    assert result.detail.startswith("weight: ")


def test_check_case_reports_different_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    def warning(module: torch.nn.Module) -> Callable[..., Any]:
        form = functional_form(module)

        def warns(*args: Any) -> Any:
            warnings.warn("only the form says this", UserWarning, stacklevel=1)
            return form(*args)

        return warns

    _with_form(monkeypatch, warning)
    result = check_case(verification_cases("ReLU")[0])
    assert result.failure == "warnings"
    assert "UserWarning: only the form says this" in result.detail


def test_check_case_reports_a_form_that_calls_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_form(monkeypatch, lambda module: lambda *args: module(*args))
    result = check_case(verification_cases("ReLU")[0])
    assert result.failure == "error"
    assert "the functional form called the module's forward" in result.detail


def test_check_case_reports_an_error_and_does_not_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(module: torch.nn.Module) -> Callable[..., Any]:
        raise RuntimeError("no form today")

    _with_form(monkeypatch, broken)
    result = check_case(verification_cases("ReLU")[0])
    assert (result.failure, result.passed) == ("error", False)
    assert "RuntimeError: no form today" in result.detail


def test_check_case_leaves_the_global_rng_alone() -> None:
    rng = torch.get_rng_state()
    for case in verification_cases("Dropout"):
        assert check_case(case).passed, case.id
    assert torch.equal(torch.get_rng_state(), rng)


def test_tolerance_only_on_the_fast_path_in_eval() -> None:
    """The fused fast path needs the entry's tolerance; every other case is bit-identical."""
    fast = next(c for c in verification_cases("MultiheadAttention") if c.fast_path)
    assert check_case(fast, torch.float64, training=False).passed
    assert check_case(fast, torch.float64, training=True).passed
    module, args, kwargs = fast.build(torch.float64)
    module.eval()
    with torch.no_grad():
        fused, _ = module(*args, **kwargs)
        form, _ = functional_form(module)(*args, **kwargs)
    assert not same(form, fused)


def test_same_compares_structure_dtype_shape_and_values() -> None:
    nan = float("nan")
    assert same(torch.tensor([nan, 1.0]), torch.tensor([nan, 1.0]))
    assert same(torch.tensor([0.0]), torch.tensor([-0.0]))
    assert not same(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64))
    assert not same(torch.tensor([1.0]), torch.tensor([[1.0]]))
    assert not same(torch.tensor([1.0]), torch.tensor([1.0 + 2**-23]))
    assert same(torch.tensor([1.0 + 2**-23]), torch.tensor([1.0]), rtol=1e-6)
    assert not same([torch.ones(1)], (torch.ones(1),))
    assert same((torch.ones(1), None), (torch.ones(1), None))
    assert not same((torch.ones(1), torch.ones(1)), (torch.ones(1), None))


def test_status_counts_passed_cases() -> None:
    assert Result(3, ()).status == "verified: 3/3"
    assert Result(3, ("ReLU-x (output)",)).status == "FAILED: 2/3"
    assert Result(0, ()).status == "unverified"
    assert Result(3, ()).passed
    assert not Result(3, ("ReLU-x (output)",)).passed
    assert not Result(0, ()).passed


def test_verify_runs_every_case_of_every_mapped_entry() -> None:
    results = verify()
    assert list(results) == [e.module for e in ENTRIES if e.mapped]
    for module, result in results.items():
        assert result.cases == len(verification_cases(module)), module
        assert result.failures == (), module
    assert verify() == results  # once per process: the same results again


def test_counts_are_the_registry_counts_and_verified() -> None:
    """The registry's own counts are tested in tests/test_registry.py."""
    c = counts()
    assert {key: value for key, value in c.items() if key != "verified"} == registry_counts()
    assert list(c).index("verified") == list(c).index("with_tolerance") - 1
    assert c["verified"] == sum(result.passed for result in verify().values())
    assert c["verified"] == c["mapped"], "every mapped entry has cases, and all pass"


def test_counts_are_the_registrys_and_verified() -> None:
    c, base = counts(), registry_counts()
    assert {k: v for k, v in c.items() if k != "verified"} == base
    keys = list(base)
    keys.insert(keys.index("with_tolerance"), "verified")
    assert list(c) == keys


def _failing(module: str, passed: int, cases: int) -> dict[str, Result]:
    results = dict(verify())
    results[module] = Result(cases, tuple(f"{module}-{i} (output)" for i in range(cases - passed)))
    return results


def test_verified_counts_only_entries_whose_cases_ran_and_passed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mapped = counts()["mapped"]
    monkeypatch.setattr(VERIFICATION, "verify", lambda: _failing("ReLU", 3, 4))
    assert counts()["verified"] == mapped - 1
    monkeypatch.setattr(VERIFICATION, "verify", lambda: _failing("ReLU", 0, 0))
    assert counts()["verified"] == mapped - 1


def test_table_rows() -> None:
    rows = table_rows()
    assert [r[0] for r in rows] == [e.module for e in ENTRIES]
    for (module, counterpart, state, status), e in zip(rows, ENTRIES, strict=True):
        assert all(isinstance(x, str) for x in (module, counterpart, state, status))
        if e.mapped:
            assert counterpart == e.counterpart
            assert status.startswith("verified: "), module
            assert state
        else:
            assert counterpart == "-"
            assert status == f"unmapped: {e.reason.name if e.reason else ''}"


def test_table_rows_say_which_entries_failed_or_have_no_cases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def status(module: str) -> str:
        return next(row[3] for row in table_rows() if row[0] == module)

    n = len(verification_cases("ReLU"))
    assert status("ReLU") == f"verified: {n} cases (tests/test_functional_form.py)"
    monkeypatch.setattr(VERIFICATION, "verify", lambda: _failing("ReLU", n - 1, n))
    assert status("ReLU") == f"FAILED: {n - 1}/{n} cases"
    monkeypatch.setattr(VERIFICATION, "verify", lambda: _failing("ReLU", 0, 0))
    assert status("ReLU") == "unverified"
