"""Save and load a model's ``state_dict`` safely, with errors that say what went wrong.

A checkpoint here is a ``state_dict`` that holds only tensors: a mapping from names to
tensors. (A Module's ``state_dict()`` can hold other objects too: ``get_extra_state`` adds
its result under ``_extra_state``; such a ``state_dict`` is refused.) It is loaded with
``torch.load(..., weights_only=True)``, whose unpickler, as ``torch.load``'s documentation
says, loads only tensors, primitive types, dictionaries and the types added with
``torch.serialization.add_safe_globals``; a file that pickles a whole model is refused.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import Tensor, nn

__all__ = [
    "CheckpointError",
    "CorruptCheckpointError",
    "NotAStateDictError",
    "PickledObjectError",
    "load_state_dict",
    "save_state_dict",
]

PathLike = str | os.PathLike[str]


class CheckpointError(ValueError):
    """An object could not be saved, or a file that exists read, as a ``state_dict``."""


class PickledObjectError(CheckpointError):
    """The file holds pickled Python objects, e.g. a whole model, not only tensors."""


class CorruptCheckpointError(CheckpointError):
    """The file is truncated, damaged, or was never a torch checkpoint."""


class NotAStateDictError(CheckpointError, TypeError):
    """The object is not a mapping from names to tensors."""


def _describe(obj: object) -> str:
    """Name the kind of a non-state-dict object for an error message."""
    if isinstance(obj, Mapping):
        keys = list(obj)
        shown = ", ".join(repr(key) for key in keys[:5]) + (", ..." if len(keys) > 5 else "")
        bad = [key for key, value in obj.items() if not isinstance(value, Tensor)]
        if any(not isinstance(key, str) for key in keys):
            return f"a {type(obj).__name__} whose keys are not all strings ({shown})"
        kinds = ", ".join(f"{key!r}: {type(obj[key]).__name__}" for key in bad[:3])
        return (
            f"a {type(obj).__name__} with keys {shown} whose values are not all tensors ({kinds})"
        )
    return f"a {type(obj).__module__}.{type(obj).__qualname__}"


def _is_state_dict(obj: object) -> bool:
    return isinstance(obj, Mapping) and all(
        isinstance(key, str) and isinstance(value, Tensor) for key, value in obj.items()
    )


def save_state_dict(module_or_state_dict: nn.Module | Mapping[str, Tensor], path: PathLike) -> Path:
    """Save a Module's ``state_dict`` (or a ``state_dict`` itself) to ``path``.

    A Module is never pickled whole: its ``state_dict()`` is saved, which
    :func:`load_state_dict` can read back with the weights-only unpickler; it must hold only
    tensors. The file is written beside ``path`` first and then renamed with ``os.replace``,
    so a save that fails or is stopped before the rename leaves no half-written checkpoint
    under that name, and one that raises removes its temporary file. The file is not
    ``fsync``-ed: what a crash of the whole system leaves is up to the filesystem.

    Args:
        module_or_state_dict: an ``nn.Module``, or a mapping from names to tensors.
        path: the file to write; its folder must exist.

    Returns:
        ``path`` as a :class:`~pathlib.Path`.

    Raises:
        NotAStateDictError: the object is neither a Module nor a mapping from names to
            tensors (e.g. a training checkpoint that nests the optimizer's state), or it is
            a Module whose ``state_dict()`` holds a non-tensor (from ``get_extra_state``).

    Examples:

        >>> import tempfile, pathlib
        >>> model = nn.Linear(4, 2)
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = save_state_dict(model, pathlib.Path(folder) / "model.pt")
        ...     state = load_state_dict(path)
        >>> sorted(state), torch.equal(state["weight"], model.weight)
        (['bias', 'weight'], True)
        >>> {tensor.device.type for tensor in state.values()}
        {'cpu'}
    """
    state = (
        module_or_state_dict.state_dict()
        if isinstance(module_or_state_dict, nn.Module)
        else module_or_state_dict
    )
    if not _is_state_dict(state):
        got = (
            f"an nn.Module ({type(module_or_state_dict).__name__}) whose state_dict() is "
            f"{_describe(state)}"
            if isinstance(module_or_state_dict, nn.Module)
            else _describe(state)
        )
        raise NotAStateDictError(
            f"expected an nn.Module or a state_dict (a mapping from str to Tensor), got {got}"
        )
    path = Path(path)
    # Opened like any new file (not with mkstemp), so it gets the usual permissions.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as file:
            torch.save(state, file)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def load_state_dict(path: PathLike, map_location: str | torch.device = "cpu") -> dict[str, Tensor]:
    """Load a ``state_dict`` saved with :func:`save_state_dict` or ``torch.save``.

    The file is read with ``torch.load(path, weights_only=True)``, whose unpickler refuses
    any type it does not allow (see the module's description) before building an object of
    it, so a pickled object's code does not run. Pass the result to
    ``model.load_state_dict``: by default it copies the values into the model's own
    tensors, which keep their dtype and device; with ``assign=True`` the model takes the
    loaded tensors themselves.

    Args:
        path: the checkpoint file.
        map_location: where to put the tensors, as in ``torch.load``. Default: ``"cpu"``:
            every tensor is loaded onto the CPU. (``torch.load``'s documentation says that
            without it, tensors saved on a GPU are loaded onto the GPU.)

    Returns:
        The mapping from names to tensors, in the order they were saved. A saved
        ``state_dict()`` comes back as the ``OrderedDict`` it was, with its ``_metadata``.

    Raises:
        FileNotFoundError: no file at ``path``.
        PickledObjectError: the file holds pickled Python objects, typically a whole model
            saved with ``torch.save(model, path)``.
        CorruptCheckpointError: the file is truncated or not a torch checkpoint.
        NotAStateDictError: the file loads, but holds something other than a mapping
            from names to tensors.

    Examples:

        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = pathlib.Path(folder) / "whole-model.pt"
        ...     torch.save(nn.Linear(4, 2), path)
        ...     load_state_dict(path)
        Traceback (most recent call last):
          ...
        nnguide.checkpoint.PickledObjectError: .../whole-model.pt holds pickled Python
        objects, not only tensors: the safe loader refused torch.nn.modules.linear.Linear. ...
        >>> state = {"weight": torch.ones(2, 4), "bias": torch.zeros(2)}
        >>> model = nn.Linear(4, 2, dtype=torch.float64)
        >>> model.load_state_dict(state)
        <All keys matched successfully>
        >>> model.weight.dtype
        torch.float64
        >>> model.load_state_dict(state, assign=True)
        <All keys matched successfully>
        >>> model.weight.dtype
        torch.float32
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}: the file does not exist")
    try:
        obj = torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        found = re.search(r"Unsupported global: GLOBAL (\S+)", str(error))
        if found is None:
            raise CorruptCheckpointError(_corrupt_message(path, error)) from None
        raise PickledObjectError(
            f"{path} holds pickled Python objects, not only tensors: the safe loader "
            f"refused {found.group(1)}. Unpickling such a file can run any code it "
            f"contains, so it is not loaded. A whole model saved with torch.save(model) "
            f"looks like this: save model.state_dict() instead. If you trust the file's "
            f"source, load it yourself with torch.load and weights_only set to False, "
            f"then save its state_dict()."
        ) from None
    except RuntimeError as error:
        if "PytorchStreamReader" not in str(error):
            raise
        raise CorruptCheckpointError(_corrupt_message(path, error)) from None
    except (EOFError, KeyError, OSError) as error:
        if isinstance(error, OSError) and type(error) is not OSError:
            raise  # PermissionError, IsADirectoryError, ...: the file itself is fine
        raise CorruptCheckpointError(_corrupt_message(path, error)) from None
    if not _is_state_dict(obj):
        hint = (
            " To read a training checkpoint that nests the model's state_dict, call "
            "torch.load with weights_only=True and take the model's entry."
            if isinstance(obj, Mapping)
            else ""
        )
        raise NotAStateDictError(
            f"{path} holds {_describe(obj)}, not a state_dict (a mapping from str to Tensor).{hint}"
        )
    # The loaded OrderedDict keeps its _metadata (module versions) for load_state_dict.
    return obj if isinstance(obj, dict) else dict(obj)


def _corrupt_message(path: Path, error: BaseException) -> str:
    """Say that ``path`` is unreadable, with the first sentence of torch's own reason."""
    text = str(error).strip()
    text = text.split("WeightsUnpickler error:", 1)[-1].strip()
    reason = re.split(r"(?<=\.)\s|\n", text, maxsplit=1)[0] if text else "the data ended early"
    return (
        f"{path} is truncated or not a torch checkpoint ({path.stat().st_size} bytes; "
        f"{type(error).__name__}: {reason})"
    )
