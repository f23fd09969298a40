"""The example models give identical results as Modules and as functions."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import Tensor, nn
from torch.func import functional_call
from torch.testing import assert_close

from nnguide.models import MLP, SmallCNN, cnn_functional, mlp_functional, shapes_through

Functional = Callable[[Mapping[str, Tensor], Mapping[str, Tensor], Tensor, bool], Tensor]


@dataclass
class Case:
    """One example model: how to build it, its functional form and an input batch."""

    build: Callable[[], nn.Module]
    functional: Functional
    batch: Callable[[int], Tensor]
    classes: int


CASES = {
    "mlp": Case(
        build=lambda: MLP(in_features=12, hidden_features=32, out_features=4, p=0.5),
        functional=mlp_functional,
        batch=lambda n: torch.randn(n, 12),
        classes=4,
    ),
    "cnn": Case(
        build=lambda: SmallCNN(in_channels=3, channels=8, num_classes=5, output_size=4, p=0.5),
        functional=cnn_functional,
        batch=lambda n: torch.randn(n, 3, 12, 12),
        classes=5,
    ),
}


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> Case:
    torch.manual_seed(0)
    return CASES[request.param]


def functional_state(model: nn.Module) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """Copies of the model's parameters (as leaves that require grad) and buffers."""
    params = {n: p.detach().clone().requires_grad_() for n, p in model.named_parameters()}
    buffers = {n: b.clone() for n, b in model.named_buffers()}
    return params, buffers


def assert_same_tensors(a: Mapping[str, Tensor], b: Mapping[str, Tensor]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        assert_close(a[name], b[name], rtol=0, atol=0, msg=lambda m, name=name: f"{name}: {m}")


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
def test_outputs_are_identical(case: Case, training: bool) -> None:
    model = case.build().train(training)
    params, buffers = functional_state(model)
    x = case.batch(6)
    torch.manual_seed(1)
    out_module = model(x)
    torch.manual_seed(1)
    out_function = case.functional(params, buffers, x, training)
    assert_close(out_function, out_module, rtol=0, atol=0)
    assert_same_tensors(buffers, dict(model.named_buffers()))


def test_gradients_are_identical(case: Case) -> None:
    model = case.build()
    params, buffers = functional_state(model)
    x, target = case.batch(6), torch.randint(case.classes, (6,))
    torch.manual_seed(1)
    F.cross_entropy(model(x), target).backward()
    torch.manual_seed(1)
    F.cross_entropy(case.functional(params, buffers, x, True), target).backward()
    module_grads = {n: p.grad for n, p in model.named_parameters() if p.grad is not None}
    function_grads = {n: p.grad for n, p in params.items() if p.grad is not None}
    assert len(module_grads) == len(params)
    assert_same_tensors(function_grads, module_grads)


OPTIMIZERS: dict[str, Callable[[list[Tensor]], torch.optim.Optimizer]] = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "adam": lambda ps: torch.optim.Adam(ps, lr=1e-2),
}


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_training_steps_are_identical(case: Case, optimizer: str) -> None:
    model = case.build()
    params, buffers = functional_state(model)
    initial = {n: p.detach().clone() for n, p in params.items()}
    opt_module = OPTIMIZERS[optimizer](list(model.parameters()))
    opt_function = OPTIMIZERS[optimizer](list(params.values()))
    for step in range(4):
        x, target = case.batch(8), torch.randint(case.classes, (8,))
        torch.manual_seed(100 + step)
        loss_module = F.cross_entropy(model(x), target)
        torch.manual_seed(100 + step)
        loss_function = F.cross_entropy(case.functional(params, buffers, x, True), target)
        assert_close(loss_function, loss_module, rtol=0, atol=0)
        for opt, loss in ((opt_module, loss_module), (opt_function, loss_function)):
            opt.zero_grad()
            loss.backward()
            opt.step()
        assert_same_tensors(params, dict(model.named_parameters()))
        assert_same_tensors(buffers, dict(model.named_buffers()))
    # The steps changed every parameter, so the comparisons were not of the start.
    assert all(not torch.equal(params[n], initial[n]) for n in params)

    model.eval()
    x = case.batch(5)
    assert_close(case.functional(params, buffers, x, False), model(x), rtol=0, atol=0)


def test_eval_is_deterministic_and_updates_nothing(case: Case) -> None:
    model = case.build()
    params, buffers = functional_state(model)
    for _ in range(2):  # move the BatchNorm statistics away from their initial values
        case.functional(params, buffers, case.batch(8), True)
        model(case.batch(8))
    params, buffers = functional_state(model)
    before = {n: b.clone() for n, b in buffers.items()}
    model.eval()
    x = case.batch(4)
    outs = [case.functional(params, buffers, x, False) for _ in range(2)] + [model(x)]
    for out in outs[1:]:
        assert_close(out, outs[0], rtol=0, atol=0)
    assert_same_tensors(buffers, before)
    assert_same_tensors(dict(model.named_buffers()), before)


