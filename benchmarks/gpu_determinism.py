"""Record what determinism looks like on a CUDA GPU, in docs/data/gpu_determinism.json.

The reproducibility page runs on the CPU when the site is built; it cannot show what a GPU
does. This script measures it on a machine with CUDA, and the page prints the file it
writes (with the device, versions and date it was measured with) when the file exists.

    python benchmarks/gpu_determinism.py            # on a CUDA machine: writes the file
    python benchmarks/gpu_determinism.py --dry-run  # anywhere: runs every probe on the
                                                    # CPU and prints, writing nothing

Without CUDA (and without ``--dry-run``) it says so and exits with status 1, writing
nothing. It imports only torch and the standard library.

Each probe runs in a fresh Python process, because the settings it tests must be in place
before CUDA and cuBLAS start: ``CUBLAS_WORKSPACE_CONFIG`` is read when cuBLAS creates its
workspace, and cuDNN's ``benchmark`` choice is made once per process. Comparing results
across processes is also what "two runs" means to a user.

The facts, each with the value measured on the GPU and, where the same check means
something there, on the CPU of the same machine:

- a small conv net's forward and backward, repeated in one process and in two processes,
  bit for bit, with default settings, with ``cudnn.benchmark = True``, and with every
  deterministic switch on;
- ``index_add_`` and ``scatter_add_`` with many repeated indices, repeated, with and
  without ``torch.use_deterministic_algorithms(True)``;
- whether a matrix product raises under the switch without ``CUBLAS_WORKSPACE_CONFIG``,
  and with it;
- which of a list of operations raise under the switch;
- whether the conv net gives the CPU's numbers on the GPU, with cuDNN's default float32
  precision and with TF32 off.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "data" / "gpu_determinism.json"
CUBLAS_WORKSPACE_CONFIG = ":4096:8"
REPEATS = 5
PROBE_TIMEOUT_S = 300


# -- the work each probe repeats -----------------------------------------------------------


def conv_net() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 32, kernel_size=3, padding=1),
        nn.ReLU(),
        nn.Conv2d(32, 32, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(32, 64, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * 8 * 8, 10),
    )


def conv_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    images = torch.randn(128, 3, 32, 32, generator=generator)
    targets = torch.randn(128, 10, generator=generator)
    return images, targets


def conv_step(model: nn.Module, images: torch.Tensor, targets: torch.Tensor) -> list[torch.Tensor]:
    """One forward and backward; the output and every gradient, on the CPU."""
    model.zero_grad(set_to_none=True)
    output = model(images)
    # mse_loss, not cross_entropy: nll_loss has no deterministic CUDA kernel in some forms.
    F.mse_loss(output, targets).backward()
    return [output.detach().cpu()] + [p.grad.detach().cpu() for p in model.parameters()]


def digest(tensors: list[torch.Tensor]) -> str:
    """A hash of the exact bits of float32 tensors."""
    sha = hashlib.sha256()
    for tensor in tensors:
        bits = tensor.contiguous().view(torch.int32).flatten().tolist()
        sha.update(repr(bits).encode())
    return sha.hexdigest()


def max_difference(a: list[torch.Tensor], b: list[torch.Tensor]) -> float:
    return max((x.double() - y.double()).abs().max().item() for x, y in zip(a, b, strict=True))


def accumulate(op: str, device: str) -> torch.Tensor:
    """Add many values into few slots: the order of the additions decides the last bits."""
    generator = torch.Generator().manual_seed(0)
    index = torch.randint(0, 16, (1_000_000,), generator=generator).to(device)
    values = torch.randn(1_000_000, generator=generator).to(device)
    target = torch.zeros(16, device=device)
    if op == "index_add_":
        target.index_add_(0, index, values)
    else:
        target.scatter_add_(0, index, values)
    return target.cpu()


def candidate_ops(device: str) -> dict[str, Callable[[], object]]:
    """Operations that torch's documentation lists as nondeterministic somewhere.

    The docstring of ``torch.use_deterministic_algorithms`` says which of them raise on
    CUDA; a GPU run reported in this project's issue 11 saw three rows disagree with it
    (bilinear ``interpolate`` backward and ``cumsum`` ran, ``max_pool3d`` backward
    raised), so each is run rather than taken from the list.
    """

    def tensor(*shape: int, grad: bool = False) -> torch.Tensor:
        generator = torch.Generator().manual_seed(0)
        return torch.randn(*shape, generator=generator).to(device).requires_grad_(grad)

    def index(*values: int) -> torch.Tensor:
        return torch.tensor(values, device=device)

    def backward(output: torch.Tensor) -> None:
        output.sum().backward()

    return {
        "Tensor.put_(accumulate=False)": lambda: tensor(3).put_(index(0, 0), tensor(2)),
        "Tensor.put_(accumulate=True)": lambda: tensor(3).put_(
            index(0, 0), tensor(2), accumulate=True
        ),
        "Tensor.index_put_(accumulate=True)": lambda: tensor(3).index_put_(
            (index(0, 0),), tensor(2), accumulate=True
        ),
        "Tensor.index_add_": lambda: tensor(3).index_add_(0, index(0, 0), tensor(2)),
        "Tensor.scatter_add_": lambda: tensor(3).scatter_add_(0, index(0, 0), tensor(2)),
        "torch.histc": lambda: torch.histc(tensor(100)),
        "torch.bincount(weights=...)": lambda: torch.bincount(index(0, 1, 1), weights=tensor(3)),
        "torch.cumsum(float)": lambda: torch.cumsum(tensor(100), dim=0),
        "torch.median(dim=0)": lambda: torch.median(tensor(5, 3), dim=0),
        "F.nll_loss": lambda: F.nll_loss(tensor(4, 3).log_softmax(1), index(0, 1, 2, 0)),
        "F.nll_loss(2d)": lambda: F.nll_loss(
            tensor(2, 3, 4, 4).log_softmax(1), torch.zeros(2, 4, 4, dtype=torch.long, device=device)
        ),
        "F.adaptive_avg_pool2d backward": lambda: backward(
            F.adaptive_avg_pool2d(tensor(1, 2, 7, 7, grad=True), 3)
        ),
        "F.interpolate(bilinear) backward": lambda: backward(
            F.interpolate(tensor(1, 2, 4, 4, grad=True), scale_factor=2, mode="bilinear")
        ),
        "F.max_pool3d backward": lambda: backward(
            F.max_pool3d(tensor(1, 2, 4, 4, 4, grad=True), kernel_size=2)
        ),
        "F.avg_pool3d backward": lambda: backward(
            F.avg_pool3d(tensor(1, 2, 4, 4, 4, grad=True), kernel_size=2)
        ),
        "F.adaptive_max_pool2d backward": lambda: backward(
            F.adaptive_max_pool2d(tensor(1, 2, 7, 7, grad=True), 3)
        ),
        "F.grid_sample backward": lambda: backward(
            F.grid_sample(tensor(1, 2, 4, 4, grad=True), tensor(1, 3, 3, 2).tanh())
        ),
        "F.conv2d forward and backward": lambda: backward(
            F.conv2d(tensor(2, 3, 8, 8, grad=True), tensor(4, 3, 3, 3))
        ),
    }


# -- probes: each runs in its own process and prints one JSON object ---------------------


def set_switches(deterministic: bool, benchmark: bool) -> None:
    if deterministic:  # off is the default; the first call costs seconds (imports Inductor)
        torch.use_deterministic_algorithms(True)
    torch.backends.cudnn.deterministic = deterministic
    torch.backends.cudnn.benchmark = benchmark


def probe_conv(device: str, mode: str) -> dict[str, object]:
    set_switches(deterministic=mode == "deterministic", benchmark=mode == "benchmark")
    torch.manual_seed(0)
    model = conv_net().to(device)
    images, targets = (t.to(device) for t in conv_inputs())
    runs = [conv_step(model, images, targets) for _ in range(REPEATS)]
    return {
        "digest": digest(runs[0]),
        "repeatable": all(digest(run) == digest(runs[0]) for run in runs[1:]),
        "max_abs_difference": max(max_difference(runs[0], run) for run in runs[1:]),
    }


def probe_accumulate(device: str, mode: str) -> dict[str, object]:
    set_switches(deterministic=mode == "deterministic", benchmark=False)
    result = {}
    for op in ("index_add_", "scatter_add_"):
        runs = [accumulate(op, device) for _ in range(REPEATS)]
        result[op] = all(torch.equal(runs[0], run) for run in runs[1:])
    return result


def probe_matmul(device: str, mode: str) -> dict[str, object]:
    set_switches(deterministic=True, benchmark=False)
    a = torch.randn(64, 64, device=device)
    try:
        (a @ a).sum().item()
    except RuntimeError as error:
        return {"raises": True, "message": str(error).splitlines()[0][:200]}
    return {"raises": False, "message": ""}


def probe_ops(device: str, mode: str) -> dict[str, object]:
    set_switches(deterministic=True, benchmark=False)
    result = {}
    for name, op in candidate_ops(device).items():
        try:
            op()
            if device == "cuda":
                torch.cuda.synchronize()
        except RuntimeError as error:
            if "does not have a deterministic implementation" in str(error):
                result[name] = True
            else:
                result[name] = f"RuntimeError: {str(error).splitlines()[0][:120]}"
        except Exception as error:  # e.g. NotImplementedError: record it, keep going
            result[name] = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
        else:
            result[name] = False
    return result


def probe_cpu_vs_cuda(device: str, mode: str) -> dict[str, object]:
    """The conv net on the CPU and on ``device`` from the same weights and inputs."""
    if mode == "ieee":
        torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    model = conv_net()
    images, targets = conv_inputs()
    on_cpu = conv_step(model, images, targets)
    on_device = conv_step(model.to(device), images.to(device), targets.to(device))
    return {
        "identical": digest(on_cpu) == digest(on_device),
        "max_abs_difference": max_difference(on_cpu, on_device),
        "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
    }


PROBES = {
    "conv": probe_conv,
    "accumulate": probe_accumulate,
    "matmul": probe_matmul,
    "ops": probe_ops,
    "cpu_vs_cuda": probe_cpu_vs_cuda,
}


def run_probe(name: str, device: str, mode: str = "", cublas: bool = True) -> dict:
    """Run one probe in a fresh interpreter; ``cublas`` sets CUBLAS_WORKSPACE_CONFIG."""
    env = dict(os.environ)
    env.pop("CUBLAS_WORKSPACE_CONFIG", None)
    if cublas:
        env["CUBLAS_WORKSPACE_CONFIG"] = CUBLAS_WORKSPACE_CONFIG
    command = [sys.executable, __file__, "--probe", name, "--device", device, "--mode", mode]
    print(f"  probe {name} {mode or ''} on {device}", file=sys.stderr, flush=True)
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=PROBE_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"probe {name} {mode} on {device} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the facts ----------------------------------------------------------------------------


def fact(name: str, description: str, value: object, cpu: object = None) -> dict[str, object]:
    return {"name": name, "description": description, "value": value, "cpu": cpu}


def measure(device: str) -> list[dict[str, object]]:
    facts = []
    for mode, setting in [
        ("default", "default settings"),
        ("benchmark", "torch.backends.cudnn.benchmark = True"),
        (
            "deterministic",
            "use_deterministic_algorithms(True), cudnn.deterministic = True, "
            "cudnn.benchmark = False, CUBLAS_WORKSPACE_CONFIG set",
        ),
    ]:
        first, second = run_probe("conv", device, mode), run_probe("conv", device, mode)
        cpu = run_probe("conv", "cpu", mode) if mode != "benchmark" else None
        facts.append(
            fact(
                f"conv.{mode}.repeatable_in_process",
                f"A conv net's forward and backward, {REPEATS} times in one process, "
                f"bit-identical output and gradients ({setting}).",
                first["repeatable"] and second["repeatable"],
                cpu and cpu["repeatable"],
            )
        )
        facts.append(
            fact(
                f"conv.{mode}.max_abs_difference_in_process",
                f"Largest difference between those {REPEATS} repeats ({setting}).",
                max(first["max_abs_difference"], second["max_abs_difference"]),
                cpu and cpu["max_abs_difference"],
            )
        )
        facts.append(
            fact(
                f"conv.{mode}.repeatable_across_processes",
                f"The same step in two separate processes, bit-identical ({setting}).",
                first["digest"] == second["digest"],
                cpu and cpu["digest"] == run_probe("conv", "cpu", mode)["digest"],
            )
        )

    for mode, setting in [
        ("default", "default settings"),
        ("deterministic", "use_deterministic_algorithms(True)"),
    ]:
        gpu, cpu = run_probe("accumulate", device, mode), run_probe("accumulate", "cpu", mode)
        for op in ("index_add_", "scatter_add_"):
            facts.append(
                fact(
                    f"{op}.{mode}.repeatable",
                    f"{op} of 1,000,000 values into 16 slots, {REPEATS} times, "
                    f"bit-identical ({setting}).",
                    gpu[op],
                    cpu[op],
                )
            )

    for cublas, setting in [(False, "unset"), (True, f"set to {CUBLAS_WORKSPACE_CONFIG}")]:
        result = run_probe("matmul", device, cublas=cublas)
        facts.append(
            fact(
                f"matmul.deterministic.cublas_config_{'set' if cublas else 'unset'}.raises",
                "A float32 matrix product under use_deterministic_algorithms(True) raises "
                f"RuntimeError, CUBLAS_WORKSPACE_CONFIG {setting}."
                + (f" Message: {result['message']}" if result["message"] else ""),
                result["raises"],
                run_probe("matmul", "cpu", cublas=cublas)["raises"],
            )
        )

    gpu, cpu = run_probe("ops", device), run_probe("ops", "cpu")
    for name in gpu:
        facts.append(
            fact(
                f"raises.{name}",
                f"{name} raises 'does not have a deterministic implementation' under "
                "use_deterministic_algorithms(True).",
                gpu[name],
                cpu[name],
            )
        )

    for mode, setting in [
        ("default", "cuDNN's default float32 precision"),
        ("ieee", "torch.backends.cudnn.allow_tf32 = False"),
    ]:
        result = run_probe("cpu_vs_cuda", device, mode)
        facts.append(
            fact(
                f"cpu_vs_gpu.{mode}.identical",
                f"The conv net's output and gradients on the GPU equal the CPU's bit for bit "
                f"({setting}; allow_tf32 was {result['cudnn_allow_tf32']}).",
                result["identical"],
            )
        )
        facts.append(
            fact(
                f"cpu_vs_gpu.{mode}.max_abs_difference",
                f"Largest difference between the GPU's and the CPU's numbers ({setting}).",
                result["max_abs_difference"],
            )
        )
    return facts


def cublas_check_in_library() -> bool:
    """Whether libtorch_cpu.so holds the CUBLAS_WORKSPACE_CONFIG check's message."""
    import mmap

    library = Path(torch.__file__).parent / "lib" / "libtorch_cpu.so"
    with library.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b"it uses CuBLAS and you have CUDA >= 10.2") != -1


