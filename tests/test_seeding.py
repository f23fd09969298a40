"""seed_everything makes a small training run bit-identical, and sets only what it says."""

# NumPy's legacy global generator is the one seed_everything seeds: the tests read it.
# ruff: noqa: NPY002

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch

from nnguide.seeding import (
    CUBLAS_CHECK_MESSAGE,
    CUBLAS_CHECK_REMOVED_IN,
    cublas_check_in_library,
    seed_everything,
    seed_worker,
    seeded_generator,
    torch_checks_cublas_workspace,
)

DATA = Path(__file__).resolve().parents[1] / "docs" / "data"
# Two epochs of Adam steps on the MLP with generated data. The Dataset adds noise drawn from
# Python's, NumPy's and torch's generators inside two DataLoader workers, and the loader
# shuffles, so every source of randomness the seeding helpers cover takes part. For each
# seed given, the script prints one line: every loss in hexadecimal (exact), then a hash of
# the final parameters' bytes.
TRAINING_RUN = textwrap.dedent(
    """
    import hashlib, multiprocessing, random, sys

    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, Dataset

    from nnguide.models import MLP
    from nnguide.seeding import seed_everything, seed_worker, seeded_generator


    class Noisy(Dataset):
        def __init__(self):
            self.x = torch.randn(48, 10)
            self.y = torch.randint(3, (48,))

        def __len__(self):
            return len(self.y)

        def __getitem__(self, i):
            noise = random.random() + float(np.random.rand()) + torch.rand(()).item()
            return self.x[i] + 0.1 * noise, self.y[i]


    def train(seed):
        seed_everything(seed)
        assert torch.are_deterministic_algorithms_enabled()
        fork = "fork" in multiprocessing.get_all_start_methods()
        loader = DataLoader(
            Noisy(), batch_size=8, shuffle=True, generator=seeded_generator(seed),
            num_workers=2 if fork else 0, worker_init_fn=seed_worker,
            multiprocessing_context="fork" if fork else None, persistent_workers=fork,
        )
        model = MLP(10, 16, 3)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        losses = []
        for epoch in range(2):
            for x, y in loader:
                loss = F.cross_entropy(model(x), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item().hex())
        digest = hashlib.sha256()
        for tensor in model.state_dict().values():
            digest.update(tensor.numpy().tobytes())
        return " ".join(losses) + " " + digest.hexdigest()


    for seed in sys.argv[1:]:
        print(train(int(seed)))
    """
)


