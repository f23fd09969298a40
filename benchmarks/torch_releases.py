"""Run the guide's checks on every torch release the package claims: docs/data/torch_releases.json.

For the newest patch of each minor release from the lowest that ``pyproject.toml``'s
torch range admits up to the newest on PyPI (2.6 ... 2.15 in December 2026), one at a
time: create a fresh virtualenv, install that torch (and NumPy, which the claims seed
when it is there), install this checkout of nnguide without dependencies, run
``benchmarks/release_probe.py`` in it, and delete the virtualenv, so the disk holds one
release at a time. ``nox -s versions`` runs this.

    python benchmarks/torch_releases.py                  # the whole range
    python benchmarks/torch_releases.py 2.9.1 2.10.0     # just these (merged into the file)

PyPI's Linux wheels of torch are CUDA builds (about 3 GB with their NVIDIA libraries);
they run on the CPU. pip's local configuration is bypassed (the config file and ``PIP_*`` variables:
see :func:`pip_env`), so that a local cap on torch's version does not hide a release and a
local wheel folder does not replace PyPI's build. A release that fails to
install, to import, or to run the probe is recorded with its error, and the script ends
with status 1 naming it; so does a claim that fails or a verification case that
disagrees (their results are recorded, and the page shows them). It imports only the
standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cublas_check import latest_patches, pip_env  # PyPI, without local pip settings

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "data" / "torch_releases.json"
#: The summary shipped with the package, which ``python -m nnguide check`` reads.
SUMMARY = ROOT / "src" / "nnguide" / "checked_releases.json"
PROBE = ROOT / "benchmarks" / "release_probe.py"
NUMPY = "numpy==2.4.6"  # the release the project's dependency groups pin
PROBE_TIMEOUT = 900
INSTALL_TIMEOUT = 1800


def declared_range() -> tuple[tuple[int, int], tuple[int, int]]:
    """``(lowest, first excluded)`` minor releases of ``torch>=X.Y,<Z`` in pyproject.toml."""
    # A regular expression, not tomllib: the package supports Python 3.10, which lacks it.
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^dependencies = \[.*?"(torch[^"]*)"', text, re.MULTILINE)
    spec = found.group(1) if found else ""
    low = re.search(r">=\s*(\d+)\.(\d+)", spec)
    high = re.search(r"<\s*(\d+)(?:\.(\d+))?", spec)
    if not low or not high:
        raise SystemExit(
            f"torch_releases: cannot read a range from {spec!r}; expected torch>=X.Y,<Z"
        )
    return (int(low[1]), int(low[2])), (int(high[1]), int(high[2] or 0))


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def tail(text: str, limit: int = 1500) -> str:
    return text.strip()[-limit:]


def run_release(version: str, work: Path) -> dict[str, Any]:
    """Install one release in a fresh virtualenv, probe it, remove it; its record."""
    print(f"torch_releases: torch=={version}", file=sys.stderr, flush=True)
    venv = work / f"torch-{version}"
    record: dict[str, Any] = {
        "version": version,
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"),
        "platform": platform.platform(),
    }
    start = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        python = str(venv / "bin" / "python")
        steps = [
            (
                "install torch",
                ["-m", "pip", "install", "--no-cache-dir", f"torch=={version}", NUMPY],
            ),
            ("install nnguide", ["-m", "pip", "install", "--no-cache-dir", "--no-deps", str(ROOT)]),
        ]
        for name, args in steps:
            done = subprocess.run(
                [python, *args],
                env=pip_env(),
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                check=False,
            )
            if done.returncode != 0:
                record["error"] = f"{name} failed: {tail(done.stderr or done.stdout)}"
                return record
        record["install_seconds"] = round(time.perf_counter() - start, 1)
        record["venv_bytes"] = folder_size(venv)
        # Run outside the checkout, so that the installed nnguide is imported, not src/.
        done = subprocess.run(
            [python, str(PROBE)],
            cwd=work,
            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        try:
            record["probe"] = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            record["error"] = (
                f"the probe wrote no JSON (exit {done.returncode}): {tail(done.stderr)}"
            )
            return record
        probe = record["probe"]
        for key in ("import_error", "nnguide_import_error"):
            if key in probe:
                record["error"] = f"{key.replace('_', ' ')}: {tail(probe[key], 600)}"
    except subprocess.TimeoutExpired as error:
        record["error"] = f"timed out after {error.timeout} s: {' '.join(map(str, error.cmd))}"
    finally:
        record["seconds"] = round(time.perf_counter() - start, 1)
        shutil.rmtree(venv, ignore_errors=True)
    return record


def problems(record: dict[str, Any]) -> list[str]:
    """What failed on one release, in words; empty when everything held."""
    if "error" in record:
        return [record["error"].splitlines()[0]]
    probe = record["probe"]
    out = []
    for step in ("claims", "catalogue", "verification", "facts"):
        if isinstance(probe.get(step), dict) and "error" in probe[step]:
            out.append(f"{step} raised: {probe[step]['error'].strip().splitlines()[-1]}")
    if isinstance(probe.get("claims"), list):
        out += [f"claim {c['id']} fails" for c in probe["claims"] if not c.get("holds")]
    failures = probe.get("verification", {}).get("failures", [])
    if failures:
        out.append(f"{len(failures)} verification runs disagree")
    return out


def summary(record: dict[str, Any]) -> dict[str, Any]:
    """Per release, which claims held, how many verification runs disagreed, and whether
    everything held (``passed``: :func:`problems` found nothing), as the package ships it."""
    releases: dict[str, Any] = {}
    for release in record["releases"]:
        probe = release.get("probe", {})
        if "error" in release or not isinstance(probe.get("claims"), list):
            releases[release["version"]] = {"error": problems(release)[0], "passed": False}
            continue
        failures = probe.get("verification", {}).get("failures")
        releases[release["version"]] = {
            "claims": {c["id"]: bool(c.get("holds")) for c in probe["claims"]},
            "verification_failures": len(failures) if isinstance(failures, list) else None,
            "passed": not problems(release),
        }
    return {"source": "docs/data/torch_releases.json", "date": record["date"], "releases": releases}


def write_summary(record: dict[str, Any], path: Path = SUMMARY) -> None:
    path.write_text(json.dumps(summary(record), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="default: the newest patch of each minor")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    parser.add_argument("--summary", type=Path, default=SUMMARY, help=f"default: {SUMMARY}")
    parser.add_argument(
        "--summary-only",
        action="store_true",
        help=f"install nothing: rewrite {SUMMARY.name} from the existing --output file",
    )
    args = parser.parse_args()
    if args.summary_only:
        write_summary(json.loads(args.output.read_text(encoding="utf-8")), args.summary)
        return 0
    low, high = declared_range()
    # From the lowest release declared to the newest on PyPI: a release newer than the
    # declared range is checked too, so that the range can be widened when it passes.
    versions = args.versions or latest_patches(low, (3, 0))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="nnguide-releases-") as folder:
        releases = [run_release(version, Path(folder)) for version in versions]
    run = {
        "date": dt.datetime.now(dt.timezone.utc).date().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "range_when_run": f">={low[0]}.{low[1]},<{high[0]}" + (f".{high[1]}" if high[1] else ""),
        "session_seconds": round(time.perf_counter() - start, 1),
        "largest_venv_bytes": max((r.get("venv_bytes", 0) for r in releases), default=0),
    }
    old: dict[str, Any] = {}
    if args.versions and args.output.exists():
        # A partial run replaces its releases and keeps the rest, and the full run's
        # date and totals, which describe the rest; each release has its own date.
        previous = json.loads(args.output.read_text(encoding="utf-8"))
        old = {r["version"]: r for r in previous["releases"]}
        run = {key: previous.get(key, value) for key, value in run.items()}
    merged = {**old, **{r["version"]: r for r in releases}}
    ordered = sorted(merged.values(), key=lambda r: tuple(map(int, r["version"].split("."))))
    record = {"script": "benchmarks/torch_releases.py", **run, "releases": ordered}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_summary(record, args.summary)
    failed = {}
    for release in releases:
        found = problems(release)
        print(f"  {release['version']}: {'; '.join(found) or 'all hold'}", file=sys.stderr)
        if found:
            failed[release["version"]] = found
    print(f"wrote {args.output} in {record['session_seconds']} s", file=sys.stderr)
    if failed:
        print(f"torch_releases: failed on {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