def provenance(device: str) -> dict[str, object]:
    return {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu (dry run)",
        "torch": torch.__version__,
        "cuda": torch.version.cuda,
        "cudnn": torch.backends.cudnn.version() if device == "cuda" else None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.timezone.utc).date().isoformat(),
        "script": "benchmarks/gpu_determinism.py",
        # Whether this torch's library still holds the CUBLAS_WORKSPACE_CONFIG check
        # (benchmarks/cublas_check.py tells it the same way, per release).
        "cublas_workspace_check_in_library": cublas_check_in_library(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="run every probe with the CPU standing in for the GPU; print, write nothing",
    )
    parser.add_argument("--probe", choices=PROBES, help=argparse.SUPPRESS)
    parser.add_argument("--device", default="cuda", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.probe:
        print(json.dumps(PROBES[args.probe](args.device, args.mode)))
        return 0

    device = "cpu" if args.dry_run else "cuda"
    if device == "cuda" and not torch.cuda.is_available():
        print(
            f"gpu_determinism: no CUDA device is available to torch {torch.__version__} "
            f"(torch.cuda.is_available() is False), so there is nothing to measure; "
            f"{args.output} was not written. Run this on a machine with an NVIDIA GPU and "
            f"a CUDA build of torch, or pass --dry-run to exercise the script on the CPU.",
            file=sys.stderr,
        )
        return 1

    print(f"measuring on {device}", file=sys.stderr)
    record = {**provenance(device), "facts": measure(device)}
    text = json.dumps(record, indent=2) + "\n"
    if args.dry_run:
        print(text, end="")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
