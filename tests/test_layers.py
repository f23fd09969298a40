"""The package reads in layers: no module of src/nnguide imports from a layer above its own.

From the bottom: the registry (what exists in torch.nn and how each module maps), the
functional forms, the verification cases, the verification that runs them; everything
else (models, claims, summary, the CLI, the package's ``__init__``) sits on top. Every
import counts, at module level or inside a function, and so does a literal
``importlib.import_module("nnguide...")``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import nnguide

LAYERS = ("nnguide.registry", "nnguide.functional_form", "nnguide.cases", "nnguide.verification")
TOP = len(LAYERS)  # everything else
PACKAGE = Path(nnguide.__file__).parent


def layer(module: str) -> int:
    """The layer of a module of nnguide: its index in LAYERS, or TOP for any other."""
    for i, name in enumerate(LAYERS):
        if module == name or module.startswith(name + "."):
            return i
    return TOP


def module_name(path: Path) -> str:
    """``src/nnguide/cases/conv.py`` as ``nnguide.cases.conv``; a package by its name."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(source: str, module: str, is_package: bool) -> list[tuple[int, str]]:
    """``(line, module)`` of every nnguide module that ``source`` imports, anywhere in it."""
    package = module if is_package else module.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from nnguide.cases import conv`` imports nnguide.cases.conv
            out.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
            out.append((node.lineno, base))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, (ast.Attribute, ast.Name))
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append((node.lineno, node.args[0].value))
    return [(line, name) for line, name in out if name == "nnguide" or name.startswith("nnguide.")]


def _known(name: str, modules: set[str]) -> str:
    """The longest prefix of ``name`` that is a module of nnguide (``from m import name``)."""
    while name not in modules and "." in name:
        name = name.rpartition(".")[0]
    return name


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_from_a_layer_above_its_own() -> None:
    upward = set()
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        for line, target in imported(source, name, path.name == "__init__.py"):
            target = _known(target, set(MODULES))
            if layer(target) > layer(name):
                upward.add(f"{path.relative_to(PACKAGE.parent)}:{line} {name} -> {target}")
    assert sorted(upward) == [], "\n".join(sorted(upward))


def test_every_layer_has_modules() -> None:
    per_layer = {layer(name) for name in MODULES}
    assert per_layer == set(range(TOP + 1))
    assert layer("nnguide") == layer("nnguide.claims") == layer("nnguide.__main__") == TOP


@pytest.mark.parametrize(
    "source",
    [
        "import nnguide.verification\n",
        "from nnguide.verification import counts\n",
        "from nnguide import counts\n",
        "from .. import verification\n",
        "def f():\n    from nnguide.verification import verify\n    return verify\n",
        "import importlib\nimportlib.import_module('nnguide.verification')\n",
    ],
    ids=["import", "from", "from-package", "relative", "inside-a-function", "import_module"],
)
def test_an_upward_import_is_seen(source: str) -> None:
    targets = {
        _known(name, set(MODULES)) for _, name in imported(source, "nnguide.registry.table", False)
    }
    assert max(layer(target) for target in targets) > layer("nnguide.registry.table"), targets