def run_training(seeds: list[int], processes: int) -> list[list[str]]:
    """Run TRAINING_RUN for ``seeds`` in each of ``processes`` fresh interpreters at once.

    Returns one line per seed (the losses and the hash) for each process.
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-W", "error", "-c", TRAINING_RUN, *map(str, seeds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    outputs = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        outputs.append(stdout.splitlines())
    return outputs


def test_training_run_is_bit_identical_across_processes() -> None:
    first, second = run_training([0, 1, 0], processes=2)
    assert first == second  # a fresh interpreter repeats every loss and every weight
    assert first[0] == first[2]  # seeding again repeats the run within a process
    assert first[0] != first[1]  # and the seed matters
    assert len(first[0].split()) == 2 * 48 // 8 + 1  # one loss per step, then the hash


GlobalState = dict[str, object]


def global_state() -> GlobalState:
    """Everything seed_everything may touch, read back from the process."""
    return {
        "use_deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
        "warn_only": torch.is_deterministic_algorithms_warn_only_enabled(),
        "cudnn.deterministic": torch.backends.cudnn.deterministic,
        "cudnn.benchmark": torch.backends.cudnn.benchmark,
        "CUBLAS_WORKSPACE_CONFIG": os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
        "random": random.getstate(),
        "numpy": np.random.get_state()[1].tobytes(),
        "torch": torch.get_rng_state(),
        "environ": dict(os.environ),
    }


@pytest.fixture
def restore_global_state() -> Iterator[None]:
    """Put back every switch and generator the test's seed_everything calls changed."""
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    enabled = torch.are_deterministic_algorithms_enabled()
    cudnn = (torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
    environ = dict(os.environ)
    states = random.getstate(), np.random.get_state(), torch.get_rng_state()
    yield
    torch.use_deterministic_algorithms(enabled, warn_only=warn_only)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = cudnn
    os.environ.clear()
    os.environ.update(environ)
    random.setstate(states[0])
    np.random.set_state(states[1])
    torch.set_rng_state(states[2])


def changed(before: GlobalState, after: GlobalState) -> set[str]:
    return {
        key
        for key in before
        if not (
            torch.equal(before[key], after[key])  # type: ignore[arg-type]
            if isinstance(before[key], torch.Tensor)
            else before[key] == after[key]
        )
    }


@pytest.mark.usefixtures("restore_global_state")
def test_deterministic_run_sets_exactly_what_it_reports() -> None:
    torch.use_deterministic_algorithms(False)
    torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = False, True
    before = global_state()
    settings = seed_everything(1234)
    after = global_state()

    assert settings["seed"] == 1234
    assert settings["cuda"] == torch.cuda.is_available()
    reported_switches = {
        key for key in settings if key not in {"seed", "cuda", "random", "numpy", "torch"}
    }
    for key in reported_switches:
        assert after[key] == settings[key], key
    expected = reported_switches | {"random", "numpy", "torch"}
    if "CUBLAS_WORKSPACE_CONFIG" in settings and before["CUBLAS_WORKSPACE_CONFIG"] is None:
        expected.add("environ")
    assert changed(before, after) == expected
    assert after["warn_only"] is False


@pytest.mark.usefixtures("restore_global_state")
def test_without_deterministic_only_generators_change() -> None:
    before = global_state()
    settings = seed_everything(7, deterministic=False)
    assert changed(before, global_state()) == {"random", "numpy", "torch"}
    assert set(settings) == {"seed", "random", "numpy", "torch", "cuda"}


@pytest.mark.usefixtures("restore_global_state")
def test_same_seed_same_draws_from_all_three_libraries() -> None:
    draws = []
    for _ in range(2):
        seed_everything(99, deterministic=False)
        draws.append((random.random(), float(np.random.rand()), torch.rand(()).item()))
    assert draws[0] == draws[1]


@pytest.mark.usefixtures("restore_global_state")
def test_numpy_integer_seed_is_accepted() -> None:
    assert seed_everything(np.int64(5), deterministic=False)["seed"] == 5  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (-1, ValueError, r"between 0 and 4294967295, got -1$"),
        (2**32, ValueError, r"got 4294967296$"),
        (True, TypeError, r"got bool True$"),
        (1.5, TypeError, r"got float 1\.5$"),
        ("3", TypeError, r"got str '3'$"),
        (None, TypeError, r"got NoneType None$"),
    ],
)
def test_bad_seed_is_refused_before_anything_is_seeded(
    seed: object, error: type[Exception], message: str
) -> None:
    before = global_state()
    with pytest.raises(error, match=message):
        seed_everything(seed)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        seeded_generator(seed)  # type: ignore[arg-type]
    assert changed(before, global_state()) == set()


@pytest.mark.usefixtures("restore_global_state")
def test_seeded_generator_ignores_the_global_generator() -> None:
    orders = []
    for global_seed in (0, 1):
        torch.manual_seed(global_seed)
        loader = torch.utils.data.DataLoader(
            torch.arange(10), batch_size=10, shuffle=True, generator=seeded_generator(3)
        )
        orders.append(next(iter(loader)))
    assert torch.equal(orders[0], orders[1])
    assert not torch.equal(orders[0], torch.arange(10))


