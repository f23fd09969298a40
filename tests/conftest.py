from __future__ import annotations

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
