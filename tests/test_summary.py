"""The model summary lists what forward hooks see: the submodules that ran."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from nnguide.models import SmallCNN, shapes_through
from nnguide.summary import LayerSummary, format_summary, summary


class Functional(nn.Module):
    """Only the layers with parameters are Modules; ReLU and dropout are F calls."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 2)

    def forward(self, x: Tensor) -> Tensor:
        hidden = F.dropout(F.relu(self.fc1(x)), 0.5, training=self.training)
        out: Tensor = self.fc2(hidden)
        return out


class Twice(nn.Module):
    """Calls one layer twice and another one never."""

    def __init__(self) -> None:
        super().__init__()
        self.fc = nn.Linear(3, 3)
        self.unused = nn.Linear(3, 3)

    def forward(self, x: Tensor) -> Tensor:
        out: Tensor = self.fc(self.fc(x))
        return out


class Pair(nn.Module):
    """A layer that returns a tuple."""

    def forward(self, x: Tensor) -> tuple[Tensor, Tensor]:
        return x, x


class UsesPair(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.pair = Pair()

    def forward(self, x: Tensor) -> Tensor:
        a, b = self.pair(x)
        return a + b


def test_rows_follow_the_calls_with_shapes_and_parameter_counts() -> None:
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    assert summary(model, torch.randn(5, 4)) == [
        LayerSummary("0", "Linear", (5, 8), 4 * 8 + 8),
        LayerSummary("1", "ReLU", (5, 8), 0),
        LayerSummary("2", "Linear", (5, 2), 8 * 2 + 2),
    ]


def test_functional_calls_have_no_row() -> None:
    rows = summary(Functional(), torch.randn(5, 4))
    assert [row.name for row in rows] == ["fc1", "fc2"]


def test_a_container_comes_before_its_layers_and_counts_no_parameter_twice() -> None:
    model = nn.Sequential()
    model.add_module("block", nn.Sequential(nn.Linear(4, 4), nn.ReLU()))
    model.add_module("head", nn.Linear(4, 1))
    rows = summary(model, torch.randn(2, 4))
    assert [row.name for row in rows] == ["block", "block.0", "block.1", "head"]
    assert rows[0].num_params == 0
    assert sum(row.num_params for row in rows) == sum(p.numel() for p in model.parameters())


def test_a_layer_called_twice_has_two_rows_and_an_unused_one_none() -> None:
    rows = summary(Twice(), torch.randn(2, 3))
    assert [row.name for row in rows] == ["fc", "fc"]
    assert [row.num_params for row in rows] == [3 * 3 + 3] * 2  # counted in both rows


def test_a_shared_parameter_is_counted_in_each_submodule() -> None:
    model = nn.Sequential(nn.Linear(3, 3, bias=False), nn.Linear(3, 3, bias=False))
    model[1].weight = model[0].weight
    rows = summary(model, torch.randn(2, 3))
    assert [row.num_params for row in rows] == [9, 9]
    assert sum(p.numel() for p in model.parameters()) == 9


def test_a_non_tensor_output_has_no_shape() -> None:
    rows = summary(UsesPair(), torch.randn(2, 3))
    assert rows == [LayerSummary("pair", "Pair", None, 0)]


def test_the_table_shows_a_missing_shape_as_a_dash() -> None:
    rows = [LayerSummary("pair", "Pair", None, 0)]
    assert format_summary(rows).splitlines()[1].split() == ["pair", "Pair", "-", "0"]


def test_agrees_with_shapes_through_on_the_small_cnn() -> None:
    model = SmallCNN(channels=8)
    x = torch.randn(2, 3, 16, 16)
    rows = summary(model, x)
    assert [(row.name, row.output_shape) for row in rows] == shapes_through(model, x)[1:]


def test_every_training_flag_is_restored() -> None:
    model = SmallCNN(channels=8).train()
    model.dropout.eval()
    summary(model, torch.randn(2, 3, 16, 16))
    flags = [m.training for m in model.modules()]
    assert flags == [m is not model.dropout for m in model.modules()]


def test_batch_norm_statistics_do_not_move() -> None:
    model = SmallCNN(channels=8).train()
    before = {name: b.clone() for name, b in model.named_buffers()}
    summary(model, torch.randn(2, 3, 16, 16))
    for name, buffer in model.named_buffers():
        assert torch.equal(buffer, before[name]), name


def test_no_hook_is_left_behind() -> None:
    model = SmallCNN(channels=8)
    summary(model, torch.randn(2, 3, 16, 16))
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())


def test_hooks_are_removed_when_forward_raises() -> None:
    model = SmallCNN(channels=8)
    with pytest.raises(ValueError, match=r"expected input of shape"):
        summary(model, torch.randn(3, 16, 16))
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in model.modules())
    assert all(m.training for m in model.modules())  # the flags are restored too


def test_a_model_that_is_not_a_module_is_refused() -> None:
    with pytest.raises(TypeError, match=r"expected model to be a torch\.nn\.Module, got function"):
        summary(F.relu, torch.randn(2))  # type: ignore[arg-type]


def test_an_input_that_is_not_a_tensor_is_refused() -> None:
    with pytest.raises(TypeError, match=r"expected example_input to be a torch\.Tensor, got list"):
        summary(nn.ReLU(), [1.0, 2.0])  # type: ignore[arg-type]


def test_the_table_has_a_header_and_one_line_per_row_without_trailing_spaces() -> None:
    rows = summary(Functional(), torch.randn(5, 4))
    lines = format_summary(rows).splitlines()
    assert lines[0].split() == ["name", "type", "output", "shape", "params"]
    assert [line.split()[0] for line in lines[1:]] == ["fc1", "fc2"]
    assert all(line == line.rstrip() for line in lines)
