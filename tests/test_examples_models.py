"""The gallery's copy of SmallCNN is the package's SmallCNN.

``examples/plot_corrected_cnn.py`` cannot import nnguide, so it carries its own copy of
the model. Only the script's imports and the class definition are executed here (taken
from the script's syntax tree), so no figure is drawn and nothing else in it runs.
"""

from __future__ import annotations

import ast
import inspect
from typing import Any

import pytest
import torch
from conftest import EXAMPLES, script_definitions
from torch import nn
from torch.testing import assert_close

from nnguide.models import SmallCNN

SCRIPT = EXAMPLES / "plot_corrected_cnn.py"
CLASS_NAME = "SmallCNN"

# Constructor arguments, passed by keyword to both copies.
CONFIGS = {
    "defaults": {},
    "small": {"in_channels": 1, "channels": 8, "num_classes": 5, "output_size": 2, "p": 0.25},
}


def load_script_class() -> type[nn.Module]:
    """The script's model class, executed with the script's imports only."""
    found = script_definitions(SCRIPT, (CLASS_NAME,))
    assert CLASS_NAME in found, f"{SCRIPT.name} defines no top-level class {CLASS_NAME}"
    return found[CLASS_NAME]


@pytest.fixture(scope="module")
def script_cnn() -> type[nn.Module]:
    return load_script_class()


def pair(script_cnn: type[nn.Module], config: dict[str, Any]) -> tuple[nn.Module, nn.Module]:
    """The package's model and the script's, the script's holding the package's weights."""
    torch.manual_seed(0)
    package = SmallCNN(**config)
    script = script_cnn(**config)
    script.load_state_dict(package.state_dict())
    return package, script


def batch(config: dict[str, Any]) -> torch.Tensor:
    generator = torch.Generator().manual_seed(1)
    return torch.randn(4, config.get("in_channels", 3), 12, 12, generator=generator)


def test_the_class_is_defined_before_the_script_does_any_work() -> None:
    """The model comes right after the imports, so readers meet it first."""
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    body = [node for node in tree.body if not isinstance(node, ast.Expr)]  # the docstring
    first = next(
        i for i, node in enumerate(body) if not isinstance(node, ast.Import | ast.ImportFrom)
    )
    assert isinstance(body[first], ast.ClassDef)
    assert body[first].name == CLASS_NAME


def test_same_constructor(script_cnn: type[nn.Module]) -> None:
    assert inspect.signature(script_cnn.__init__) == inspect.signature(SmallCNN.__init__)


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_layers(script_cnn: type[nn.Module], config: dict[str, Any]) -> None:
    assert repr(script_cnn(**config)) == repr(SmallCNN(**config))


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_state_dict_keys_and_shapes(
    script_cnn: type[nn.Module], config: dict[str, Any]
) -> None:
    package = SmallCNN(**config).state_dict()
    script = script_cnn(**config).state_dict()
    assert list(script) == list(package)
    for key, tensor in package.items():
        assert script[key].shape == tensor.shape, key
        assert script[key].dtype == tensor.dtype, key


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_outputs_in_eval_mode(script_cnn: type[nn.Module], config: dict[str, Any]) -> None:
    package, script = pair(script_cnn, config)
    package.eval()
    script.eval()
    x = batch(config)
    with torch.no_grad():
        assert_close(script(x), package(x), rtol=0, atol=0)


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_outputs_and_buffers_in_train_mode(
    script_cnn: type[nn.Module], config: dict[str, Any]
) -> None:
    package, script = pair(script_cnn, config)
    package.train()
    script.train()
    x = batch(config)
    torch.manual_seed(2)
    expected = package(x)
    torch.manual_seed(2)
    actual = script(x)
    assert_close(actual, expected, rtol=0, atol=0)
    for (name, b_script), b_package in zip(script.named_buffers(), package.buffers(), strict=True):
        assert_close(b_script, b_package, rtol=0, atol=0, msg=name)
    # Dropout is active: without the shared seed the outputs would differ.
    torch.manual_seed(4)
    assert not torch.equal(script(x), actual)


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_gradients(script_cnn: type[nn.Module], config: dict[str, Any]) -> None:
    package, script = pair(script_cnn, config)
    x = batch(config)
    for model in (package, script):
        torch.manual_seed(3)
        model(x).square().mean().backward()
    for (name, p_script), p_package in zip(
        script.named_parameters(), package.parameters(), strict=True
    ):
        assert_close(p_script.grad, p_package.grad, rtol=0, atol=0, msg=name)


def test_both_refuse_an_unbatched_image(script_cnn: type[nn.Module]) -> None:
    image = torch.randn(3, 12, 12)
    for model in (SmallCNN(), script_cnn()):
        with pytest.raises(ValueError, match=r"expected input of shape \(N, 3, H, W\)"):
            model(image)
