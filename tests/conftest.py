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
    generated = shutil.ignore_patterns("*.mo")

    def ignore(folder: str, names: list[str]) -> set[str]:
        # The build and the generated gallery at the top of docs/ only: the gallery's
        # catalogs in locales/.../auto_examples/ are sources and must come along.
        skipped = set(generated(folder, names))
        if Path(folder) == DOCS:
            skipped |= {"_build", "auto_examples"} & set(names)
        return skipped

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
