"""The gallery's copies of MLP and mlp_functional are the package's.

``examples/plot_training.py`` cannot import nnguide, so it carries its own copy of both
forms of the model. Only the script's torch imports and those two definitions are
executed here (taken from the script's syntax tree), so nothing is trained or drawn.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch
from conftest import EXAMPLES, script_definitions
from torch import nn
from torch.testing import assert_close

from nnguide.models import MLP, mlp_functional

SCRIPT = EXAMPLES / "plot_training.py"
NAMES = ("MLP", "mlp_functional")

# Constructor arguments, passed by keyword to both copies.
CONFIGS = {
    "script": {"in_features": 64, "hidden_features": 32, "out_features": 10, "p": 0.2},
    "small": {"in_features": 5, "hidden_features": 7, "out_features": 3, "p": 0.5},
}


def load_script_definitions() -> dict[str, Any]:
    """The script's two model definitions, executed with the script's imports only."""
    return script_definitions(SCRIPT, NAMES)


@pytest.fixture(scope="module")
def script() -> dict[str, Any]:
    return load_script_definitions()


def pair(script: dict[str, Any], config: dict[str, Any]) -> tuple[nn.Module, nn.Module]:
    """The package's MLP and the script's, the script's holding the package's weights."""
    torch.manual_seed(0)
    package = MLP(**config)
    copy = script["MLP"](**config)
    copy.load_state_dict(package.state_dict())
    return package, copy


def batch(config: dict[str, Any]) -> torch.Tensor:
    generator = torch.Generator().manual_seed(1)
    return torch.randn(6, config["in_features"], generator=generator)


def test_the_script_defines_both_forms(script: dict[str, Any]) -> None:
    assert sorted(script) == sorted(NAMES)


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_parameter_names_and_shapes(script: dict[str, Any], config: dict[str, Any]) -> None:
    package = MLP(**config).state_dict()
    copy = script["MLP"](**config).state_dict()
    assert list(copy) == list(package)
    for key, tensor in package.items():
        assert copy[key].shape == tensor.shape, key


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_module_outputs(
    script: dict[str, Any], config: dict[str, Any], training: bool
) -> None:
    package, copy = pair(script, config)
    package.train(training)
    copy.train(training)
    x = batch(config)
    torch.manual_seed(2)
    expected = package(x)
    torch.manual_seed(2)
    assert_close(copy(x), expected, rtol=0, atol=0)


def functional_pair(
    script: dict[str, Any], config: dict[str, Any], training: bool
) -> tuple[dict[str, torch.Tensor], torch.Tensor, dict[str, torch.Tensor], torch.Tensor]:
    """Both functional forms run on copies of one set of weights, from the same seed."""
    torch.manual_seed(0)
    weights = {name: t.detach() for name, t in MLP(**config).named_parameters()}
    package_params = {name: t.clone().requires_grad_() for name, t in weights.items()}
    script_params = {name: t.clone().requires_grad_() for name, t in weights.items()}
    x = batch(config)
    torch.manual_seed(3)
    expected = mlp_functional(package_params, {}, x, training=training, p=config["p"])
    torch.manual_seed(3)
    actual = script["mlp_functional"](script_params, x, training=training, p=config["p"])
    return package_params, expected, script_params, actual


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_functional_outputs(
    script: dict[str, Any], config: dict[str, Any], training: bool
) -> None:
    _, expected, _, actual = functional_pair(script, config, training)
    assert_close(actual, expected, rtol=0, atol=0)


@pytest.mark.parametrize("training", [False, True], ids=["eval", "train"])
@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_same_functional_gradients(
    script: dict[str, Any], config: dict[str, Any], training: bool
) -> None:
    package_params, expected, script_params, actual = functional_pair(script, config, training)
    expected.square().mean().backward()
    actual.square().mean().backward()
    for name, tensor in package_params.items():
        assert_close(script_params[name].grad, tensor.grad, rtol=0, atol=0, msg=name)


def test_the_functional_copy_defaults_to_the_modules_dropout(script: dict[str, Any]) -> None:
    """Called without ``p``, both copies drop with the probability ``MLP`` defaults to."""
    torch.manual_seed(0)
    model = script["MLP"](4, 8, 2).train()
    params = dict(model.named_parameters())
    x = torch.ones(3, 4)
    torch.manual_seed(5)
    expected = model(x)
    torch.manual_seed(5)
    assert_close(script["mlp_functional"](params, x, training=True), expected, rtol=0, atol=0)
