"""Verification: run the cases, module against functional form, and say which passed.

This is the one place that decides what "verified" means. :func:`check_case` runs one
case of :func:`nnguide.cases.verification_cases`: the module and its functional form
(:func:`nnguide.functional_form.functional_form`) on copies of the same module and the
same inputs, from the same seed. It passes when

- their outputs are equal: the same structure, and tensors of the same dtype, shape,
  device and layout whose values are equal, NaN counted equal to NaN (within the
  registry entry's :class:`~nnguide.registry.Tolerance` only on a fast-path case with the
  module in evaluation mode);
- the inputs afterwards are equal (an in-place operation writes into them);
- the state dicts are equal, bit for bit (running statistics, ``num_batches_tracked``,
  the rows of an Embedding that ``max_norm`` renormalises);
- the same warnings were raised;
- and the form never called the module's ``forward``, nor raised.

The test suite runs :func:`check_case` on every case in ``float32`` and ``float64``,
with the module in training and in evaluation mode. :func:`verify` runs every case once,
in :data:`CHECK_DTYPE` with the module in training mode (:data:`CHECK_TRAINING`), for
the reference page and ``python -m nnguide table``; :func:`counts` and :func:`table_rows`
call a module verified only when its cases ran and all passed.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import torch

from nnguide.cases import Case, verification_cases
from nnguide.functional_form import functional_form
from nnguide.registry import entry, registry, registry_counts

__all__ = [
    "CHECK_DTYPE",
    "CHECK_TRAINING",
    "SEED",
    "CaseResult",
    "Result",
    "check_case",
    "counts",
    "same",
    "table_rows",
    "verify",
]

# What the reference page and ``python -m nnguide table`` run each case in.
CHECK_DTYPE = torch.float32
CHECK_TRAINING = True
# The seed of the CPU generator before the module runs, and again before the form runs.
SEED = 20240607


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one verification case in one setting.

    Args:
        case_id: the case's id (``"Conv2d-reflect"``).
        failure: ``""`` when module and form agreed, else the first check that failed:
            ``"error"`` (building or running raised, or the form called ``forward``),
            ``"output"``, ``"inputs"``, ``"state"`` or ``"warnings"``.
        detail: what differed, or the traceback of the error; ``""`` when it passed.
    """

    case_id: str
    failure: str = ""
    detail: str = ""

    @property
    def passed(self) -> bool:
        """Whether module and form agreed on everything checked."""
        return not self.failure


def same(got: Any, expected: Any, rtol: float = 0.0, atol: float = 0.0) -> bool:
    """Whether a result equals the expected one, as :func:`check_case` compares them.

    Args:
        got: the form's result (a tensor, a tuple or list of results, ``None``, ...).
        expected: the module's result.
        rtol: relative tolerance for tensors' values; ``0`` means equal.
        atol: absolute tolerance for tensors' values; ``0`` means equal.

    Returns:
        ``True`` when both have the same structure (sequences of the same type and
        length), tensors the same dtype, shape, device and layout, and values equal
        (``-0.0`` equals ``0.0``, NaN equals NaN) or within ``rtol``/``atol``; other
        values must be of the same type and equal.

    Examples:

        >>> nan = float("nan")
        >>> same(torch.tensor([nan, 0.0]), torch.tensor([nan, -0.0]))
        True
        >>> same(torch.tensor([1.0]), torch.tensor([1.0], dtype=torch.float64))
        False
        >>> same((torch.ones(2), None), [torch.ones(2), None])
        False
        >>> same(torch.tensor([1.0 + 1e-6]), torch.tensor([1.0]), rtol=1e-5)
        True
    """
    if isinstance(expected, (tuple, list)):
        return (
            type(got) is type(expected)
            and len(got) == len(expected)
            and all(same(g, e, rtol, atol) for g, e in zip(got, expected, strict=True))
        )
    if isinstance(expected, torch.Tensor):
        if not (
            isinstance(got, torch.Tensor)
            and got.dtype == expected.dtype
            and got.shape == expected.shape
            and got.device == expected.device
            and got.layout == expected.layout
        ):
            return False
        if rtol or atol:
            return bool(torch.isclose(got, expected, rtol, atol, equal_nan=True).all())
        return bool(((got == expected) | (got.isnan() & expected.isnan())).all())
    if expected is None:
        return got is None
    return type(got) is type(expected) and bool(got == expected)


