"""What every family of functional forms is written with: the error, the types, the registrar."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch.nn as nn

__all__ = ["Builder", "Form", "NoFunctionalFormError", "nd", "registrar"]

Form = Callable[..., Any]
Builder = Callable[[Any], Form]


class NoFunctionalFormError(ValueError):
    """Raised for a module that has no functional counterpart."""


def registrar(table: dict[str, Builder]) -> Callable[..., Callable[[Builder], Builder]]:
    """A decorator factory that files builders in ``table`` under class names.

    Args:
        table: a family's builder table, class name to builder.

    Returns:
        ``forms``: ``@forms("Conv1d", "Conv2d")`` puts the decorated builder in
        ``table`` under both names and returns it unchanged.
    """

    def forms(*names: str) -> Callable[[Builder], Builder]:
        def deco(fn: Builder) -> Builder:
            for name in names:
                table[name] = fn
            return fn

        return deco

    return forms


def nd(m: nn.Module) -> str:
    """The ``N`` of a module class named ``...Nd``: ``"2"`` for a ``MaxPool2d``."""
    return type(m).__name__[-2]
