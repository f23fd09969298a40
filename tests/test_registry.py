"""The registry against the installed torch.nn: complete, consistent, and true."""

from __future__ import annotations

import contextlib
import copy
import inspect
import sys
import warnings
from collections import Counter
from typing import Any

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode

from nnguide.cases import verification_cases
from nnguide.functional_form import functional_form
from nnguide.registry import (
    Entry,
    Unmapped,
    entry,
    public_functions,
    registry,
    registry_counts,
    resolve,
    unmapped_functions,
)

ENTRIES = registry()
MAPPED = [e for e in ENTRIES if e.mapped]


def _torch_nn_modules() -> set[str]:
    """Enumerated here independently of the registry."""
    return {
        name
        for name, obj in vars(nn).items()
        if not name.startswith("_") and isinstance(obj, type) and issubclass(obj, nn.Module)
    }


def test_every_module_is_mapped_or_listed_unmapped() -> None:
    names = [e.module for e in ENTRIES]
    assert len(names) == len(set(names))
    assert set(names) == _torch_nn_modules()
    unclassified = [e.module for e in ENTRIES if e.reason is Unmapped.UNCLASSIFIED]
    assert unclassified == [], f"torch.nn modules unknown to nnguide: {unclassified}"
    for e in ENTRIES:
        assert e.mapped != (e.reason is not None), e.module
        assert isinstance(e.module_class, type)


def test_registry_counts_are_consistent() -> None:
    """The registry's own counts; tests/test_verification.py checks ``verified``."""
    c = registry_counts()
    assert c["modules"] == len(_torch_nn_modules()) == len(ENTRIES)
    assert c["modules"] == c["mapped"] + c["unmapped"]
    by_reason = Counter(e.reason.name for e in ENTRIES if e.reason)
    assert {k: v for k, v in c.items() if k.startswith("unmapped.")} == {
        f"unmapped.{k}": v for k, v in by_reason.items()
    }
    assert sum(by_reason.values()) == c["unmapped"]
    assert "verified" not in c
    assert c["with_tolerance"] == sum(bool(e.tolerances) for e in ENTRIES)
    assert c["functions"] == len(public_functions())
    assert c["functions_without_module"] == len(unmapped_functions())


def test_counterparts_and_aliases_resolve() -> None:
    public = set(public_functions())
    for e in MAPPED:
        assert e.counterpart is not None
        fn = e.function()
        assert callable(fn)
        if e.counterpart.startswith("torch.nn.functional."):
            assert e.counterpart.rpartition(".")[2] in public, e.module
        else:  # only where torch.nn.functional has none
            assert not hasattr(F, e.counterpart.rpartition(".")[2]), e.module
        for q in (e.via, *e.aliases):
            if q:
                assert callable(resolve(q)), (e.module, q)


def test_public_functions_are_functions_of_tensors() -> None:
    names = public_functions()
    assert names == sorted(names)
    assert {"conv2d", "scaled_dot_product_attention", "interpolate"} <= set(names)
    assert not {"has_torch_function", "handle_torch_function", "boolean_dispatch", "Tensor"} & set(
        names
    )
    for name in names:
        assert inspect.isroutine(getattr(F, name)), name


def test_unmapped_functions_are_computed() -> None:
    fns = unmapped_functions()
    assert set(fns) <= set(public_functions())
    named = {
        q.rpartition(".")[2]
        for e in ENTRIES
        for q in (e.counterpart, e.via, *e.aliases)
        if q and q.startswith("torch.nn.functional.")
    }
    assert set(fns) == set(public_functions()) - named
    assert {"scaled_dot_product_attention", "one_hot", "normalize", "grid_sample"} <= set(fns)


def test_inplace_variants_are_aliases() -> None:
    assert "torch.nn.functional.relu_" in entry("ReLU").aliases
    assert "torch.nn.functional.max_pool2d_with_indices" in entry("MaxPool2d").aliases


def test_tolerances_are_bounded_and_explained() -> None:
    for e in ENTRIES:
        for tol in e.tolerances:
            assert tol.dtype in ("float32", "float64")
            assert tol.reason
            if tol.dtype == "float64":
                assert tol.rtol <= 1e-6, e.module
        if e.tolerances:
            assert any(c.fast_path for c in verification_cases(e.module))


def test_entry_lookup() -> None:
    assert entry("Conv2d") == entry(nn.Conv2d) == entry(nn.Conv2d(1, 1, 1))
    assert isinstance(entry("ReLU"), Entry)
    with pytest.raises(
        KeyError, match=r"expected the name of a public torch\.nn module, got 'Conv4d'"
    ):
        entry("Conv4d")
    with pytest.raises(
        TypeError, match=r"expected a torch\.nn\.Module, a Module subclass or a class name, got int"
    ):
        entry(3)  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"torch\.nn\.LSTM has no functional counterpart \(RNN_INTERNAL\)"
    ):
        entry("LSTM").function()


def test_resolve_errors() -> None:
    assert resolve("torch.Tensor.flatten") is torch.Tensor.flatten
    with pytest.raises(
        ValueError,
        match=r"expected 'torch\.nn\.functional\.nope' to name a callable in torch, got None",
    ):
        resolve("torch.nn.functional.nope")


