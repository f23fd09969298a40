"""Every claim holds on the installed torch, and the command line reports it."""

from __future__ import annotations

import dataclasses
import random
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import NamedTuple

import pytest
import torch
from torch import nn

from nnguide import claims
from nnguide.__main__ import main
from nnguide.claims import CLAIM_IDS, Evidence, all_claims, run_claim
from nnguide.claims._core import CLAIMS, Observation, claim
from nnguide.state import capture

# The guide's verdict on each statement of the article.
VERDICTS = {
    "A1": "wrong",
    "A2": "wrong",
    "A3": "correct",
    "A4": "wrong",
    "A5": "wrong",
    "A6": "correct",
    "A7": "wrong",
    "A8": "wrong",
    "A9": "wrong",
    "A10": "wrong",
    "A11": "misleading",
}


def test_the_article_has_eleven_claims_in_order() -> None:
    assert tuple(f"A{n}" for n in range(1, 12)) == CLAIM_IDS


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_holds_with_its_verdict(claim_id: str) -> None:
    evidence = run_claim(claim_id)
    assert evidence.claim_id == claim_id
    assert evidence.verdict == VERDICTS[claim_id]
    assert evidence.holds, evidence
    assert evidence.statement and evidence.corrected and evidence.detail
    if evidence.verdict == "correct":
        assert evidence.observed == evidence.expected


@pytest.mark.parametrize(
    ("claim_id", "pattern"),
    [
        ("A4", r"TypeError: .*missing 1 required positional argument: 'kernel_size'"),
        ("A4", r"RuntimeError: mat1 and mat2 shapes cannot be multiplied"),
        ("A7", r"a leaf Variable that requires grad is being used in an in-place operation"),
        ("A7", r"modified by an inplace operation: .* is at version 1; expected version 0"),
        ("A7", r"leaf\[0\]\.add_\(1\): RuntimeError: a view of a leaf Variable"),
        ("A7", r"unbind\(\)\[0\]\.add_\(1\): RuntimeError: Output 0 of Unbind is a view"),
        ("A8", r"put_ does not have a deterministic implementation"),
        ("A8", r"checks CUBLAS_WORKSPACE_CONFIG: (True|False)$"),
        ("A11", r"traced Passed in eval: [1-9]\d*"),
        ("A10", r"UnpicklingError: Weights only load failed.*GLOBAL nnguide\.models\.MLP"),
        ("A10", r"Expected state_dict to be dict-like"),
    ],
)
def test_evidence_quotes_the_error_torch_raised(claim_id: str, pattern: str) -> None:
    detail = run_claim(claim_id).detail
    assert re.search(pattern, detail), detail
    assert "\x1b[" not in detail  # no terminal escape codes copied from torch's messages


def test_claims_leave_no_trace(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    torch.manual_seed(123)
    random.seed(5)
    before = capture()
    evidence = all_claims()
    assert [e.claim_id for e in evidence] == list(CLAIM_IDS)
    assert before.same_as(capture())  # generators, deterministic and cuDNN flags, dtype, threads
    assert list(tmp_path.iterdir()) == []  # file claims used their own temporary folder


def test_each_claim_is_a_function_named_by_what_it_checks() -> None:
    names = set()
    for claim_id in CLAIM_IDS:
        claim = CLAIMS[claim_id]
        check = claim.check
        assert check.claim is claim  # type: ignore[attr-defined]  # the id is data on it
        assert claim.claim_id == claim_id
        assert not re.fullmatch(r"_?a\d+", check.__name__), check.__name__
        assert check.__doc__ and check.__doc__.startswith(f"Claim {claim_id} ({claim.verdict}): ")
        names.add(check.__name__)
    assert len(names) == len(CLAIM_IDS)


def test_a_claim_id_cannot_be_taken_twice() -> None:
    def again() -> Observation:
        raise AssertionError("never runs")

    register = claim("A4", statement="s", verdict="wrong", corrected="c")
    with pytest.raises(ValueError, match=r"claim id 'A4' is already taken by article_sequential"):
        register(again)
    assert CLAIMS["A4"].check.__name__ == "article_sequential_fails_twice"


def test_evidence_is_frozen() -> None:
    evidence = run_claim("A6")
    with pytest.raises(dataclasses.FrozenInstanceError):
        evidence.holds = False  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(Evidence)][:7] == [
        "claim_id",
        "statement",
        "verdict",
        "expected",
        "observed",
        "holds",
        "detail",
    ]


def test_unknown_claim_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"unknown claim 'B1'; expected one of A1, A2, .*A11"):
        run_claim("B1")


def test_check_command_in_a_fresh_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "nnguide", "check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = re.findall(r"^(A\d+)\s+(\w+)\s.*\s(pass|FAIL)$", result.stdout, re.MULTILINE)
    assert [claim_id for claim_id, _, _ in rows] == list(CLAIM_IDS)
    assert all(verdict == VERDICTS[claim_id] for claim_id, verdict, _ in rows)
    assert {result for _, _, result in rows} == {"pass"}
    assert "11 claims checked, 11 hold, 0 fail (torch " in result.stdout
    assert result.stderr == ""


