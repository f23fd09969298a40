from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"

# The docs' extensions live beside conf.py, the command-line programs in tools/; neither
# is part of the package.
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT / "tools"))


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


def script_definitions(script: Path, names: tuple[str, ...]) -> dict[str, Any]:
    """The top-level classes and functions ``names`` of a gallery script, and nothing else.

    Only the script's imports (matplotlib's aside) and those definitions are executed, from
    its syntax tree: no figure is drawn and none of its other code runs. A name the script
    does not define is missing from the result.
    """
    tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    keep: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            if not any(module.split(".")[0] == "matplotlib" for module in modules):
                keep.append(node)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name in names:
            keep.append(node)
    namespace: dict[str, Any] = {"__name__": script.stem}
    exec(compile(ast.Module(body=keep, type_ignores=[]), str(script), "exec"), namespace)
    return {name: namespace[name] for name in names if name in namespace}


def load_benchmark(name: str) -> ModuleType:
    """benchmarks/<name>.py as a module, with benchmarks/ importable while it loads."""
    folder = ROOT / "benchmarks"
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(folder))  # compile_timings imports cpu_name from overhead
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module


def quick_benchmark_run(module: ModuleType, stand_in: str, out: Path, *args: str) -> dict:
    """``module.main(["--quick", "--backend", "eager", *args])`` in this process; its record.

    ``stand_in`` names the function that times a compilation in a fresh process: it
    returns 0.25 s instead. Torch's thread count and TorchDynamo's caches are restored.
    """
    import torch

    threads = torch.get_num_threads()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(module, stand_in, lambda *_: 0.25)
            code = module.main(["--quick", "--backend", "eager", *args, "--out", str(out)])
    finally:
        torch.set_num_threads(threads)
        torch._dynamo.reset()
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def keep_torch_threads() -> Any:
    """A benchmark's main() sets torch's thread count; give the other tests theirs back."""
    import torch

    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)
