"""Claims on what the two APIs are: A1 (classes and functions), A2 (F's names), A6 (ReLU)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from nnguide.claims._core import Observation, claim
from nnguide.registry import public_functions

_LAYERS: list[tuple[type[nn.Module], Callable[..., torch.Tensor], str]] = [
    (nn.ReLU, F.relu, "relu"),
    (nn.Conv2d, F.conv2d, "conv2d"),
    (nn.Linear, F.linear, "linear"),
    (nn.Dropout, F.dropout, "dropout"),
    (nn.BatchNorm2d, F.batch_norm, "batch_norm"),
]


def _calls_functional(cls: type[nn.Module], name: str) -> bool:
    """Whether the source of ``cls`` or its torch.nn base classes calls ``F.<name>(``."""
    sources = (
        inspect.getsource(klass)
        for klass in cls.__mro__
        if klass.__module__.startswith("torch.nn.modules") and klass is not nn.Module
    )
    return any(f"F.{name}(" in source for source in sources)


@claim(
    "A1",
    statement="The classes of torch.nn wrap the functions of torch.nn.functional, and both "
    "the classes and the functions inherit from nn.Module.",
    verdict="wrong",
    corrected="Most torch.nn classes are Modules whose forward calls a torch.nn.functional "
    "function with the state the Module keeps. The functions are plain Python functions "
    "or builtins: they are not Modules and keep no state.",
)
def nn_classes_are_modules_that_call_functional() -> Observation:
    """Claim A1 (wrong): the classes of torch.nn wrap the functions of F, and both are Modules.

    Reads five layers' source for their ``F`` call and checks what the functions are.
    """
    rows = []
    for cls, function, name in _LAYERS:
        rows.append(
            (
                cls.__name__,
                issubclass(cls, nn.Module),
                _calls_functional(cls, name),
                f"F.{name}",
                isinstance(function, nn.Module),
                type(function).__name__,
            )
        )
    classes_ok = sum(is_module and calls for _, is_module, calls, *_ in rows)
    functions_modules = sum(row[4] for row in rows)
    return Observation(
        expected=f"{len(rows)}/{len(rows)} classes are Modules calling F; "
        f"0/{len(rows)} functions are Modules",
        observed=f"{classes_ok}/{len(rows)} classes are Modules calling F; "
        f"{functions_modules}/{len(rows)} functions are Modules",
        holds=classes_ok == len(rows) and functions_modules == 0,
        detail="; ".join(
            f"{cls} is a Module: {is_module}, calls {fn}: {calls}; {fn} is a Module: "
            f"{fn_module} (a {kind})"
            for cls, is_module, calls, fn, fn_module, kind in rows
        ),
    )


@claim(
    "A2",
    statement="The functions of torch.nn.functional also inherit from nn.Module.",
    verdict="wrong",
    corrected="The functions of torch.nn.functional are Python functions or builtins, not "
    "Modules; nothing else in that namespace (imported modules, typing names, constants, "
    "the Tensor class) is a Module or a Module class either.",
)
def functional_functions_are_not_modules() -> Observation:
    """Claim A2 (wrong): the functions of torch.nn.functional inherit from nn.Module.

    Checks every public function of ``torch.nn.functional``, and every other public name.
    """
    functions = {name: getattr(F, name) for name in public_functions()}
    kinds = {type(function).__name__ for function in functions.values()}
    function_modules = sorted(
        name for name, function in functions.items() if isinstance(function, nn.Module)
    )
    others = {
        name: getattr(F, name)
        for name in dir(F)
        if not name.startswith("_") and name not in functions
    }
    other_modules = sorted(
        name
        for name, obj in others.items()
        if isinstance(obj, nn.Module) or (isinstance(obj, type) and issubclass(obj, nn.Module))
    )
    relu_module = isinstance(F.relu, nn.Module)
    return Observation(
        expected="no public function of F is a Module; isinstance(F.relu, nn.Module) is False",
        observed=f"{len(function_modules)} of {len(functions)} public functions are Modules; "
        f"isinstance(F.relu, nn.Module) is {relu_module}",
        holds=not function_modules
        and not other_modules
        and not relu_module
        and kinds <= {"function", "builtin_function_or_method"},
        detail=f"the public functions are of type {', '.join(sorted(kinds))}; "
        f"type(F.relu) is {type(F.relu).__name__}, type(F.conv2d) is "
        f"{type(F.conv2d).__name__}; the {len(others)} other public names (imported "
        f"modules, typing names, constants, classes) include "
        f"{len(other_modules)} Modules or Module classes",
    )


@claim(
    "A6",
    statement="nn.ReLU's forward returns F.relu(input, inplace=self.inplace).",
    verdict="correct",
    corrected="Correct: nn.ReLU.forward is that one line, read here from the installed torch.",
)
def relu_forward_calls_f_relu() -> Observation:
    """Claim A6 (correct): nn.ReLU.forward returns F.relu(input, inplace=self.inplace).

    Reads ``nn.ReLU.forward``'s return line from the installed torch.
    """
    source = inspect.getsource(nn.ReLU.forward)
    returns = [line.strip() for line in source.splitlines() if line.strip().startswith("return")]
    expected = "return F.relu(input, inplace=self.inplace)"
    return Observation(
        expected=expected,
        observed=" | ".join(returns),
        holds=returns == [expected],
        detail=f"inspect.getsource(nn.ReLU.forward) has {len(source.splitlines())} lines",
    )