def test_dropout_is_active_only_in_training(case: Case) -> None:
    model = case.build()
    params, buffers = functional_state(model)
    x = case.batch(4)
    torch.manual_seed(3)
    first = case.functional(params, buffers, x, True)
    torch.manual_seed(4)
    second = case.functional(params, buffers, x, True)
    assert not torch.equal(first, second)


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
def test_agrees_with_functional_call(case: Case, training: bool) -> None:
    model = case.build().train(training)
    params, buffers = functional_state(model)
    call_buffers = {n: b.clone() for n, b in buffers.items()}
    x = case.batch(6)
    torch.manual_seed(5)
    expected = functional_call(model, {**params, **call_buffers}, (x,))
    torch.manual_seed(5)
    out = case.functional(params, buffers, x, training)
    assert_close(out, expected, rtol=0, atol=0)
    assert_same_tensors(buffers, call_buffers)


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 5), height=st.integers(2, 20), width=st.integers(2, 20))
def test_cnn_agrees_on_any_image_size(n: int, height: int, width: int) -> None:
    torch.manual_seed(0)
    model = SmallCNN(channels=4, num_classes=3, output_size=2)
    params, buffers = functional_state(model)
    x = torch.randn(n, 3, height, width)
    torch.manual_seed(1)
    out_module = model(x)
    torch.manual_seed(1)
    out_function = cnn_functional(params, buffers, x, True, output_size=2)
    assert out_module.shape == (n, 3)
    assert_close(out_function, out_module, rtol=0, atol=0)


@pytest.mark.parametrize(
    ("name", "shape", "expected"),
    [
        ("mlp", (12,), r"expected input of shape \(N, 12\), got \(12,\)"),
        ("mlp", (4, 11), r"expected input of shape \(N, 12\), got \(4, 11\)"),
        ("cnn", (3, 32, 32), r"\(N, 3, H, W\) with H, W >= 2, got \(3, 32, 32\)"),
        ("cnn", (2, 1, 32, 32), r"\(N, 3, H, W\) with H, W >= 2, got \(2, 1, 32, 32\)"),
        ("cnn", (2, 3, 1, 32), r"\(N, 3, H, W\) with H, W >= 2, got \(2, 3, 1, 32\)"),
    ],
)
def test_wrong_input_shape_names_expected_and_got(
    name: str, shape: tuple[int, ...], expected: str
) -> None:
    case = CASES[name]
    model = case.build()
    params, buffers = functional_state(model)
    x = torch.zeros(shape)
    with pytest.raises(ValueError, match=expected):
        model(x)
    with pytest.raises(ValueError, match=expected):
        case.functional(params, buffers, x, True)
    assert_same_tensors(buffers, dict(model.named_buffers()))  # nothing ran


def test_shapes_through_lists_every_layer_without_side_effects() -> None:
    model = SmallCNN(in_channels=3, channels=6, num_classes=7, output_size=3)
    before = {n: b.clone() for n, b in model.named_buffers()}
    x = torch.randn(2, 3, 10, 14)
    shapes = shapes_through(model, x)

    names = [name for name, _ in shapes]
    assert names == ["input", *(name for name, _ in model.named_children())]
    by_name = dict(shapes)
    assert by_name["input"] == tuple(x.shape)
    assert by_name["conv"] == by_name["bn"] == by_name["relu"] == (2, 6, 10, 14)
    assert by_name["pool"] == (2, 6, 10 // 2, 14 // 2)
    assert by_name["avgpool"] == (2, 6, 3, 3)
    assert by_name["flatten"] == by_name["dropout"] == (2, model.fc.in_features)
    assert by_name["fc"] == tuple(model.eval()(x).shape) == (2, 7)

    model.train()
    shapes_through(model, x)
    assert model.training
    assert_same_tensors(dict(model.named_buffers()), before)
    assert not model.conv._forward_hooks
    model.eval()
    shapes_through(model, x)
    assert not model.training


def test_shapes_through_gives_every_submodule_its_own_flag_back() -> None:
    model = SmallCNN(channels=4).train()
    model.dropout.eval()
    before = {name: module.training for name, module in model.named_modules()}
    shapes_through(model, torch.randn(2, 3, 8, 8))
    assert {name: module.training for name, module in model.named_modules()} == before
    assert model.training and not model.dropout.training


def test_conv2d_has_no_default_kernel_size() -> None:
    """SmallCNN's docstring: the broken version's Conv2d lacks its required kernel_size."""
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'kernel_size'"):
        nn.Conv2d(3, 64)  # type: ignore[call-arg]


def test_functional_defaults_match_the_modules() -> None:
    """The keyword defaults of the functions are the Modules' defaults."""
    bn = nn.BatchNorm2d(4)
    model = SmallCNN()
    cnn = inspect.signature(cnn_functional).parameters
    assert cnn["momentum"].default == bn.momentum == 0.1
    assert cnn["eps"].default == bn.eps == 1e-5
    assert (
        cnn["output_size"].default == inspect.signature(SmallCNN).parameters["output_size"].default
    )
    assert model.avgpool.output_size == cnn["output_size"].default
    assert cnn["p"].default == model.dropout.p
    assert inspect.signature(mlp_functional).parameters["p"].default == MLP(2, 2, 2).dropout.p
