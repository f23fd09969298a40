"""Every mapped module's functional form against the module itself."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import torch
import torch.nn as nn
from hypothesis import given, settings
from hypothesis import strategies as st

from nnguide.cases import Case, verification_cases
from nnguide.functional_form import NoFunctionalFormError, functional_form
from nnguide.verification import check_case

CASES = verification_cases()
DTYPES = [torch.float32, torch.float64]


def _raise_forward(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the functional form called the module's forward")


def _assert_same(got: Any, expected: Any, rtol: float = 0.0, atol: float = 0.0) -> None:
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected) and len(got) == len(expected)
        for g, e in zip(got, expected, strict=True):
            _assert_same(g, e, rtol, atol)
    elif expected is None:
        assert got is None
    else:
        torch.testing.assert_close(got, expected, rtol=rtol, atol=atol, equal_nan=True)


@pytest.mark.parametrize("training", [True, False], ids=["train", "eval"])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_form_matches_module(case: Case, dtype: torch.dtype, training: bool) -> None:
    """Same output, inputs afterwards, state and warnings; forward never called."""
    result = check_case(case, dtype, training)
    assert result.passed, f"{case.id}: {result.failure}\n{result.detail}"


def test_form_never_calls_forward() -> None:
    conv = nn.Conv2d(2, 3, 3, padding=1, padding_mode="circular")
    x = torch.randn(1, 2, 4, 4)
    expected = conv(x)
    conv.forward = _raise_forward  # type: ignore[method-assign]
    with pytest.raises(AssertionError, match="called the module's forward"):
        conv(x)
    torch.testing.assert_close(functional_form(conv)(x), expected, rtol=0, atol=0)


@pytest.mark.parametrize("momentum", [0.1, None], ids=["momentum=0.1", "momentum=None"])
def test_batch_norm_buffers_updated_alike(momentum: float | None) -> None:
    bn = nn.BatchNorm2d(3, momentum=momentum)
    twin = copy.deepcopy(bn)
    form = functional_form(twin)
    for _ in range(3):  # the cumulative average depends on num_batches_tracked
        x = torch.randn(4, 3, 2, 2)
        torch.testing.assert_close(form(x), bn(x), rtol=0, atol=0)
    assert int(twin.num_batches_tracked) == int(bn.num_batches_tracked) == 3
    for name in ("running_mean", "running_var"):
        torch.testing.assert_close(getattr(twin, name), getattr(bn, name), rtol=0, atol=0)
    assert not torch.equal(bn.running_mean, torch.zeros(3))
    bn.eval()
    twin.eval()  # the form reads `training` at call time
    x = torch.randn(4, 3, 2, 2)
    torch.testing.assert_close(form(x), bn(x), rtol=0, atol=0)
    assert int(twin.num_batches_tracked) == 3


def test_instance_norm_running_stats_updated_alike() -> None:
    inorm = nn.InstanceNorm1d(3, track_running_stats=True, momentum=None)
    twin = copy.deepcopy(inorm)
    x = torch.randn(2, 3, 5)
    torch.testing.assert_close(functional_form(twin)(x), inorm(x), rtol=0, atol=0)
    torch.testing.assert_close(twin.running_mean, inorm.running_mean, rtol=0, atol=0)
    torch.testing.assert_close(twin.running_var, inorm.running_var, rtol=0, atol=0)


def test_random_modules_agree_only_under_the_same_seed() -> None:
    drop = nn.Dropout(0.5)
    form = functional_form(drop)
    x = torch.ones(1000)
    torch.manual_seed(0)
    a = drop(x)
    torch.manual_seed(0)
    b = form(x)
    torch.testing.assert_close(a, b, rtol=0, atol=0)
    assert not torch.equal(form(x), b)  # a different draw


def test_lazy_module_after_materialisation() -> None:
    lazy = nn.LazyLinear(4)
    with pytest.raises(
        ValueError, match=r"expected a materialised LazyLinear, got one with uninitialised weight"
    ):
        functional_form(lazy)
    x = torch.randn(2, 3)
    y = lazy(x)
    assert type(lazy) is nn.Linear
    torch.testing.assert_close(functional_form(lazy)(x), y, rtol=0, atol=0)


def test_error_non_module() -> None:
    with pytest.raises(TypeError, match=r"expected a torch\.nn\.Module instance, got int"):
        functional_form(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expected a torch\.nn\.Module instance, got function"):
        functional_form(torch.nn.functional.relu)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("module", "pattern"),
    [
        (nn.LSTM(2, 3), r"torch\.nn\.LSTM has no functional form: RNN_INTERNAL"),
        (nn.Sequential(), r"torch\.nn\.Sequential has no functional form: CONTAINER"),
        (nn.Identity(), r"torch\.nn\.Identity has no functional form: IDENTITY"),
        (
            nn.Transformer(8, 2, 1, 1, 16, batch_first=True),
            r"torch\.nn\.Transformer has no functional form: COMPOSITION",
        ),
        (nn.CrossMapLRN2d(3), r"CrossMapLRN2d has no functional form: PRIVATE_FUNCTION"),
    ],
    ids=["LSTM", "Sequential", "Identity", "Transformer", "CrossMapLRN2d"],
)
def test_error_unmapped(module: nn.Module, pattern: str) -> None:
    with pytest.raises(NoFunctionalFormError, match=pattern):
        functional_form(module)


def test_error_subclass_overriding_forward() -> None:
    class Doubling(nn.Linear):
        def forward(self, input: torch.Tensor) -> torch.Tensor:
            return 2 * super().forward(input)

    with pytest.raises(
        NoFunctionalFormError, match=r"torch\.nn\.Linear .*Doubling, which overrides forward"
    ):
        functional_form(Doubling(2, 2))

    class Plain(nn.Module):
        pass

    with pytest.raises(NoFunctionalFormError, match=r"has no functional form: BASE_CLASS"):
        functional_form(Plain())


def test_subclass_keeping_forward_is_supported() -> None:
    class Named(nn.ReLU):
        pass

    x = torch.randn(5)
    torch.testing.assert_close(functional_form(Named())(x), torch.relu(x), rtol=0, atol=0)


def _message(fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises((ValueError, RuntimeError)) as info:
        fn(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    ("module", "args", "kwargs"),
    [
        (nn.BatchNorm2d(3), (torch.randn(2, 3),), {}),
        (nn.InstanceNorm1d(3, affine=True), (torch.randn(2, 4, 5),), {}),
        (
            nn.ConvTranspose2d(2, 2, 3, stride=2),
            (torch.randn(1, 2, 4, 4),),
            {"output_size": [20, 20]},
        ),
        (nn.ConvTranspose1d(2, 2, 3), (torch.randn(1, 2, 4),), {"output_size": [1, 2, 3, 4]}),
        (nn.Softmax2d(), (torch.randn(5),), {}),
        (nn.CircularPad2d(1), (torch.randn(5),), {}),
    ],
    ids=[
        "BatchNorm2d-dim",
        "InstanceNorm1d-features",
        "ConvTranspose2d-size",
        "ConvTranspose1d-len",
        "Softmax2d",
        "CircularPad2d",
    ],
)
def test_errors_match_the_module(module: nn.Module, args: Any, kwargs: Any) -> None:
    form = functional_form(copy.deepcopy(module))
    assert _message(form, *args, **kwargs) == _message(module, *args, **kwargs)


def test_conv_transpose_rejects_padding_mode_like_the_module() -> None:
    m = nn.ConvTranspose2d(2, 2, 3)
    m.padding_mode = "reflect"
    x = torch.randn(1, 2, 4, 4)
    assert _message(functional_form(m), x) == _message(m, x)


@settings(max_examples=30, deadline=None)
@given(
    kernel=st.integers(1, 3),
    stride=st.integers(1, 3),
    padding=st.integers(0, 1),
    dilation=st.integers(1, 2),
    groups=st.sampled_from([1, 2]),
    mode=st.sampled_from(["zeros", "reflect", "replicate", "circular"]),
    size=st.tuples(st.integers(4, 7), st.integers(4, 7)),
    double=st.booleans(),
)
def test_conv2d_hyperparameters(
    kernel: int,
    stride: int,
    padding: int,
    dilation: int,
    groups: int,
    mode: str,
    size: tuple[int, int],
    double: bool,
) -> None:
    dtype = torch.float64 if double else torch.float32
    m = nn.Conv2d(4, 6, kernel, stride, padding, dilation, groups, padding_mode=mode, dtype=dtype)
    x = torch.randn(2, 4, *size, dtype=dtype)
    try:
        expected = m(x)
    except RuntimeError as err:  # a kernel larger than the (padded) input: the same error
        with pytest.raises(RuntimeError) as info:
            functional_form(m)(x)
        assert str(info.value) == str(err)
        return
    torch.testing.assert_close(functional_form(m)(x), expected, rtol=0, atol=0)


@settings(max_examples=30, deadline=None)
@given(
    kernel=st.integers(2, 3),
    stride=st.integers(1, 3),
    padding=st.integers(0, 1),
    ceil_mode=st.booleans(),
    extra=st.integers(0, 2),
    size=st.integers(5, 9),
)
def test_pool_and_transposed_conv_hyperparameters(
    kernel: int, stride: int, padding: int, ceil_mode: bool, extra: int, size: int
) -> None:
    x = torch.randn(2, 2, size, size + 1)
    for m in (
        nn.MaxPool2d(kernel, stride, padding, ceil_mode=ceil_mode, return_indices=True),
        nn.AvgPool2d(kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=bool(extra)),
    ):
        _assert_same(functional_form(m)(x), m(x))
    t = nn.ConvTranspose2d(2, 3, kernel, stride, padding)
    out = [(s - 1) * stride - 2 * padding + kernel + min(extra, stride - 1) for s in x.shape[2:]]
    _assert_same(functional_form(t)(x, output_size=out), t(x, output_size=out))