class _Recorder(TorchFunctionMode):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[Any] = set()

    def __torch_function__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        self.seen.add(func)
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("e", MAPPED, ids=[e.module for e in MAPPED])
def test_forward_calls_what_the_entry_says(e: Entry) -> None:
    """The module's own forward calls the counterpart (or the entry's ``via``)."""
    case = verification_cases(e.module)[0]
    module, args, kwargs = case.build(torch.float64)
    module.eval()
    recorder = _Recorder()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with recorder:
            module(*copy.deepcopy(args), **copy.deepcopy(kwargs))
    target = resolve(e.via or e.counterpart or "")
    assert target in recorder.seen, sorted(map(str, recorder.seen))


def test_nontrivial_aliases_compute_the_same() -> None:
    x = torch.randn(2, 6, 3, 3)
    assert "torch.nn.functional.native_channel_shuffle" in entry("ChannelShuffle").aliases
    assert torch.equal(F.native_channel_shuffle(x, 3), nn.ChannelShuffle(3)(x))
    assert torch.equal(torch.sigmoid(x), nn.Sigmoid()(x))
    assert torch.equal(torch.tanh(x), nn.Tanh()(x))
    out, idx = F.max_pool2d_with_indices(x, 2)
    expected = nn.MaxPool2d(2, return_indices=True)(x)
    assert torch.equal(out, expected[0]) and torch.equal(idx, expected[1])
    with pytest.warns(UserWarning, match="deprecated"):
        up = F.upsample_bilinear(x, scale_factor=2)
    assert torch.equal(up, nn.UpsamplingBilinear2d(scale_factor=2)(x))
    with pytest.warns(UserWarning, match="deprecated"):
        up = F.upsample_nearest(x, scale_factor=2)
    assert torch.equal(up, nn.UpsamplingNearest2d(scale_factor=2)(x))
    y = x.clone()
    F.relu_(y)
    assert torch.equal(y, nn.ReLU()(x))


def test_a_module_unknown_to_the_registry_is_unclassified(monkeypatch: pytest.MonkeyPatch) -> None:
    registry_module = sys.modules["nnguide.registry"]  # nnguide.registry is the function
    monkeypatch.delitem(registry_module._SPECS, "ReLU")
    e = entry("ReLU")
    assert (e.counterpart, e.reason) == (None, Unmapped.UNCLASSIFIED)


def _of(reason: Unmapped) -> list[Entry]:
    return [e for e in ENTRIES if e.reason is reason]


def test_each_unmapped_reason_holds() -> None:
    """What each Unmapped value says, checked on the modules that have it."""
    for e in _of(Unmapped.BASE_CLASS):
        assert e.module_class.forward is nn.Module.forward, e.module  # unimplemented
    with pytest.raises(NotImplementedError):
        nn.Module()(torch.ones(1))
    for e in _of(Unmapped.CONTAINER):
        if e.module != "Sequential":  # Sequential's forward only calls its modules
            assert e.module_class.forward is nn.Module.forward, e.module
    assert "for module in self:" in inspect.getsource(nn.Sequential.forward)
    for e in _of(Unmapped.RNN_INTERNAL):
        assert "_VF." in inspect.getsource(e.module_class.forward), e.module
    assert not [f for f in public_functions() if any(k in f for k in ("rnn", "lstm", "gru"))]
    for e in _of(Unmapped.PRIVATE_FUNCTION):
        assert ".apply(" in inspect.getsource(e.module_class.forward), e.module
    x = torch.randn(3)
    for e in _of(Unmapped.IDENTITY):
        assert e.module_class()(x) is x, e.module


def test_the_notes_on_unmapped_modules_hold() -> None:
    with pytest.warns(FutureWarning, match="deprecated"):
        nn.Container()
    assert not hasattr(nn, "DistributedDataParallel")
    assert isinstance(torch.nn.parallel.DistributedDataParallel, type)
    for name in ("rnn_tanh", "rnn_relu", "lstm", "gru"):
        assert not getattr(torch, name).__doc__, name
    source = inspect.getsource(nn.TransformerEncoderLayer.forward)
    assert "torch._transformer_encoder_layer_fwd" in source
    x = torch.randn(2, 6, 5, 5, dtype=torch.float64)
    lrn = nn.CrossMapLRN2d(3)
    expected = F.local_response_norm(x, 3, lrn.alpha, lrn.beta, lrn.k)
    assert not torch.equal(lrn(x), expected)
    torch.testing.assert_close(lrn(x), expected, rtol=0, atol=1e-2)


def test_multihead_attention_fast_path_is_the_fused_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tolerance's reason: the fast-path case runs torch._native_multi_head_attention."""
    fused = torch._native_multi_head_attention
    calls: list[int] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return fused(*args, **kwargs)

    monkeypatch.setattr(torch, "_native_multi_head_attention", recording)
    for case in verification_cases("MultiheadAttention"):
        module, args, kwargs = case.build(torch.float64)
        module.eval()
        calls.clear()
        with torch.no_grad() if case.no_grad else contextlib.nullcontext():
            module(*args, **kwargs)
        assert bool(calls) == case.fast_path, case.id
        if case.fast_path:  # with grad enabled (and parameters requiring it), not taken
            calls.clear()
            module(*args, **kwargs)
            assert not calls, case.id
            with torch.no_grad():  # and the fused kernel rounds differently
                fused_out, _ = module(*args, **kwargs)
                form_out, _ = functional_form(module)(*args, **kwargs)
            assert not torch.equal(fused_out, form_out), case.id
