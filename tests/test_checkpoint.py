"""Checkpoints round-trip through state_dict, and every bad file gets a clear error."""

from __future__ import annotations

import collections
import io
import re
import warnings
from pathlib import Path

import pytest
import torch
from torch import nn
from torch.testing import assert_close

from nnguide.checkpoint import (
    CheckpointError,
    CorruptCheckpointError,
    NotAStateDictError,
    PickledObjectError,
    load_state_dict,
    save_state_dict,
)
from nnguide.models import SmallCNN


@pytest.fixture
def model() -> SmallCNN:
    torch.manual_seed(0)
    model = SmallCNN(channels=4, num_classes=3, output_size=2)
    model(torch.randn(4, 3, 8, 8))  # move the BatchNorm buffers off their initial values
    return model


def test_module_round_trip_restores_parameters_and_buffers(model: SmallCNN, tmp_path: Path) -> None:
    path = save_state_dict(model, tmp_path / "model.pt")
    assert path == tmp_path / "model.pt"
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]  # no temporary file left

    state = load_state_dict(path)
    assert list(state) == list(model.state_dict())
    fresh = SmallCNN(channels=4, num_classes=3, output_size=2)
    fresh.load_state_dict(state)
    for name, tensor in model.state_dict().items():
        assert_close(fresh.state_dict()[name], tensor, rtol=0, atol=0)
    x = torch.randn(2, 3, 8, 8)
    assert_close(fresh.eval()(x), model.eval()(x), rtol=0, atol=0)


def test_state_dict_and_str_path_are_accepted(model: SmallCNN, tmp_path: Path) -> None:
    path = str(tmp_path / "weights.pt")
    save_state_dict(model.state_dict(), path)
    state = load_state_dict(path, map_location=torch.device("cpu"))
    assert state.keys() == model.state_dict().keys()
    assert all(t.device.type == "cpu" for t in state.values())


def test_whole_pickled_model_is_refused_with_the_reason(model: SmallCNN, tmp_path: Path) -> None:
    path = tmp_path / "best.pth"
    torch.save(model, path)  # the pattern the guide warns against
    with pytest.raises(PickledObjectError) as info:
        load_state_dict(path)
    message = str(info.value)
    assert str(path) in message
    assert "nnguide.models.SmallCNN" in message
    assert "can run any code" in message
    assert "save model.state_dict() instead" in message
    assert "If you trust the file's source" in message
    assert isinstance(info.value, CheckpointError)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut-in-half"),
        pytest.param(lambda data: data[:-100], id="tail-cut"),
        pytest.param(lambda data: data[:1], id="one-byte"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a checkpoint\n" * 20, id="text"),
        pytest.param(lambda data: bytes(range(256)) * 2, id="binary-noise"),
    ],
)
def test_truncated_or_foreign_file_names_the_file(
    model: SmallCNN, tmp_path: Path, damage: object
) -> None:
    good = save_state_dict(model, tmp_path / "good.pt")
    bad = tmp_path / "bad.pt"
    bad.write_bytes(damage(good.read_bytes()))  # type: ignore[operator]
    with pytest.raises(
        CorruptCheckpointError,
        match=rf"^{re.escape(str(bad))} is truncated or not a torch checkpoint \(\d+ bytes; ",
    ):
        load_state_dict(bad)


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "best.pt"
    with pytest.raises(FileNotFoundError, match=re.escape(str(path))):
        load_state_dict(path)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([torch.ones(2)], r"holds a builtins\.list, not a state_dict"),
        (torch.ones(2), r"holds a torch\.Tensor, not a state_dict"),
        (
            {"model": {"weight": torch.ones(2)}, "epoch": 3},
            r"holds a dict with keys 'model', 'epoch' whose values are not all tensors "
            r"\('model': dict, 'epoch': int\).*take the model's entry",
        ),
        ({1: torch.ones(2)}, r"holds a dict whose keys are not all strings \(1\)"),
    ],
)
def test_loaded_object_that_is_not_a_state_dict(tmp_path: Path, obj: object, message: str) -> None:
    path = tmp_path / "other.pt"
    torch.save(obj, path)
    with pytest.raises(NotAStateDictError, match=message):
        load_state_dict(path)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({"weight": [1.0, 2.0]}, r"got a dict with keys 'weight' whose values are not all"),
        (nn.Linear(2, 2).weight.detach().numpy(), r"got a numpy\.ndarray"),
        ("model.pt", r"got a builtins\.str"),
    ],
)
def test_saving_something_else_is_refused(tmp_path: Path, obj: object, message: str) -> None:
    with pytest.raises(NotAStateDictError, match=message):
        save_state_dict(obj, tmp_path / "x.pt")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_not_a_state_dict_is_also_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        save_state_dict([torch.ones(1)], tmp_path / "x.pt")  # type: ignore[arg-type]


