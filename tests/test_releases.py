"""The torch releases checked by nox -s versions: the declared range, the data, the CLI."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import torch
from packaging.requirements import Requirement

from nnguide import CLAIM_IDS
from nnguide.__main__ import main
from nnguide.releases import checked_releases, compare, minor, passed

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "docs" / "data" / "torch_releases.json"
sys.path.insert(0, str(ROOT / "benchmarks"))
import release_probe  # noqa: E402
import torch_releases  # noqa: E402


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return loaded


def declared() -> Requirement:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^dependencies = \["(torch[^"]*)"\]', text, re.MULTILINE)
    assert found, 'pyproject.toml: expected dependencies = ["torch..."]'
    return Requirement(found[1])


def test_the_declared_range_admits_exactly_the_releases_that_passed(
    data: dict[str, Any],
) -> None:
    recorded = {minor(r["version"]): r for r in data["releases"]}
    admitted = [
        (major, n)
        for major in (2, 3)
        for n in range(100)
        if declared().specifier.contains(f"{major}.{n}.0")
    ]
    missing = [m for m in admitted if m not in recorded]
    assert not missing, f"pyproject.toml admits torch {missing}, which the data file lacks"
    failing = [m for m in admitted if torch_releases.problems(recorded[m])]
    assert not failing, f"pyproject.toml admits torch {failing}, on which a check failed"
    passing = [m for m, r in recorded.items() if not torch_releases.problems(r)]
    assert admitted == passing  # and it admits every release that passed
    assert [minor(version) for version in passed()] == passing  # what the package ships


def test_every_release_has_every_claim_of_the_package(data: dict[str, Any]) -> None:
    for release in data["releases"]:
        claims = release["probe"]["claims"]
        assert [c["id"] for c in claims] == list(CLAIM_IDS), release["version"]


def test_the_package_ships_the_summary_of_the_data(data: dict[str, Any]) -> None:
    assert checked_releases() == torch_releases.summary(data)


def test_this_torch_finds_the_modules_recorded_for_its_release(data: dict[str, Any]) -> None:
    mine = [r for r in data["releases"] if minor(r["version"]) == minor(torch.__version__)]
    assert len(mine) == 1, f"no record for torch {torch.__version__}"
    assert release_probe.catalogue() == mine[0]["probe"]["catalogue"]


def test_compare_names_the_release_to_compare_with(data: dict[str, Any]) -> None:
    versions = [r["version"] for r in data["releases"]]
    own = compare(torch.__version__)
    assert own.inside and minor(own.release) == minor(torch.__version__)
    assert own.held == {claim_id: True for claim_id in CLAIM_IDS}
    assert ": its minor release was checked (" in own.line()
    newer = compare("2.99.0")
    assert not newer.inside and newer.release == versions[-1]
    assert newer.line().startswith("torch 2.99.0: its minor release was not checked (")
    n = len(CLAIM_IDS)
    assert f"compare with the nearest, {versions[-1]}: {n} of {n} claims held" in newer.line()
    older = compare("2.0.1")
    assert not older.inside and older.release == versions[0]
    with pytest.raises(ValueError, match=r"expected a torch version such as '2.13.0', got 'x'"):
        compare("x")


def test_check_ends_with_the_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "A6"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == compare(torch.__version__).line()


def test_a_release_that_failed_is_named_and_kept(data: dict[str, Any]) -> None:
    record = copy.deepcopy(data)
    record["releases"][0] = {"version": "2.6.0", "error": "install torch failed: no wheel"}
    claims = record["releases"][1]["probe"]["claims"]
    claims[3] = {**claims[3], "holds": False}
    assert torch_releases.problems(record["releases"][0]) == ["install torch failed: no wheel"]
    assert torch_releases.problems(record["releases"][1]) == [f"claim {claims[3]['id']} fails"]
    summary = torch_releases.summary(record)
    assert summary["releases"]["2.6.0"] == {
        "error": "install torch failed: no wheel",
        "passed": False,
    }
    assert summary["releases"][record["releases"][1]["version"]]["passed"] is False
    assert summary["releases"][record["releases"][1]["version"]]["claims"][claims[3]["id"]] is False


def test_a_run_with_a_failed_release_ends_non_zero_naming_it(
    data: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output, summary = tmp_path / "releases.json", tmp_path / "summary.json"
    output.write_text(json.dumps(data), encoding="utf-8")
    failed = {"version": "2.7.1", "date": "2026-12-03T00:00", "error": "install torch failed: x"}
    monkeypatch.setattr(torch_releases, "run_release", lambda version, work: dict(failed))
    argv = ["torch_releases.py", "2.7.1", "--output", str(output), "--summary", str(summary)]
    monkeypatch.setattr(sys, "argv", argv)
    assert torch_releases.main() == 1
    assert "torch_releases: failed on 2.7.1" in capsys.readouterr().err
    written = json.loads(output.read_text(encoding="utf-8"))
    assert [r["version"] for r in written["releases"]] == [r["version"] for r in data["releases"]]
    assert next(r for r in written["releases"] if r["version"] == "2.7.1") == failed
    # the partial run keeps the full run's date and totals, which describe the others
    assert written["date"] == data["date"]
    assert written["session_seconds"] == data["session_seconds"]
    assert json.loads(summary.read_text())["releases"]["2.7.1"] == {
        "error": "install torch failed: x",
        "passed": False,
    }


def test_check_without_the_record_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nnguide import __main__ as cli
    from nnguide import releases

    monkeypatch.setattr(releases, "CHECKED_FILE", tmp_path / "missing.json")
    releases.checked_releases.cache_clear()
    try:
        line = cli._release_line()
    finally:
        releases.checked_releases.cache_clear()
    assert line.startswith("no record of the checked releases to compare with (")
    assert "missing.json" in line
