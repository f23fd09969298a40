"""Time eager against torch.compile for one MLP written with torch.nn and with torch.nn.functional.

The performance page times eager calls while the site is built. Compiling takes seconds for
each style, size and workload, and the whole script takes minutes, too long for a build, so
this script measures it separately and writes a JSON file that the page renders with the
device, versions, thread count, sizes and date it was measured with.

    python benchmarks/overhead.py                    # CPU: writes docs/data/overhead_cpu.json
    python benchmarks/overhead.py --device cuda      # GPU: writes docs/data/overhead_gpu.json
    python benchmarks/overhead.py --threads 1        # fewer threads, e.g. on a shared machine
    python benchmarks/overhead.py --quick --out x.json --backend eager   # a smoke test

For each input size, each workload (a forward pass under ``torch.no_grad()``, and a forward
and backward pass), each style (``nn``: ``nn.Linear`` and ``nn.ReLU`` modules; ``F``: one
Module whose ``forward`` calls ``F.linear`` and ``F.relu`` on its own parameters) and each
mode (eager, and ``torch.compile`` with the chosen backend), it records two times per call:
the median over several interleaved rounds of ``Timer.blocked_autorange``, and the best of
many short runs (a busy machine only makes runs slower, so the best comes closest to the
call's own cost). For compiled callables it also records the time of the first call, which
compiles, made in a fresh process with an empty compiler cache so that one style never
reuses what compiling the other left behind (the two styles trace to the same graph).
Before timing, it checks that both styles give the same output and gradients, eager bit for
bit and compiled within float32 tolerance. It imports only torch and the standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
import torch._dynamo
import torch.nn.functional as F
from torch import nn
from torch.utils.benchmark import Timer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "docs" / "data"
OUTPUT = {"cpu": DATA / "overhead_cpu.json", "cuda": DATA / "overhead_gpu.json"}
SCHEMA = 1
STYLES = ("nn", "F")
MODES = ("eager", "compiled")
WORKLOADS = ("forward", "forward+backward")

# (in_features, hidden_features, out_features) and the batch size of each input size.
FULL = {"model": (256, 1024, 10), "batches": {"tiny": 1, "large": 1024}, "rounds": 5, "min_s": 0.2}
QUICK = {"model": (8, 16, 4), "batches": {"tiny": 1, "large": 4}, "rounds": 2, "min_s": 0.01}


class MLPModules(nn.Module):
    """The MLP written with torch.nn: its layers are Modules."""

    def __init__(self, in_features: int, hidden_features: int, out_features: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(in_features, hidden_features)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden_features, out_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.relu(self.fc1(x)))


class MLPFunctional(nn.Module):
    """The same MLP written with torch.nn.functional, on copies of the other's parameters."""

    def __init__(self, source: MLPModules) -> None:
        super().__init__()
        self.w1 = nn.Parameter(source.fc1.weight.detach().clone())
        self.b1 = nn.Parameter(source.fc1.bias.detach().clone())
        self.w2 = nn.Parameter(source.fc2.weight.detach().clone())
        self.b2 = nn.Parameter(source.fc2.bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(F.relu(F.linear(x, self.w1, self.b1)), self.w2, self.b2)


def workload(name: str, model: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor):
    """A callable without arguments that runs ``name`` once."""
    if name == "forward":

        def forward() -> torch.Tensor:
            with torch.no_grad():
                return model(x)

        return forward

    def forward_backward() -> torch.Tensor:
        out = model(x)
        out.sum().backward()
        return out

    return forward_backward


def outputs_and_grads(model: nn.Module, call: Callable[[], torch.Tensor]) -> list[torch.Tensor]:
    """Run ``call`` once from zeroed gradients; its output and the gradients, detached."""
    model.zero_grad(set_to_none=True)
    out = call().detach()
    grads = [p.grad.detach().clone() for p in model.parameters() if p.grad is not None]
    model.zero_grad(set_to_none=True)
    return [out, *grads]


def check_same(results: dict[tuple[str, str], list[torch.Tensor]]) -> None:
    """Eager styles equal bit for bit; every compiled result close to eager nn."""
    reference = results["nn", "eager"]
    for (style, mode), tensors in results.items():
        assert len(tensors) == len(reference), f"{style} {mode}: {len(tensors)} tensors"
        for got, expected in zip(tensors, reference, strict=True):
            if mode == "eager":
                torch.testing.assert_close(got, expected, rtol=0, atol=0)
            else:
                torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-4)


