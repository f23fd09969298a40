"""The gallery's promises: every script runs, alone, importing only what readers have."""

from __future__ import annotations

import ast
import re
import runpy
import shutil
import sys
from pathlib import Path

import pytest
from conftest import DOCS, EXAMPLES, copy_docs, sphinx_html
from site_checks import run_without_nnguide

SCRIPTS = sorted(EXAMPLES.glob("*.py"))
ALLOWED = {"torch", "numpy", "matplotlib", "sklearn"}


def gallery_conf() -> dict:
    namespace = runpy.run_path(str(DOCS / "conf.py"))
    return namespace["sphinx_gallery_conf"]


def test_there_are_scripts():
    assert SCRIPTS, "examples/ holds no script"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_filename_pattern_executes_every_script(script: Path):
    conf = gallery_conf()
    path = str(script)
    assert re.search(conf["filename_pattern"], path), f"{script.name} would not be executed"
    assert not re.search(conf["ignore_pattern"], path), f"{script.name} would be skipped"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_imports_only_what_readers_have(script: Path):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{script.name}: relative import"
            imported.add(node.module.split(".")[0])
    extra = imported - ALLOWED - set(sys.stdlib_module_names)
    assert not extra, f"{script.name} imports {sorted(extra)}; allowed: {sorted(ALLOWED)}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_runs_on_its_own_without_nnguide(script: Path, tmp_path: Path):
    result = run_without_nnguide(script, tmp_path)
    assert result.returncode == 0, result.stderr


def test_reset_restores_torch_globals():
    import nnguide_gallery
    import torch

    from nnguide import state

    torch.manual_seed(1234)
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    nnguide_gallery.reset_torch({}, "plot_x.py")
    after = state.capture()
    initial = nnguide_gallery.START
    assert torch.equal(after.torch_rng, initial.torch_rng)
    assert after.settings() == initial.settings()
    assert after.deterministic is False
    assert after.default_dtype == torch.float32


def test_a_failing_example_fails_the_build_naming_script_and_assertion(tmp_path: Path):
    """Build the real configuration on a copy whose gallery holds one failing script."""
    docs = copy_docs(tmp_path / "docs")
    examples = tmp_path / "examples"
    examples.mkdir()
    shutil.copy(EXAMPLES / "GALLERY_HEADER.rst", examples)
    source = (
        '"""\nBroken\n======\n\nFails on purpose.\n"""\n\n'
        "import torch\n\n"
        "value = torch.zeros(1)\n"
        "assert value.item() == 1.0, 'the broken example is broken'\n"
    )
    failing_line = (
        source.splitlines().index("assert value.item() == 1.0, 'the broken example is broken'") + 1
    )
    (examples / "plot_broken.py").write_text(source, encoding="utf-8")
    # The one-minute page links the real example, which this copy does not have.
    (docs / "one-minute.md").unlink()
    index = docs / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        .replace("{doc}`one-minute`", "It")
        .replace("\none-minute\n", "\n"),
        encoding="utf-8",
    )
    status, output = sphinx_html(docs, tmp_path / "out", "-D", "nb_execution_mode=off")
    assert status != 0, output
    assert "plot_broken.py" in output
    assert "the broken example is broken" in output
    assert f'plot_broken.py", line {failing_line}' in output, output
