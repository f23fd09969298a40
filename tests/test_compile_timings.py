"""benchmarks/compile_timings.py: a quick run of its pieces, and the record the page shows."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
import torch
from conftest import load_benchmark, quick_benchmark_run

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "docs" / "data" / "compile_cpu.json"


timings = load_benchmark("compile_timings")


pytestmark = pytest.mark.usefixtures("keep_torch_threads")


@pytest.fixture(scope="module")
def quick_record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A --quick run; the fresh-process compilations stand in at 0.25 s."""
    out = tmp_path_factory.mktemp("compile") / "quick.json"
    return quick_benchmark_run(timings, "first_call_seconds", out)


def test_quick_run_writes_a_valid_record(quick_record: dict):
    timings.validate(quick_record)
    assert quick_record["backend"] == "eager"
    assert quick_record["torch"] == torch.__version__
    assert quick_record["results"]


def test_committed_record_is_valid_and_its_medians_are_the_rounds(quick_record: dict):
    record = json.loads(COMMITTED.read_text(encoding="utf-8"))
    timings.validate(record)
    assert record["backend"] == "inductor"
    for row in record["results"]:
        assert row["median_us"] == statistics.median(row["round_medians_us"])


def test_a_broken_record_is_refused():
    record = json.loads(COMMITTED.read_text(encoding="utf-8"))
    del record["results"]
    with pytest.raises(ValueError, match="expected 'results' to be list, got nothing"):
        timings.validate(record)