def test_check_fails_when_a_claim_no_longer_holds(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A torch whose ReLU no longer hands over to F.relu: claim A6 must fail.
    def forward(self: nn.ReLU, input: torch.Tensor) -> torch.Tensor:
        return torch.clamp(input, min=0)

    monkeypatch.setattr(nn.ReLU, "forward", forward)
    assert main(["check", "A5", "A6"]) == 1
    out, err = capsys.readouterr()
    assert re.search(r"^A5 .*pass$", out, re.MULTILINE)
    assert re.search(r"^A6 .*return torch.clamp\(input, min=0\)\s+FAIL$", out, re.MULTILINE)
    assert "2 claims checked, 1 hold, 1 fail" in out
    assert err == "no longer holding: A6\n"


def test_check_reports_a_crashing_check_as_failed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def crash(claim_id: str) -> Evidence:
        raise AttributeError("module 'torch' has no attribute 'put_'")

    monkeypatch.setattr(claims, "run_claim", crash)
    assert main(["check", "A8"]) == 1
    out, _ = capsys.readouterr()
    assert re.search(r"^A8 .*the check raised AttributeError", out, re.MULTILINE)


def test_check_verbose_prints_statement_and_correction(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "-v", "A11"]) == 0
    out, _ = capsys.readouterr()
    assert "A11 [misleading] When dropout is written with F.dropout" in out
    assert "corrected: F.dropout's training argument defaults to True" in out
    assert "evidence: elements zeroed out of 1000" in out


def test_check_refuses_an_unknown_claim(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "A12"]) == 2
    assert "unknown claim A12; expected one of A1" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["frobnicate"], []], ids=["unknown", "none"])
def test_usage_names_the_commands(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m nnguide")
    assert "{check,table}" in err


def test_help_lists_both_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert re.search(r"^\s+check\s+run every claim", out, re.MULTILINE)
    assert re.search(
        r"^\s+table\s+print the torch.nn to torch.nn.functional registry", out, re.MULTILINE
    )


def test_table_without_registry_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "nnguide.verification", None)  # makes the import fail
    assert main(["table"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("nnguide table: the module registry is not available")
    assert "nnguide.verification.table_rows could not be imported" in err


class Row(NamedTuple):
    module: str
    counterpart: str
    state: str
    status: str


@pytest.fixture
def fake_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    registry = types.ModuleType("nnguide.verification")
    registry.table_rows = lambda: [  # type: ignore[attr-defined]
        Row("nn.ReLU", "F.relu", "inplace -> inplace", "calls"),
        Row("nn.Linear", "F.linear", "weight, bias -> weight, bias", "calls"),
        Row("nn.Flatten", "", "", "none | no counterpart"),
    ]
    monkeypatch.setitem(sys.modules, "nnguide.verification", registry)


@pytest.mark.usefixtures("fake_registry")
def test_table_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == [
        "| module | counterpart | state | status |",
        "| --- | --- | --- | --- |",
        "| nn.ReLU | F.relu | inplace -> inplace | calls |",
    ]
    assert lines[-1] == "| nn.Flatten |  |  | none \\| no counterpart |"
    assert len(lines) == 5


@pytest.mark.usefixtures("fake_registry")
def test_table_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "module,counterpart,state,status",
        "nn.ReLU,F.relu,inplace -> inplace,calls",
        'nn.Linear,F.linear,"weight, bias -> weight, bias",calls',
        "nn.Flatten,,,none | no counterpart",
    ]


def test_table_with_plain_tuples_uses_default_headers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = types.ModuleType("nnguide.verification")
    registry.table_rows = lambda: [("nn.ReLU", "F.relu", "inplace", "calls")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nnguide.verification", registry)
    assert main(["table", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "module,counterpart,state mapping,status"


def test_table_refuses_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["table", "--format", "html"])
    assert "invalid choice: 'html'" in capsys.readouterr().err


def test_table_prints_the_real_registry(capsys: pytest.CaptureFixture[str]) -> None:
    from nnguide.verification import table_rows

    rows = table_rows()
    assert main(["table", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "module,counterpart,state mapping,status"
    assert len(lines) == len(rows) + 1
    relu = next(row for row in rows if row[0] == "ReLU")
    assert f"ReLU,{relu[1]}," in "\n".join(lines)


def test_a8_reports_the_cublas_check_of_the_installed_release() -> None:
    from nnguide.seeding import torch_checks_cublas_workspace

    detail = run_claim("A8").detail
    assert detail.endswith(f"checks CUBLAS_WORKSPACE_CONFIG: {torch_checks_cublas_workspace()}")


def test_a2_counts_the_functions_not_every_public_name() -> None:
    from nnguide.registry import public_functions

    evidence = run_claim("A2")
    assert evidence.observed.startswith(f"0 of {len(public_functions())} public functions")
