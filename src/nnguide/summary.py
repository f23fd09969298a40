"""A layer-by-layer summary of a model, built from forward hooks.

A summary sees exactly what hooks see: the submodules that ran. A step written as a call
to ``torch.nn.functional`` inside ``forward`` (``F.relu(x)``, ``F.dropout(x, p)``) is not a
Module, takes no hook and has no row; the guide's page on tools shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

__all__ = ["LayerSummary", "format_summary", "summary"]


@dataclass(frozen=True)
class LayerSummary:
    """One call of one submodule during the forward pass :func:`summary` ran.

    Attributes:
        name: the submodule's qualified name, as in ``model.named_modules()``.
        type_name: the name of its class, such as ``"Conv2d"``.
        output_shape: the shape of the tensor it returned, or ``None`` when it returned
            something else (a tuple, ``None``).
        num_params: the number of elements of the parameters registered on this
            submodule itself (``parameters(recurse=False)``): a container without
            parameters of its own counts ``0``, so its row does not count its layers'
            parameters again. A submodule called twice counts its parameters in both
            rows, and a parameter shared by two submodules is counted in each.
    """

    name: str
    type_name: str
    output_shape: tuple[int, ...] | None
    num_params: int


def summary(model: nn.Module, example_input: Tensor) -> list[LayerSummary]:
    """Run ``model`` once on ``example_input`` and describe every submodule call.

    A forward pre-hook and a forward hook are registered on every submodule (the model
    itself excluded), so the rows come in the order the calls began: a container before
    the layers inside it. A submodule called twice has two rows; one that ``forward``
    never calls has none. The model runs in evaluation mode and without gradients, so no
    BatchNorm statistic moves; every submodule's ``training`` flag is restored afterwards,
    and the hooks are removed even when ``forward`` raises.

    Args:
        model: the Module to describe.
        example_input: one input batch, passed as ``model(example_input)``.

    Returns:
        One :class:`LayerSummary` per submodule call, in call order. Empty for a model
        without submodules: all its work is then invisible to hooks.

    Raises:
        TypeError: ``model`` is not an ``nn.Module`` or ``example_input`` not a tensor.

    Examples:

        >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> rows = summary(model, torch.randn(3, 4))
        >>> [(row.name, row.type_name, row.output_shape, row.num_params) for row in rows]
        [('0', 'Linear', (3, 8), 40), ('1', 'ReLU', (3, 8), 0), ('2', 'Linear', (3, 2), 18)]
        >>> class TwoLinear(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.fc1, self.fc2 = nn.Linear(4, 8), nn.Linear(8, 2)
        ...     def forward(self, x):
        ...         return self.fc2(torch.nn.functional.relu(self.fc1(x)))
        >>> [row.name for row in summary(TwoLinear(), torch.randn(3, 4))]
        ['fc1', 'fc2']
        >>> summary(nn.Linear(4, 2), torch.randn(3, 4))
        []
        >>> summary(model, [1.0, 2.0, 3.0, 4.0])
        Traceback (most recent call last):
          ...
        TypeError: expected example_input to be a torch.Tensor, got list
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"expected model to be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(example_input, Tensor):
        raise TypeError(
            f"expected example_input to be a torch.Tensor, got {type(example_input).__name__}"
        )

    names = {module: name for name, module in model.named_modules() if module is not model}
    started: list[tuple[str, nn.Module]] = []
    shapes: dict[int, tuple[int, ...] | None] = {}
    open_calls: list[int] = []  # indices into started of the calls not yet returned

    def pre_hook(module: nn.Module, args: tuple[object, ...]) -> None:
        open_calls.append(len(started))
        started.append((names[module], module))

    def hook(module: nn.Module, args: tuple[object, ...], output: object) -> None:
        shapes[open_calls.pop()] = tuple(output.shape) if isinstance(output, Tensor) else None

    handles: list[torch.utils.hooks.RemovableHandle] = []
    modes = {module: module.training for module in model.modules()}
    try:
        for module in names:
            handles.append(module.register_forward_pre_hook(pre_hook))
            handles.append(module.register_forward_hook(hook))
        model.eval()
        with torch.no_grad():
            model(example_input)
    finally:
        for handle in handles:
            handle.remove()
        for module, training in modes.items():
            module.training = training
    return [
        LayerSummary(
            name=name,
            type_name=type(module).__name__,
            output_shape=shapes.get(index),
            num_params=sum(p.numel() for p in module.parameters(recurse=False)),
        )
        for index, (name, module) in enumerate(started)
    ]


def format_summary(rows: list[LayerSummary]) -> str:
    """Lay out the rows of :func:`summary` as a table with one header line.

    Args:
        rows: what :func:`summary` returned.

    Returns:
        The table as text, columns ``name``, ``type``, ``output shape`` and ``params``,
        without trailing spaces.

    Examples:

        >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
        >>> print(format_summary(summary(model, torch.randn(3, 4))))
        name  type    output shape  params
        0     Linear  (3, 8)            40
        1     ReLU    (3, 8)             0
        2     Linear  (3, 2)            18
    """
    header = ("name", "type", "output shape", "params")
    table = [header] + [
        (
            row.name,
            row.type_name,
            "-" if row.output_shape is None else str(row.output_shape),
            str(row.num_params),
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    lines = []
    for name, type_name, shape, params in table:
        line = (
            f"{name:<{widths[0]}}  {type_name:<{widths[1]}}  {shape:<{widths[2]}}  "
            f"{params:>{widths[3]}}"
        )
        lines.append(line.rstrip())
    return "\n".join(lines)
