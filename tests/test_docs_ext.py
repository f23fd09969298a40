"""The docs' offline inventories: valid for Sphinx, and pointing where PyTorch documents."""

from __future__ import annotations

import nnguide_files
import nnguide_inventories
import pytest
import torch
from sphinx.util.inventory import InventoryFile


@pytest.fixture(scope="module")
def torch_inventory():
    data = nnguide_inventories.inventory_bytes(
        "PyTorch", torch.__version__, nnguide_inventories.torch_entries()
    )
    return InventoryFile.loads(data, uri=nnguide_inventories.torch_docs_url())


def test_url_is_the_installed_release():
    major, minor = torch.__version__.split(".")[:2]
    assert nnguide_inventories.torch_docs_url() == f"https://docs.pytorch.org/docs/{major}.{minor}/"


@pytest.mark.parametrize(
    ("role", "name", "page"),
    [
        ("py:class", "torch.nn.ReLU", "generated/torch.nn.ReLU.html#torch.nn.ReLU"),
        ("py:class", "torch.nn.modules.module.Module", "generated/torch.nn.Module.html"),
        (
            "py:function",
            "torch.nn.functional.relu",
            "generated/torch.nn.functional.relu.html#torch.nn.functional.relu",
        ),
        ("py:function", "torch.nn.functional.conv2d", "generated/torch.nn.functional.conv2d.html"),
        ("py:class", "torch.Tensor", "tensors.html#torch.Tensor"),
        ("py:function", "torch.testing.assert_close", "testing.html#"),
        (
            "py:function",
            "torch.nn.utils.parametrizations.weight_norm",
            "generated/torch.nn.utils.parametrizations.weight_norm.html",
        ),
        (
            "py:class",
            "torch.nn.parallel.DistributedDataParallel",
            "generated/torch.nn.parallel.DistributedDataParallel.html",
        ),
        (
            "py:function",
            "torch.distributed.init_process_group",
            "distributed.html#torch.distributed.init_process_group",
        ),
        ("py:function", "torch.utils.checkpoint.checkpoint", "checkpoint.html#"),
        ("py:method", "torch.nn.Module.to_empty", "generated/torch.nn.Module.html#"),
        (
            "py:function",
            "torch.nn.modules.module.register_module_forward_hook",
            "generated/torch.nn.modules.module.register_module_forward_hook.html",
        ),
    ],
)
def test_names_resolve_to_pytorch_pages(torch_inventory, role, name, page):
    item = torch_inventory.data[role][name]
    assert item.uri.startswith(nnguide_inventories.torch_docs_url() + page)


def test_every_nn_module_class_is_in_the_inventory(torch_inventory):
    classes = torch_inventory.data["py:class"]
    exported = [
        name
        for name in dir(torch.nn)
        if isinstance(getattr(torch.nn, name), type)
        and issubclass(getattr(torch.nn, name), torch.nn.Module)
        and not name.startswith("_")
    ]
    missing = [name for name in exported if f"torch.nn.{name}" not in classes]
    assert exported and not missing


def test_deprecated_names_are_left_out(torch_inventory):
    # torch.distributed.reduce_op warns when touched; the inventory is written with no warning.
    assert "torch.distributed.reduce_op" not in torch_inventory.data["py:class"]
    assert "torch.distributed.ReduceOp" in torch_inventory.data["py:class"]


def test_python_inventory_has_builtins():
    data = nnguide_inventories.inventory_bytes("Python", "3", nnguide_inventories.python_entries())
    inventory = InventoryFile.loads(data, uri=nnguide_inventories.python_docs_url())
    assert inventory.data["py:class"]["int"].uri.endswith("library/functions.html#int")
    assert inventory.data["py:class"]["str"].uri.endswith("library/stdtypes.html#str")
    assert inventory.data["py:exception"]["ValueError"].uri.endswith("exceptions.html#ValueError")
    assert inventory.data["py:data"]["None"].uri.endswith("constants.html#None")


def test_inventory_is_rewritten_only_when_it_changes(tmp_path):
    path = tmp_path / "x.inv"
    nnguide_files.write_if_changed(path, b"a")
    mtime = path.stat().st_mtime_ns
    nnguide_files.write_if_changed(path, b"a")
    assert path.stat().st_mtime_ns == mtime
    nnguide_files.write_if_changed(path, b"b")
    assert path.read_bytes() == b"b"