def _difference(got: Any, expected: Any, rtol: float = 0.0, atol: float = 0.0) -> str:
    """What differs between two results that are not :func:`same`, in words."""
    try:
        torch.testing.assert_close(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    except (AssertionError, TypeError, ValueError) as error:
        return str(error)
    return f"expected {expected!r}, got {got!r}"


def _tolerance(case: Case, dtype: torch.dtype, training: bool) -> tuple[float, float]:
    """``(rtol, atol)`` for a case's output: the entry's, on a fast-path case in eval."""
    if not case.fast_path or training:
        return 0.0, 0.0
    for tol in entry(case.module).tolerances:
        if tol.dtype == str(dtype).removeprefix("torch."):
            return tol.rtol, tol.atol
    return 0.0, 0.0


def _raise_forward(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the functional form called the module's forward")


def _run(fn: Callable[..., Any], args: Any, kwargs: Any, no_grad: bool) -> tuple[Any, list[str]]:
    """``fn(*args, **kwargs)`` from :data:`SEED`, with the warnings it raised.

    The global RNG is left as it was; grad is enabled unless ``no_grad``.
    """
    grad = torch.no_grad() if no_grad else torch.enable_grad()
    with (
        warnings.catch_warnings(record=True) as caught,
        torch.random.fork_rng(devices=[]),
        grad,
    ):
        warnings.simplefilter("always")
        # the CPU generator alone: torch.manual_seed also queues seeds for every
        # accelerator, recording a stack trace for each, which costs milliseconds
        torch.default_generator.manual_seed(SEED)
        out = fn(*args, **kwargs)
    return out, [f"{w.category.__name__}: {w.message}" for w in caught]


def _check(case: Case, dtype: torch.dtype, training: bool) -> CaseResult:
    """:func:`check_case`, letting an exception through."""
    module, args, kwargs = case.build(dtype)
    module.train(training)
    with warnings.catch_warnings():
        # deep-copying an nn.NLLLoss2d runs its deprecated __new__ again
        warnings.filterwarnings("ignore", "`NLLLoss2d` has been deprecated", FutureWarning)
        twin = copy.deepcopy(module)
    form = functional_form(twin)
    twin.forward = _raise_forward
    # deepcopy keeps aliasing (query is key is value), which the module's paths test.
    a1, k1 = copy.deepcopy((args, kwargs))
    a2, k2 = copy.deepcopy((args, kwargs))
    expected, w_expected = _run(module, a1, k1, case.no_grad)
    got, w_got = _run(form, a2, k2, case.no_grad)
    rtol, atol = _tolerance(case, dtype, training)
    if not same(got, expected, rtol, atol):
        return CaseResult(case.id, "output", _difference(got, expected, rtol, atol))
    if not same(a2, a1):
        return CaseResult(case.id, "inputs", _difference(a2, a1))
    s1, s2 = module.state_dict(), twin.state_dict()
    if s1.keys() != s2.keys():
        return CaseResult(case.id, "state", f"expected keys {list(s1)}, got {list(s2)}")
    for key in s1:
        if not same(s2[key], s1[key]):
            return CaseResult(case.id, "state", f"{key}: {_difference(s2[key], s1[key])}")
    if w_got != w_expected:
        return CaseResult(case.id, "warnings", f"expected {w_expected}, got {w_got}")
    return CaseResult(case.id)


def check_case(
    case: Case, dtype: torch.dtype = CHECK_DTYPE, training: bool = CHECK_TRAINING
) -> CaseResult:
    """Run one verification case: its module and the module's functional form.

    Both run on copies of the same module and the same inputs, from :data:`SEED`, with
    grad enabled unless the case asks for ``no_grad``; the form runs on a copy whose
    ``forward`` raises if called. What must agree is listed in this module's docstring.

    Args:
        case: a case of :func:`nnguide.cases.verification_cases`.
        dtype: ``torch.float32`` or ``torch.float64``.
        training: put the module in training mode (else evaluation mode).

    Returns:
        Its :class:`CaseResult`: ``passed``, or the first check that failed and what
        differed. An exception is a failure too (``"error"``), never raised.

    Examples:

        >>> from nnguide.cases import verification_cases
        >>> result = check_case(verification_cases("ReLU")[0], torch.float64, False)
        >>> result.passed, result.failure
        (True, '')
    """
    try:
        return _check(case, dtype, training)
    except Exception:
        return CaseResult(case.id, "error", traceback.format_exc())


@dataclass(frozen=True)
class Result:
    """One mapped module's verification: how many cases it has, and which failed.

    Args:
        cases: the number of its verification cases.
        failures: ``"<case id> (<failure>)"`` for each case that failed.
    """

    cases: int
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Whether the module has cases and every one passed: what "verified" means."""
        return self.cases > 0 and not self.failures

    @property
    def status(self) -> str:
        """``verified: 7/7``, ``FAILED: 6/7`` or ``unverified``."""
        if not self.cases:
            return "unverified"
        passed = self.cases - len(self.failures)
        return f"{'FAILED' if self.failures else 'verified'}: {passed}/{self.cases}"


@contextlib.contextmanager
def _one_thread() -> Iterator[None]:
    """Run on one thread: the tensors are small, and threads only contend."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@functools.cache
def _verify(dtype: torch.dtype, training: bool) -> dict[str, Result]:
    failed: dict[str, list[str]] = {}
    with _one_thread():
        for case in verification_cases():
            result = check_case(case, dtype, training)
            if not result.passed:
                failed.setdefault(case.module, []).append(f"{case.id} ({result.failure})")
    return {
        e.module: Result(len(verification_cases(e.module)), tuple(failed.get(e.module, ())))
        for e in registry()
        if e.mapped
    }


def verify(dtype: torch.dtype = CHECK_DTYPE, training: bool = CHECK_TRAINING) -> dict[str, Result]:
    """Run every verification case once and gather the results by module.

    Args:
        dtype: the dtype every case runs in.
        training: put each module in training mode (else evaluation mode).

    Returns:
        One :class:`Result` per mapped registry entry, by module name. The run happens
        once per process and setting; later calls return its results.

    Examples:

        >>> results = verify()
        >>> results["ReLU"].passed, results["ReLU"].failures
        (True, ())
    """
    return dict(_verify(dtype, training))


def counts() -> dict[str, int]:
    """Counts of the registry, computed from the installed torch.

    Returns:
        ``modules``, ``mapped``, ``unmapped``, one ``unmapped.<REASON>`` per reason
        present, ``verified`` (mapped entries whose verification cases all ran and
        passed), ``with_tolerance``, ``functions`` (public ``torch.nn.functional``
        functions) and ``functions_without_module``.

    Examples:

        >>> c = counts()
        >>> c["modules"] == c["mapped"] + c["unmapped"]
        True
        >>> c["verified"] <= c["mapped"]
        True
        >>> print(*sorted(key for key in c if not key.startswith("unmapped.")))
        functions functions_without_module mapped modules unmapped verified with_tolerance
    """
    verified = sum(result.passed for result in verify().values())
    out: dict[str, int] = {}
    for key, value in registry_counts().items():
        if key == "with_tolerance":  # ``verified`` comes before it, as it always has
            out["verified"] = verified
        out[key] = value
    return out


def table_rows() -> list[tuple[str, str, str, str]]:
    """Rows for the guide's table: ``(module, counterpart, state mapping, status)``.

    The status of a mapped entry is ``"verified: N cases (tests/test_functional_form.py)"``
    when its N verification cases ran and passed (with ``"; tolerance"`` when it needs
    one), ``"FAILED: P/N cases"`` when only P of them passed, or ``"unverified"`` when it
    has none; an unmapped entry's status is ``"unmapped: <REASON>"`` and its
    counterpart column is ``"-"``.

    Returns:
        One row per module, sorted by module name.

    Examples:

        >>> rows = table_rows()
        >>> [r for r in rows if r[0] == "ReLU"][0][:2]
        ('ReLU', 'torch.nn.functional.relu')
        >>> [r for r in rows if r[0] == "ModuleList"][0][3]
        'unmapped: CONTAINER'
        >>> [r for r in rows if r[0] == "MultiheadAttention"][0][3]
        'verified: ... cases (tests/test_functional_form.py); tolerance'
    """
    results = verify()
    rows = []
    for e in registry():
        if e.counterpart is None:
            status = f"unmapped: {e.reason.name if e.reason else 'UNCLASSIFIED'}"
            rows.append((e.module, "-", e.state or e.note, status))
            continue
        result = results[e.module]
        if result.passed:
            status = f"verified: {result.cases} cases (tests/test_functional_form.py)"
            if e.tolerances:
                status += "; tolerance"
        elif result.cases:
            status = f"FAILED: {result.cases - len(result.failures)}/{result.cases} cases"
        else:
            status = "unverified"
        rows.append((e.module, e.counterpart, e.state, status))
    return rows
