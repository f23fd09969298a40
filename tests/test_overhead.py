"""benchmarks/overhead.py: its pieces, quickly, and the record committed for the docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch
from conftest import load_benchmark, quick_benchmark_run

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "docs" / "data" / "overhead_cpu.json"


overhead = load_benchmark("overhead")


pytestmark = pytest.mark.usefixtures("keep_torch_threads")


@pytest.fixture(scope="module")
def quick_record(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A --quick run; the fresh-process compilations stand in at 0.25 s."""
    out = tmp_path_factory.mktemp("overhead") / "quick.json"
    return quick_benchmark_run(overhead, "compile_seconds", out, "--threads", "1")


def test_quick_run_writes_a_valid_record(quick_record: dict):
    overhead.validate(quick_record)
    assert quick_record["sizes"] == {"tiny": [1, 8], "large": [4, 8]}
    assert quick_record["threads"] == 1
    assert quick_record["backend"] == "eager"


def test_record_has_a_result_for_every_combination(quick_record: dict):
    combinations = {
        (row["size"], row["workload"], row["style"], row["mode"]) for row in quick_record["results"]
    }
    assert len(combinations) == len(quick_record["results"]) == 2 * 2 * 2 * 2


def test_validate_names_a_missing_result(quick_record: dict):
    broken = {**quick_record, "results": quick_record["results"][1:]}
    with pytest.raises(ValueError, match="expected one result for each of 16 combinations"):
        overhead.validate(broken)


def test_validate_names_a_missing_field(quick_record: dict):
    broken = {key: value for key, value in quick_record.items() if key != "torch"}
    with pytest.raises(ValueError, match="expected 'torch' to be str, got nothing"):
        overhead.validate(broken)


def test_probe_times_one_compilation():
    torch._dynamo.reset()
    seconds = overhead.probe("cpu", "eager", overhead.QUICK, "tiny", "forward", "F")
    torch._dynamo.reset()
    assert seconds > 0


def test_compile_seconds_runs_the_probe_in_a_fresh_process():
    args = overhead.parse(["--quick", "--backend", "eager", "--threads", "1"])
    assert overhead.compile_seconds(args, "tiny", "forward", "nn") > 0


def test_eager_styles_must_agree_bit_for_bit():
    same = [torch.ones(2)]
    off = [torch.ones(2) + 1e-7]
    with pytest.raises(AssertionError):
        overhead.check_same({("nn", "eager"): same, ("F", "eager"): off})


def test_bad_device_names_the_choices(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stopped:
        overhead.main(["--device", "tpu"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    # Some Python releases quote the choices and some do not; both name them.
    assert "argument --device: invalid choice: 'tpu'" in err
    assert re.search(r"choose from '?cpu'?, '?cuda'?", err), err


def test_threads_must_be_positive(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stopped:
        overhead.main(["--threads", "0"])
    assert stopped.value.code == 2
    assert "expected a positive number, got 0" in capsys.readouterr().err


def test_cuda_without_a_gpu_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    out = tmp_path / "overhead_gpu.json"
    assert overhead.main(["--device", "cuda", "--out", str(out)]) == 1
    assert not out.exists()
    assert "torch.cuda.is_available() is False" in capsys.readouterr().err


def test_committed_cpu_record_is_valid():
    record = json.loads(COMMITTED.read_text(encoding="utf-8"))
    overhead.validate(record)
    assert record["device"] == "cpu"
    assert record["backend"] == "inductor"