@pytest.mark.usefixtures("restore_global_state")
def test_seed_worker_derives_from_torch_initial_seed() -> None:
    torch.manual_seed(2**32 + 11)  # a worker's seed can exceed NumPy's range
    seed_worker(0)
    draws = random.random(), float(np.random.rand())
    random.seed(11)
    np.random.seed(11)
    assert draws == (random.random(), float(np.random.rand()))


@pytest.mark.usefixtures("restore_global_state")
@pytest.mark.parametrize("preset", [None, ":16:8"])
def test_on_cuda_cublas_workspace_is_set_unless_already_set(
    monkeypatch: pytest.MonkeyPatch, preset: str | None
) -> None:
    # No GPU is needed: the CUDA branch is driven through torch.cuda's two entry points,
    # and a release that still checks the variable through torch.__version__.
    # torch.manual_seed itself seeds every GPU through torch.cuda.manual_seed_all.
    seeded: list[int] = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "manual_seed_all", seeded.append)
    monkeypatch.setattr(torch, "__version__", "2.9.1+cu128")
    if preset is None:
        monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    else:
        monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", preset)
    settings = seed_everything(3)
    expected = preset or ":4096:8"
    assert seeded == [3]
    assert settings["cuda"] is True
    assert settings["CUBLAS_WORKSPACE_CONFIG"] == expected
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == expected
    assert seed_everything(3, deterministic=False)["cuda"] is True
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == expected


@pytest.mark.usefixtures("restore_global_state")
@pytest.mark.parametrize("version", ["2.10.0", "2.13.0+cpu", "2.15.0"])
def test_on_cuda_a_torch_without_the_check_leaves_the_variable_alone(
    monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "manual_seed_all", lambda seed: None)
    monkeypatch.setattr(torch, "__version__", version)
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    settings = seed_everything(3)
    assert settings["CUBLAS_WORKSPACE_CONFIG"] is None
    assert "CUBLAS_WORKSPACE_CONFIG" not in os.environ


@pytest.mark.parametrize(
    ("version", "checks"),
    [
        ("2.6.0", True),
        ("2.9.1+cu128", True),
        ("2.10.0a0+git5c1d7e2", True),
        ("2.10.0rc3", True),
        ("2.10.0", False),
        ("2.10.0+cpu", False),
        ("2.13.0", False),
        ("3.0.0", False),
    ],
)
def test_torch_checks_cublas_workspace_by_release(version: str, checks: bool) -> None:
    assert torch_checks_cublas_workspace(version) is checks


@pytest.mark.parametrize("version", ["", "latest", "two.ten"])
def test_torch_checks_cublas_workspace_rejects_what_is_not_a_version(version: str) -> None:
    with pytest.raises(ValueError, match=rf"expected a torch version string .*, got '{version}'"):
        torch_checks_cublas_workspace(version)


def test_the_release_threshold_agrees_with_the_recorded_wheel_scan() -> None:
    """docs/data/cublas_check.json (benchmarks/cublas_check.py) agrees with the threshold."""
    record = json.loads((DATA / "cublas_check.json").read_text(encoding="utf-8"))
    releases = record["releases"]
    assert not [r for r in releases if "error" in r]
    for release in releases:
        assert release["checks_cublas_workspace"] == torch_checks_cublas_workspace(
            release["version"]
        ), release["version"]
    versions = [tuple(int(p) for p in r["version"].split(".")[:2]) for r in releases]
    assert CUBLAS_CHECK_REMOVED_IN in versions
    assert any(v < CUBLAS_CHECK_REMOVED_IN for v in versions)  # both sides were scanned


def test_the_installed_torch_agrees_with_the_threshold() -> None:
    """The check's message is in the installed libtorch_cpu exactly when the threshold says."""
    message = json.loads((DATA / "cublas_check.json").read_text(encoding="utf-8"))["message"]
    assert message.encode() == CUBLAS_CHECK_MESSAGE
    found = cublas_check_in_library()
    assert found is not None  # the library was found and read (its control message is there)
    assert found == torch_checks_cublas_workspace()
