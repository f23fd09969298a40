"""Which torch releases still check ``CUBLAS_WORKSPACE_CONFIG``: docs/data/cublas_check.json.

Releases before pytorch/pytorch#161749 raise ``RuntimeError`` on a cuBLAS matrix product
under ``torch.use_deterministic_algorithms(True)`` unless ``CUBLAS_WORKSPACE_CONFIG`` is
set; that error is raised by ``at::Context::alertCuBLASConfigNotDeterministic``, compiled
into ``libtorch_cpu.so``. Whether a release still has the check can be told without a GPU:
its message is in the library's bytes, or it is not. This script downloads each release's
Linux wheel from PyPI (one at a time, deleted after use), looks for the message in every
``torch/lib/*.so`` of the wheel, and records the result with the wheel's name and SHA-256.
``nnguide.seeding.CUBLAS_CHECK_REMOVED_IN`` is the first release without it; a test checks
the two agree, and that the installed torch agrees with both.

    python benchmarks/cublas_check.py                 # the latest patch of 2.6 ... newest
    python benchmarks/cublas_check.py 2.9.1 2.10.0    # just these

It needs the network to PyPI (about 900 MB a wheel) and is not part of the build or CI.
pip's local configuration is bypassed (the config file and ``PIP_*`` variables: see
:func:`pip_env`), so that a local cap on torch's version does not hide a release and a
local wheel folder does not replace PyPI's wheel. It imports only the standard library.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "data" / "cublas_check.json"
#: A phrase of the error message that the check raises, in every release that has it.
MESSAGE = b"it uses CuBLAS and you have CUDA >= 10.2"
FIRST = (2, 6)  # the lowest release pyproject.toml admits
CHUNK = 64 * 2**20


def pip_env() -> dict[str, str]:
    """pip's environment with no local configuration: no config file, no local wheel folder.

    A machine's pip may be told, by its configuration or by ``PIP_*`` variables, to cap
    torch's version or to prefer wheels from a local folder (this one has a CPU build of
    one release in ``PIP_FIND_LINKS``); every release must come from PyPI alike. Only the
    certificate bundle and the timeout are kept.
    """
    kept = {"PIP_CERT", "PIP_DEFAULT_TIMEOUT"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") or k in kept}
    return {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        env=pip_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def latest_patches(low: tuple[int, int] = FIRST, high: tuple[int, int] = (3, 0)) -> list[str]:
    """The newest patch release of each minor release in [low, high), as PyPI lists them."""
    done = pip("index", "versions", "torch")
    found = re.search(r"Available versions: (.*)", done.stdout)
    if done.returncode != 0 or not found:
        raise SystemExit(f"'pip index versions torch' failed:\n{done.stderr}")
    newest: dict[tuple[int, int], tuple[int, str]] = {}
    for version in found.group(1).split(", "):
        match = re.fullmatch(r"(\d+)\.(\d+)\.(\d+)", version)  # no local (+cpu) or pre-release
        if not match:
            continue
        major, minor, patch = map(int, match.groups())
        if low <= (major, minor) < high and patch >= newest.get((major, minor), (-1, ""))[0]:
            newest[major, minor] = (patch, version)
    return [version for _, (_, version) in sorted(newest.items())]


def contains(stream: object, needle: bytes) -> bool:
    """Whether a binary stream holds ``needle``, read in chunks that overlap by its length."""
    tail = b""
    while chunk := stream.read(CHUNK):  # type: ignore[attr-defined]
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def scan(wheel: Path) -> dict[str, object]:
    sha = hashlib.sha256()
    with wheel.open("rb") as file:
        while block := file.read(CHUNK):
            sha.update(block)
    libraries = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"torch/lib/[^/]+\.so(\.\d+)*", name):
                with archive.open(name) as member:
                    libraries[name.removeprefix("torch/lib/")] = contains(member, MESSAGE)
    return {
        "wheel": wheel.name,
        "sha256": sha.hexdigest(),
        "checks_cublas_workspace": any(libraries.values()),
        "libraries_with_message": sorted(name for name, found in libraries.items() if found),
        "libraries_scanned": len(libraries),
    }


def check(version: str) -> dict[str, object]:
    print(f"cublas_check: torch=={version}", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as folder:
        done = pip(
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--quiet",
            "-d",
            folder,
            f"torch=={version}",
        )
        wheels = list(Path(folder).glob("torch-*.whl"))
        if done.returncode != 0 or len(wheels) != 1:
            return {"version": version, "error": (done.stderr or "no wheel").strip()[-500:]}
        return {"version": version, **scan(wheels[0])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("versions", nargs="*", help="default: the latest patch of each minor")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"default: {OUTPUT}")
    args = parser.parse_args()
    versions = args.versions or latest_patches()
    releases = [check(version) for version in versions]
    record = {
        "script": "benchmarks/cublas_check.py",
        "date": dt.datetime.now(dt.timezone.utc).date().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "message": MESSAGE.decode(),
        "releases": releases,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    failed = [r["version"] for r in releases if "error" in r]
    for release in releases:
        found = release.get("checks_cublas_workspace", release.get("error"))
        print(f"  {release['version']}: {found}")
    print(f"wrote {args.output}", file=sys.stderr)
    if failed:
        print(f"cublas_check: could not download {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
