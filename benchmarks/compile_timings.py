"""Time one MLP with dropout, written with torch.nn and with F, eager and compiled.

The compile page (docs/compile.md) runs ``torch.compile`` with a backend that only records
the graph, so that it executes in seconds. Compiling with Inductor, the default backend,
takes seconds for every model, mode and input size, so this script measures the compiled
timings separately and writes them, with the machine, the versions and the date, to a JSON
file that the page shows.

    python benchmarks/compile_timings.py                  # writes docs/data/compile_cpu.json
    python benchmarks/compile_timings.py --quick --backend eager --out x.json   # a smoke test

The MLP is ``Linear, ReLU, Dropout, Linear``. Style ``nn`` uses ``nn.Linear``, ``nn.ReLU``
and ``nn.Dropout`` modules; style ``F`` is one Module whose ``forward`` calls ``F.linear``,
``F.relu`` and ``F.dropout(..., training=self.training)`` on its own parameters, copied
from the ``nn`` model. Two workloads: ``eval``, a forward pass after ``model.eval()`` under
``torch.no_grad()``, and ``train``, a forward and backward pass after ``model.train()``.
Each combination of size, workload, style and mode (eager, or ``torch.compile`` with the
chosen backend) is timed with ``torch.utils.benchmark.Timer.blocked_autorange`` in several
interleaved rounds; the record keeps every round's median and the median of those. For a
compiled callable it also keeps the time of its first call, which compiles, measured in a
fresh process with an empty Inductor cache directory: the two styles trace to the same
graph, and any cache, in memory or on disk, would let the second reuse the first's work.

Before timing, it checks that the two eager styles give the same output bit for bit in
evaluation mode, and that every compiled output there is close to eager. It imports only
torch and the standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.benchmark import Timer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overhead import cpu_name  # the processor's name, as overhead.py records it

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "data" / "compile_cpu.json"
SCHEMA = 1
STYLES = ("nn", "F")
MODES = ("eager", "compiled")
WORKLOADS = ("eval", "train")
P = 0.1

FULL = {"model": (256, 1024, 10), "batches": {"tiny": 1, "large": 256}, "rounds": 5, "min_s": 0.2}
QUICK = {"model": (8, 16, 4), "batches": {"tiny": 1, "large": 4}, "rounds": 2, "min_s": 0.01}


class MLPModules(nn.Module):
    """The MLP written with torch.nn: its layers are Modules."""

    def __init__(self, n_in: int, n_hidden: int, n_out: int, p: float) -> None:
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.relu = nn.ReLU()
        self.drop = nn.Dropout(p)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.drop(self.relu(self.fc1(x))))


class MLPFunctional(nn.Module):
    """The same MLP written with torch.nn.functional, on copies of the other's parameters."""

    def __init__(self, source: MLPModules) -> None:
        super().__init__()
        self.p = source.drop.p
        self.w1 = nn.Parameter(source.fc1.weight.detach().clone())
        self.b1 = nn.Parameter(source.fc1.bias.detach().clone())
        self.w2 = nn.Parameter(source.fc2.weight.detach().clone())
        self.b2 = nn.Parameter(source.fc2.bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        hidden = F.relu(F.linear(x, self.w1, self.b1))
        hidden = F.dropout(hidden, self.p, training=self.training)
        return F.linear(hidden, self.w2, self.b2)


def workload(name: str, model: nn.Module, run: Callable[[torch.Tensor], torch.Tensor], x):
    """A callable without arguments that runs ``name`` once; it sets the model's mode first."""
    if name == "eval":

        def evaluate() -> torch.Tensor:
            model.eval()
            with torch.no_grad():
                return run(x)

        return evaluate

    def train() -> torch.Tensor:
        model.train()
        out = run(x)
        out.sum().backward()
        return out

    return train


def build(config: dict, size: str) -> tuple[dict[str, nn.Module], torch.Tensor]:
    n_in, n_hidden, n_out = config["model"]
    torch.manual_seed(0)
    modules = MLPModules(n_in, n_hidden, n_out, P)
    x = torch.randn(config["batches"][size], n_in)
    return {"nn": modules, "F": MLPFunctional(modules)}, x


def warm_up(backend: str) -> None:
    """Compile something unrelated: the first compilation in a process imports the compiler."""
    torch.compile(lambda t: t + 1, backend=backend)(torch.zeros(2))


def probe(backend: str, config: dict, size: str, name: str, style: str) -> float:
    """Seconds the first call of the compiled ``style`` model takes: the compilation."""
    warm_up(backend)
    models, x = build(config, size)
    model = models[style]
    call = workload(name, model, torch.compile(model, backend=backend, dynamic=False), x)
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def first_call_seconds(args: argparse.Namespace, size: str, name: str, style: str) -> float:
    """:func:`probe` in a fresh process whose Inductor cache directory is new and empty."""
    command = [sys.executable, __file__, "--probe", size, name, style, "--backend", args.backend]
    command += ["--quick"] if args.quick else []
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "TORCHINDUCTOR_CACHE_DIR": cache}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"compile_timings: compiling {style} {name} {size} failed:\n{done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


