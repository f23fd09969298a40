"""The functional form of a ``torch.nn`` module: the same computation, as a function call.

:func:`functional_form` turns a module into a callable that computes what
``module(*inputs, **kwargs)`` computes (bit for bit on the verification cases, from the
same random state, except within the tolerance a registry entry lists), by calling the
module's counterpart in :mod:`torch.nn.functional` or :mod:`torch` (see
:mod:`nnguide.registry`) with the module's own parameters, buffers and hyper-parameters,
and *without* calling ``forward``. The state is read at call time, so
``module.train()``/``module.eval()`` after making the form is honoured, and the state
the module changes in place is changed exactly as the module changes it (BatchNorm
running statistics and ``num_batches_tracked``, InstanceNorm's running statistics under
``track_running_stats``, and the rows of Embedding's ``weight`` parameter that
``max_norm`` renormalises).

The forms live in one file per family of modules, named as in ``torch/nn/modules/``
(``activation.py``, ``conv.py``, ``loss.py``, ...). The cases on which each form is
checked against its module are those of :func:`~nnguide.cases.verification_cases`;
``nnguide.verification`` runs them, for the test suite, ``python -m nnguide table`` and
the reference page alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch  # noqa: F401  # the examples in the docstrings use it
import torch.nn as nn
from torch.nn.parameter import is_lazy

from nnguide.functional_form import (
    activation,
    channelshuffle,
    conv,
    distance,
    dropout,
    flatten,
    fold,
    linear,
    loss,
    normalization,
    padding,
    pixelshuffle,
    pooling,
    sparse,
    upsampling,
)
from nnguide.functional_form._base import Builder, NoFunctionalFormError
from nnguide.registry import Unmapped, entry

__all__ = [
    "NoFunctionalFormError",
    "functional_form",
    "supported_modules",
]

# Raised, documented and linked as nnguide.functional_form.NoFunctionalFormError.
NoFunctionalFormError.__module__ = __name__

# The builder table, class name to builder: every family's forms.
_FAMILIES = (
    activation,
    linear,
    conv,
    pooling,
    normalization,
    dropout,
    sparse,
    loss,
    padding,
    pixelshuffle,
    channelshuffle,
    upsampling,
    fold,
    flatten,
    distance,
)
_BUILDERS: dict[str, Builder] = {}
for _family in _FAMILIES:
    _BUILDERS.update(_family.FORMS)


def supported_modules() -> list[str]:
    """Names of the ``torch.nn`` classes that :func:`functional_form` supports.

    Returns:
        Sorted class names present in the installed torch.

    Examples:

        >>> "Conv2d" in supported_modules(), "LSTM" in supported_modules()
        (True, False)
    """
    return sorted(n for n in _BUILDERS if isinstance(getattr(nn, n, None), type))


def functional_form(module: nn.Module) -> Callable[..., Any]:
    """Return a function computing what ``module`` computes, from its counterpart.

    The returned callable takes the same arguments as ``module.forward`` and calls
    the module's counterpart in :mod:`torch.nn.functional` (or :mod:`torch`) with
    the module's parameters, buffers and hyper-parameters, read at call time.
    It never calls ``module.forward``, and it changes buffers (and, under
    ``max_norm``, Embedding weights) in place as the module does.

    Args:
        module: an instance of a public ``torch.nn`` module class (not a subclass
            that overrides ``forward``). Lazy modules must be materialised first.

    Returns:
        A callable ``form(*inputs, **kwargs)``: ``form(*x)`` equals ``module(*x)`` when
        both start from the same random state, bit for bit except within the tolerance
        the module's registry entry lists.

    Raises:
        TypeError: ``module`` is not a ``torch.nn.Module``.
        NoFunctionalFormError: the module has no counterpart (the message names the
            :class:`~nnguide.registry.Unmapped` reason), or a subclass overrides
            ``forward``.
        ValueError: a lazy module has not been materialised.

    Examples:

        >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
        <torch._C.Generator object at ...>
        >>> conv = torch.nn.Conv2d(3, 8, 3, padding=1, padding_mode="reflect")
        >>> form = functional_form(conv)
        >>> x = torch.randn(2, 3, 5, 5)
        >>> form(x).shape
        torch.Size([2, 8, 5, 5])
        >>> torch.equal(form(x), conv(x))
        True
        >>> try:
        ...     functional_form(torch.nn.LSTM(2, 3))
        ... except NoFunctionalFormError as err:
        ...     print(err)
        torch.nn.LSTM has no functional form: RNN_INTERNAL (...)
    """
    if not isinstance(module, nn.Module):
        raise TypeError(
            f"functional_form expected a torch.nn.Module instance, got {type(module).__name__}"
        )
    for cls in type(module).__mro__:
        name = cls.__name__
        if getattr(nn, name, None) is not cls:
            continue
        builder = _BUILDERS.get(name)
        if builder is None:
            e = entry(name)
            reason = e.reason or Unmapped.UNCLASSIFIED
            if e.mapped:  # mapped in the registry, but no form written yet
                raise NoFunctionalFormError(
                    f"torch.nn.{name} maps to {e.counterpart}, but nnguide has no "
                    "functional form for it yet"
                )
            raise NoFunctionalFormError(
                f"torch.nn.{name} has no functional form: {reason.name} ({reason.value})"
            )
        if type(module).forward is not cls.forward:
            raise NoFunctionalFormError(
                f"expected a torch.nn.{name} whose forward is torch's own, got the subclass "
                f"{type(module).__qualname__}, which overrides forward"
            )
        lazy = [n for n, t in [*module.named_parameters(), *module.named_buffers()] if is_lazy(t)]
        if lazy:
            raise ValueError(
                f"expected a materialised {type(module).__name__}, got one with "
                f"uninitialised {', '.join(lazy)}: call it once on an input first"
            )
        return builder(module)
    raise NoFunctionalFormError(
        f"expected an instance of a public torch.nn class, got {type(module).__qualname__}"
    )