def test_an_unrelated_load_failure_is_not_called_corruption(
    model: SmallCNN, tmp_path: Path
) -> None:
    path = save_state_dict(model, tmp_path / "model.pt")
    with pytest.raises(RuntimeError) as info:
        load_state_dict(path, map_location="not-a-device")
    assert not isinstance(info.value, CheckpointError)


def test_saved_file_has_ordinary_permissions(model: SmallCNN, tmp_path: Path) -> None:
    ordinary = tmp_path / "ordinary"
    ordinary.write_bytes(b"")
    path = save_state_dict(model, tmp_path / "model.pt")
    assert path.stat().st_mode == ordinary.stat().st_mode


def test_missing_folder_on_save_names_the_path(model: SmallCNN, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "nowhere"))):
        save_state_dict(model, tmp_path / "nowhere" / "model.pt")
    assert list(tmp_path.iterdir()) == []


class WithExtraState(nn.Linear):
    """A Linear whose state_dict() also holds a non-tensor, from get_extra_state."""

    def get_extra_state(self) -> dict[str, int]:
        return {"version": 2}

    def set_extra_state(self, state: object) -> None:
        pass


def test_module_with_non_tensor_extra_state_is_refused(tmp_path: Path) -> None:
    model = WithExtraState(2, 2)
    assert model.state_dict()["_extra_state"] == {"version": 2}
    with pytest.raises(
        NotAStateDictError,
        match=r"got an nn.Module \(WithExtraState\) whose .*'_extra_state': dict",
    ):
        save_state_dict(model, tmp_path / "x.pt")
    assert list(tmp_path.iterdir()) == []


RAN: list[str] = []


def _record_run() -> list[str]:
    RAN.append("ran")
    return RAN


class Payload:
    """Unpickling this object calls _record_run: code stored in the file."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_record_run, ())


def test_code_stored_in_the_file_does_not_run(tmp_path: Path) -> None:
    path = tmp_path / "payload.pt"
    torch.save({"weight": torch.ones(1), "payload": Payload()}, path)
    RAN.clear()
    with pytest.raises(PickledObjectError, match=r"refused \S*_record_run"):
        load_state_dict(path)
    assert RAN == []
    torch.load(path, weights_only=False)  # the unsafe loader does run it
    assert RAN == ["ran"]


def test_a_failed_save_keeps_the_earlier_file_and_no_temporary(
    model: SmallCNN, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_state_dict(model, tmp_path / "model.pt")
    before = path.read_bytes()

    def failing_save(obj: object, file: io.BufferedWriter) -> None:
        file.write(b"half a checkpoint")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", failing_save)
    with pytest.raises(KeyboardInterrupt):
        save_state_dict(model, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]


def test_loaded_state_dict_keeps_its_metadata(model: SmallCNN, tmp_path: Path) -> None:
    state = load_state_dict(save_state_dict(model, tmp_path / "model.pt"))
    assert type(state) is collections.OrderedDict
    assert state._metadata == model.state_dict()._metadata  # type: ignore[attr-defined]


def test_load_state_dict_copies_unless_assign(tmp_path: Path) -> None:
    """The docstring: the model's tensors keep their device; assign=True takes the loaded ones."""
    state = load_state_dict(save_state_dict(nn.Linear(4, 2), tmp_path / "model.pt"))
    model = nn.Linear(4, 2, device="meta")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # copying into a meta tensor is a no-op, and warns
        model.load_state_dict(state)
    assert model.weight.device.type == "meta"
    model.load_state_dict(state, assign=True)
    assert model.weight.device.type == "cpu"
    assert model.weight.data_ptr() == state["weight"].data_ptr()
