from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"

# The docs' build helpers live beside conf.py, not in the package.
sys.path.insert(0, str(DOCS / "_ext"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def copy_docs(destination: Path) -> Path:
    """A copy of docs/ without build products, to build with the real configuration."""
    ignore = shutil.ignore_patterns("_build", "auto_examples", "*.mo")
    return Path(shutil.copytree(DOCS, destination, ignore=ignore))


def sphinx_html(source: Path, out: Path, *options: str) -> tuple[int, str]:
    """Build ``source`` as HTML with warnings fatal, as nox does; (exit status, log)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            *options,
            str(source),
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return result.returncode, result.stdout + result.stderr