def synchronize(device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def build(config: dict, size: str, device: str) -> tuple[nn.Module, nn.Module, torch.Tensor]:
    """The two models, with equal parameters, and an input of the given size."""
    in_features, hidden_features, out_features = config["model"]
    torch.manual_seed(0)
    modules = MLPModules(in_features, hidden_features, out_features).to(device)
    functional = MLPFunctional(modules).to(device)
    x = torch.randn(config["batches"][size], in_features, device=device)
    return modules, functional, x


def warm_up(device: str, backend: str) -> None:
    """Compile something unrelated: the first compilation in a process imports the compiler."""
    torch.compile(lambda t: t + 1, backend=backend)(torch.zeros(2, device=device))


def probe(device: str, backend: str, config: dict, size: str, name: str, style: str) -> float:
    """Seconds the first call of the compiled ``style`` model takes: the compilation."""
    warm_up(device, backend)
    modules, functional, x = build(config, size, device)
    model = modules if style == "nn" else functional
    call = workload(name, torch.compile(model, backend=backend, dynamic=False), x)
    start = time.perf_counter()
    call()
    synchronize(device)
    return time.perf_counter() - start


def compile_seconds(args: argparse.Namespace, size: str, name: str, style: str) -> float:
    """Run :func:`probe` in a fresh process with an empty compiler cache, so nothing that an
    earlier compilation left behind (in memory or on disk) shortens this one."""
    command = [
        sys.executable, __file__, "--probe", size, name, style, "--device", args.device,
        "--backend", args.backend, "--threads", str(args.threads),
    ] + (["--quick"] if args.quick else [])  # fmt: skip
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "TORCHINDUCTOR_CACHE_DIR": cache}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"overhead: compiling {style} {name} at size {size} failed:\n{done.stderr}"
        )
    return float(done.stdout.strip().splitlines()[-1])