def measure(args: argparse.Namespace, config: dict) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    warm_up(args.backend)
    for size in config["batches"]:
        models, x = build(config, size)
        for name in WORKLOADS:
            calls: dict[tuple[str, str], Callable[[], torch.Tensor]] = {}
            first_call_s: dict[str, float] = {}
            for style, model in models.items():
                calls[style, "eager"] = workload(name, model, model, x)
                compiled = torch.compile(model, backend=args.backend, dynamic=False)
                calls[style, "compiled"] = workload(name, model, compiled, x)
                calls[style, "compiled"]()
                first_call_s[style] = first_call_seconds(args, size, name, style)
            if name == "eval":
                reference = calls["nn", "eager"]()
                torch.testing.assert_close(calls["F", "eager"](), reference, rtol=0, atol=0)
                for style in STYLES:
                    torch.testing.assert_close(calls[style, "compiled"](), reference)
            medians: dict[tuple[str, str], list[float]] = {key: [] for key in calls}
            print(f"  {size} {name}: timing", file=sys.stderr, flush=True)
            for _ in range(config["rounds"]):
                for key, call in calls.items():
                    timer = Timer("call()", globals={"call": call}, num_threads=1)
                    result = timer.blocked_autorange(min_run_time=config["min_s"])
                    medians[key].append(result.median * 1e6)
            for (style, mode), values in medians.items():
                rows.append(
                    {
                        "size": size,
                        "workload": name,
                        "style": style,
                        "mode": mode,
                        "median_us": round(statistics.median(values), 2),
                        "round_medians_us": [round(v, 2) for v in values],
                        "first_call_s": (
                            round(first_call_s[style], 3) if mode == "compiled" else None
                        ),
                    }
                )
    return rows


def c_compiler() -> str | None:
    """The first line of ``cc --version`` (Inductor's CPU code is compiled with it), or None."""
    for name in ("cc", "gcc", "clang"):
        path = shutil.which(name)
        if path:
            done = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
            return done.stdout.splitlines()[0] if done.stdout else None
    return None


def blas_lines() -> list[str]:
    """What ``torch.__config__.show()`` says about the BLAS, oneDNN and OpenMP of this build."""
    show = torch.__config__.show()
    words = ("BLAS", "Math Kernel Library", "MKL-DNN", "oneDNN", "OpenMP")
    lines = [
        line.strip(" -")
        for line in show.splitlines()
        if any(word in line for word in words) and "Build settings" not in line
    ]
    lines += re.findall(r"BLAS_INFO=\w+", show)
    return lines


def validate(record: dict) -> None:
    """Raise ``ValueError`` naming the first way ``record`` differs from what this script writes."""
    expected = {
        "schema": int, "script": str, "torch": str, "python": str, "cpu": str,
        "cpu_count": int, "cpu_capability": str, "blas": list, "platform": str, "date": str,
        "backend": str, "threads": int,
        "model": dict, "sizes": dict, "rounds": int, "results": list,
    }  # fmt: skip
    for key, kind in expected.items():
        if not isinstance(record.get(key), kind):
            got = type(record.get(key)).__name__ if key in record else "nothing"
            raise ValueError(f"expected {key!r} to be {kind.__name__}, got {got}")
    if record["schema"] != SCHEMA:
        raise ValueError(f"expected schema {SCHEMA}, got {record['schema']}")
    keys = sorted(
        (row.get("size"), row.get("workload"), row.get("style"), row.get("mode"))
        for row in record["results"]
    )
    wanted = sorted(
        (size, name, style, mode)
        for size in record["sizes"]
        for name in WORKLOADS
        for style in STYLES
        for mode in MODES
    )
    if keys != wanted:
        raise ValueError(f"expected one result for each of {len(wanted)} combinations")
    for row in record["results"]:
        if not isinstance(row.get("median_us"), float) or row["median_us"] <= 0:
            raise ValueError(f"expected a positive float median_us in {row}")
        if (row["mode"] == "compiled") != isinstance(row.get("first_call_s"), float):
            raise ValueError(f"expected first_call_s a float for compiled rows only: {row}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument(
        "--backend",
        choices=("inductor", "aot_eager", "eager"),
        default="inductor",
        help="torch.compile backend (default: inductor; eager only traces, for a quick check)",
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the script")
    parser.add_argument(
        "--probe", nargs=3, metavar=("SIZE", "WORKLOAD", "STYLE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    config = QUICK if args.quick else FULL
    torch.set_num_threads(1)
    if args.probe:
        print(probe(args.backend, config, *args.probe))
        return 0
    n_in, n_hidden, n_out = config["model"]
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    started = dt.datetime.now(dt.timezone.utc)
    results = measure(args, config)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    record = {
        "schema": SCHEMA,
        "script": "benchmarks/compile_timings.py",
        "torch": torch.__version__,
        "python": platform.python_version(),
        "cpu": cpu_name(),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "c_compiler": c_compiler(),
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "blas": blas_lines(),
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "backend": args.backend,
        "threads": torch.get_num_threads(),
        "model": {"in": n_in, "hidden": n_hidden, "out": n_out, "dropout": P},
        "sizes": {size: [batch, n_in] for size, batch in config["batches"].items()},
        "rounds": config["rounds"],
        "min_run_time_s": config["min_s"],
        "first_call_s": "first call in a fresh process with an empty Inductor cache directory",
        "load_average": [load_before, load_after],
        "results": results,
    }
    validate(record)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"compile_timings: wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