def measure(args: argparse.Namespace, config: dict) -> list[dict[str, object]]:
    """Every combination of size, workload, style and mode, timed in interleaved rounds."""
    device = args.device
    rows: list[dict[str, object]] = []
    warm_up(device, args.backend)
    for size in config["batches"]:
        torch._dynamo.reset()
        modules, functional, x = build(config, size, device)
        models = {"nn": modules, "F": functional}
        for name in WORKLOADS:
            calls: dict[tuple[str, str], Callable[[], torch.Tensor]] = {}
            checked: dict[tuple[str, str], list[torch.Tensor]] = {}
            for style, model in models.items():
                for mode in MODES:
                    runnable = (
                        model
                        if mode == "eager"
                        else torch.compile(model, backend=args.backend, dynamic=False)
                    )
                    calls[style, mode] = workload(name, runnable, x)
                    checked[style, mode] = outputs_and_grads(model, calls[style, mode])
            check_same(checked)
            medians: dict[tuple[str, str], list[float]] = {key: [] for key in calls}
            best = dict.fromkeys(calls, float("inf"))
            print(f"  {size} {name}: timing", file=sys.stderr, flush=True)
            for _ in range(config["rounds"]):
                for key, call in calls.items():
                    timer = Timer("call()", globals={"call": call}, num_threads=args.threads)
                    result = timer.blocked_autorange(min_run_time=config["min_s"])
                    medians[key].append(result.median * 1e6)
                    # Other work only slows a run down: the fastest short run is the closest
                    # to the call's own cost on a busy machine.
                    number = max(1, result.number_per_run // 10)
                    short = min(timer.timeit(number).median for _ in range(10))
                    best[key] = min(best[key], short * 1e6)
            for (style, mode), values in medians.items():
                compiled = mode == "compiled"
                if compiled:
                    print(f"  {size} {name}: compiling {style}", file=sys.stderr, flush=True)
                rows.append(
                    {
                        "size": size,
                        "workload": name,
                        "style": style,
                        "mode": mode,
                        "median_us": round(statistics.median(values), 2),
                        "round_medians_us": [round(v, 2) for v in values],
                        "best_us": round(best[style, mode], 2),
                        "compile_s": (
                            round(compile_seconds(args, size, name, style), 3) if compiled else None
                        ),
                    }
                )
    return rows


def cpu_name() -> str:
    """The processor's model name where Linux tells it, else what platform knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def provenance(device: str, backend: str, config: dict, threads: int) -> dict[str, object]:
    in_features, hidden_features, out_features = config["model"]
    return {
        "schema": SCHEMA,
        "script": "benchmarks/overhead.py",
        "device": device,
        "device_name": torch.cuda.get_device_name(0) if device == "cuda" else cpu_name(),
        "cpu": cpu_name(),
        "cpu_count": os.cpu_count(),
        "threads": threads,
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.timezone.utc).date().isoformat(),
        "backend": backend,
        "compile_s": "first call in a fresh process with an empty compiler cache",
        "model": {
            "in_features": in_features,
            "hidden_features": hidden_features,
            "out_features": out_features,
        },
        "sizes": {size: [batch, in_features] for size, batch in config["batches"].items()},
        "rounds": config["rounds"],
        "min_run_time_s": config["min_s"],
    }


def validate(record: dict) -> None:
    """Raise ``ValueError`` naming the first way ``record`` differs from what this script writes."""
    expected = {
        "schema": int, "script": str, "device": str, "device_name": str, "cpu": str,
        "cpu_count": int, "threads": int, "torch": str, "python": str, "platform": str,
        "date": str, "backend": str, "model": dict, "sizes": dict, "rounds": int,
        "results": list,
    }  # fmt: skip
    for key, kind in expected.items():
        if not isinstance(record.get(key), kind):
            got = type(record.get(key)).__name__ if key in record else "nothing"
            raise ValueError(f"expected {key!r} to be {kind.__name__}, got {got}")
    if record["schema"] != SCHEMA:
        raise ValueError(f"expected schema {SCHEMA}, got {record['schema']}")
    if record["device"] not in OUTPUT:
        raise ValueError(f"expected device in {sorted(OUTPUT)}, got {record['device']!r}")
    expected_keys = {
        (size, name, style, mode)
        for size in record["sizes"]
        for name in WORKLOADS
        for style in STYLES
        for mode in MODES
    }
    fields = ("size", "workload", "style", "mode")
    got_keys = [tuple(row.get(field) for field in fields) for row in record["results"]]
    if sorted(got_keys, key=str) != sorted(expected_keys, key=str):
        raise ValueError(
            f"expected one result for each of {len(expected_keys)} combinations of size, "
            f"workload {WORKLOADS}, style {STYLES} and mode {MODES}, got {len(got_keys)}"
        )
    for row in record["results"]:
        for key in ("median_us", "best_us"):
            value = row.get(key)
            if not isinstance(value, float) or value <= 0:
                raise ValueError(f"expected a positive float {key}, got {value!r} in {row}")
        compiled = row["mode"] == "compiled"
        if compiled != isinstance(row.get("compile_s"), float):
            raise ValueError(f"expected compile_s a float for compiled rows only, got {row}")


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--device", choices=sorted(OUTPUT), default="cpu", help="where to run (default: cpu)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="the JSON file to write (default: docs/data/overhead_cpu.json for the CPU, "
        "docs/data/overhead_gpu.json for CUDA)",
    )
    parser.add_argument(
        "--backend",
        choices=("inductor", "aot_eager", "eager"),
        default="inductor",
        help="torch.compile backend (default: inductor; eager only traces, for a quick check)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=torch.get_num_threads(),
        help=f"torch's CPU threads while timing (default here: {torch.get_num_threads()})",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes and short rounds: checks the script"
    )
    parser.add_argument(
        "--probe", nargs=3, metavar=("SIZE", "WORKLOAD", "STYLE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error(f"argument --threads: expected a positive number, got {args.threads}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    config = QUICK if args.quick else FULL
    torch.set_num_threads(args.threads)
    if args.probe:
        print(probe(args.device, args.backend, config, *args.probe))
        return 0
    out = args.out or OUTPUT[args.device]
    if args.device == "cuda" and not torch.cuda.is_available():
        print(
            f"overhead: --device cuda needs a CUDA device, and torch {torch.__version__} sees "
            f"none (torch.cuda.is_available() is False); {out} was not written. Run it on a "
            f"machine with an NVIDIA GPU and a CUDA build of torch, or use --device cpu.",
            file=sys.stderr,
        )
        return 1
    print(f"overhead: measuring on {args.device}, {args.threads} threads", file=sys.stderr)
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    results = measure(args, config)
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    record = {
        **provenance(args.device, args.backend, config, args.threads),
        # A busy machine slows everything it times: the 1-minute load, before and after.
        "load_average": [load_before, load_after],
        "results": results,
    }
    validate(record)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"overhead: wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
