"""The guide's statements as small checks that run against the installed torch.

Each check runs live code and returns its :class:`Evidence`: the values it compared, or
the exact error message torch raised. ``python -m nnguide check`` runs them all.

The eleven claims (``A1`` to ``A11``) examine the statements of a widely read Chinese blog
article on ``torch.nn`` versus ``torch.nn.functional``, paraphrased here, never quoted.
Each carries a verdict on the article's statement (``correct``, ``incomplete``,
``misleading`` or ``wrong``) and the guide's corrected version; ``holds`` says whether
the evidence still supports that verdict and correction on this torch.
"""

from __future__ import annotations

import inspect
import random
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn

from nnguide.models import MLP, SmallCNN
from nnguide.registry import public_functions
from nnguide.seeding import cublas_check_in_library, torch_checks_cublas_workspace

__all__ = ["CLAIM_IDS", "Evidence", "Verdict", "all_claims", "run_claim"]

Verdict = Literal["correct", "incomplete", "misleading", "wrong"]


@dataclass(frozen=True)
class Evidence:
    """What one check observed, and whether it supports what the guide says.

    Attributes:
        claim_id: the claim's id, e.g. ``"A4"``.
        statement: the statement examined, paraphrased.
        verdict: the guide's verdict on that statement: ``"correct"``, ``"incomplete"``,
            ``"misleading"`` or ``"wrong"``.
        expected: what the guide says a run shows, in a few words.
        observed: what this run showed, in the same terms.
        holds: ``True`` when the observation supports the verdict and the correction.
        detail: the exact values and error messages behind ``observed``.
        corrected: the guide's corrected statement.
    """

    claim_id: str
    statement: str
    verdict: Verdict
    expected: str
    observed: str
    holds: bool
    detail: str
    corrected: str


@dataclass(frozen=True)
class _Observation:
    expected: str
    observed: str
    holds: bool
    detail: str


@dataclass(frozen=True)
class _Claim:
    statement: str
    verdict: Verdict
    corrected: str
    check: Callable[[], _Observation]


_CLAIMS: dict[str, _Claim] = {}


def _claim(
    claim_id: str, *, statement: str, verdict: Verdict, corrected: str
) -> Callable[[Callable[[], _Observation]], Callable[[], _Observation]]:
    def register(check: Callable[[], _Observation]) -> Callable[[], _Observation]:
        _CLAIMS[claim_id] = _Claim(statement, verdict, corrected, check)
        return check

    return register


def _error(call: Callable[[], object]) -> BaseException | None:
    """Run ``call`` and return the exception it raised, or ``None``."""
    try:
        call()
    except Exception as error:
        return error
    return None


def _message(error: BaseException | None) -> str:
    """``"TypeError: ..."`` with the first line of the message, or ``"no error"``.

    Terminal escape codes (torch bolds part of some messages) are removed.
    """
    if error is None:
        return "no error"
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()
    return f"{type(error).__name__}: {text.splitlines()[0].strip()}"


def _shape(tensor: torch.Tensor) -> tuple[int, ...]:
    return tuple(tensor.shape)


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


@_claim(
    "A1",
    statement="The classes of torch.nn wrap the functions of torch.nn.functional, and both "
    "the classes and the functions inherit from nn.Module.",
    verdict="wrong",
    corrected="Most torch.nn classes are Modules whose forward calls a torch.nn.functional "
    "function with the state the Module keeps. The functions are plain Python functions "
    "or builtins: they are not Modules and keep no state.",
)
def _a1() -> _Observation:
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
    return _Observation(
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


@_claim(
    "A2",
    statement="The functions of torch.nn.functional also inherit from nn.Module.",
    verdict="wrong",
    corrected="The functions of torch.nn.functional are Python functions or builtins, not "
    "Modules; nothing else in that namespace (imported modules, typing names, constants, "
    "the Tensor class) is a Module or a Module class either.",
)
def _a2() -> _Observation:
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
    return _Observation(
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


@_claim(
    "A3",
    statement="nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1) applied to "
    "torch.rand(64, 3, 217, 217) works.",
    verdict="correct",
    corrected="It works: padding=1 with a 3x3 kernel keeps 217x217, so the output is "
    "(64, 64, 217, 217). That output alone takes hundreds of MiB in float32 (the detail "
    "gives the size and the work), so try such a layer on a small batch first.",
)
def _a3() -> _Observation:
    # The exact call runs on the meta device: shapes are checked, no memory is used.
    conv = nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1, device="meta")
    out = conv(torch.rand(64, 3, 217, 217, device="meta"))
    # The same layer computes real numbers on two images, the same way as F.conv2d.
    real = nn.Conv2d(in_channels=3, out_channels=64, kernel_size=3, padding=1)
    images = torch.rand(1, 3, 217, 217)
    with torch.no_grad():
        real_out = real(images)
        same = torch.equal(real_out, F.conv2d(images, real.weight, real.bias, padding=1))
    mib = out.numel() * out.element_size() / 2**20
    macs = out.numel() * 3 * 3 * 3
    return _Observation(
        expected="output (64, 64, 217, 217)",
        observed=f"output {_shape(out)}",
        holds=_shape(out) == (64, 64, 217, 217)
        and _shape(real_out) == (1, 64, 217, 217)
        and same
        and 100 < mib < 1000,
        detail=f"on the meta device: {_shape(out)}, {mib:.1f} MiB of float32 output, "
        f"{macs / 1e9:.1f} G multiply-adds; on 1 real image: {_shape(real_out)}, "
        f"identical to F.conv2d: {same}",
    )


def _broken_sequential(kernel_size: int | None) -> nn.Sequential:
    conv = (
        nn.Conv2d(in_channels=3, out_channels=64, padding=1)  # type: ignore[call-arg]
        if kernel_size is None
        else nn.Conv2d(in_channels=3, out_channels=64, kernel_size=kernel_size, padding=1)
    )
    return nn.Sequential(
        conv,
        nn.BatchNorm2d(64),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.5),
        nn.Linear(in_features=32, out_features=10),
    )


@_claim(
    "A4",
    statement="nn.Sequential(nn.Conv2d(in_channels=3, out_channels=64, padding=1), "
    "nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.5), "
    "nn.Linear(in_features=32, out_features=10)) is a working network.",
    verdict="wrong",
    corrected="It fails twice. Conv2d needs kernel_size, so construction raises TypeError. "
    "With a kernel size, Linear acts on the last dimension of a 4-d feature map: a "
    "32x32 image raises a shape error, and a 64x64 one silently gives (N, 64, 32, 10) "
    "instead of (N, 10). Pool to a fixed size, flatten, and give Linear "
    "channels x height x width inputs (nnguide.models.SmallCNN).",
)
def _a4() -> _Observation:
    construct = _error(lambda: _broken_sequential(None))
    fixed_kernel = _broken_sequential(3)
    forward = _error(lambda: fixed_kernel(torch.rand(2, 3, 32, 32)))
    with torch.no_grad():
        silent = _shape(fixed_kernel(torch.rand(2, 3, 64, 64)))
        corrected = _shape(SmallCNN()(torch.rand(2, 3, 32, 32)))
    holds = (
        isinstance(construct, TypeError)
        and "kernel_size" in str(construct)
        and isinstance(forward, RuntimeError)
        and "cannot be multiplied" in str(forward)
        and silent == (2, 64, 32, 10)
        and corrected == (2, 10)
    )
    return _Observation(
        expected="TypeError (kernel_size); then a shape error at Linear; corrected: (2, 10)",
        observed=f"{type(construct).__name__}; then {type(forward).__name__}; "
        f"corrected: {corrected}",
        holds=holds,
        detail=f"as written: {_message(construct)} | with kernel_size=3 on (2, 3, 32, 32): "
        f"{_message(forward)} | on (2, 3, 64, 64) it runs and returns {silent} | "
        f"SmallCNN on (2, 3, 32, 32): {corrected}",
    )


@_claim(
    "A5",
    statement="F.conv2d(input=inputs, weight=torch.rand(64, 3, 3, 3), bias=torch.rand(64), "
    "padding=1) is the functional way to write the same convolution layer.",
    verdict="wrong",
    corrected="The call runs (input= works as a keyword), but it draws new random weights "
    "on every call: nothing registers, trains or saves them, and torch.rand is not the "
    "layer's initialisation. F.conv2d computes the layer only when given the layer's "
    "weights: keep them as nn.Parameter on a Module, or pass conv.weight and conv.bias.",
)
def _a5() -> _Observation:
    inputs = torch.rand(2, 3, 16, 16)

    def fresh() -> torch.Tensor:
        return F.conv2d(
            input=inputs, weight=torch.rand(64, 3, 3, 3), bias=torch.rand(64), padding=1
        )

    outputs: list[torch.Tensor] = []
    error = _error(lambda: outputs.extend((fresh(), fresh())))

    class FreshWeights(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.conv2d(x, torch.rand(64, 3, 3, 3), torch.rand(64), padding=1)

    registered = len(list(FreshWeights().parameters()))
    conv = nn.Conv2d(3, 64, kernel_size=3, padding=1)
    with torch.no_grad():
        same = torch.equal(
            conv(inputs), F.conv2d(input=inputs, weight=conv.weight, bias=conv.bias, padding=1)
        )
    repeatable = error is None and torch.equal(outputs[0], outputs[1])
    return _Observation(
        expected="runs; two calls differ; 0 parameters registered; "
        "with conv.weight: identical to nn.Conv2d",
        observed=f"{'runs' if error is None else _message(error)}; two calls "
        f"{'agree' if repeatable else 'differ'}; {registered} parameters registered; "
        f"with conv.weight: {'identical' if same else 'different'}",
        holds=error is None and not repeatable and registered == 0 and same,
        detail=f"output {_shape(outputs[0]) if outputs else 'none'}; "
        f"F.conv2d is torch.conv2d: {F.conv2d is torch.conv2d}; "
        f"torch.rand weights lie in [0, 1), mean {float(torch.rand(64, 3, 3, 3).mean()):.2f}; "
        f"nn.Conv2d's lie within +-{float(conv.weight.detach().abs().max()):.2f}; "
        f"weight.requires_grad of torch.rand: {torch.rand(1).requires_grad}",
    )


@_claim(
    "A6",
    statement="nn.ReLU's forward returns F.relu(input, inplace=self.inplace).",
    verdict="correct",
    corrected="Correct: nn.ReLU.forward is that one line, read here from the installed torch.",
)
def _a6() -> _Observation:
    source = inspect.getsource(nn.ReLU.forward)
    returns = [line.strip() for line in source.splitlines() if line.strip().startswith("return")]
    expected = "return F.relu(input, inplace=self.inplace)"
    return _Observation(
        expected=expected,
        observed=" | ".join(returns),
        holds=returns == [expected],
        detail=f"inspect.getsource(nn.ReLU.forward) has {len(source.splitlines())} lines",
    )


@_claim(
    "A7",
    statement="A leaf tensor that requires grad cannot be changed in place, and neither can "
    "a tensor that backward needs.",
    verdict="wrong",
    corrected="The leaf raises at once, checked at the in-place call itself (its version "
    "counter does not move), but only while autograd records: under torch.no_grad() the "
    "in-place change works (that is how optimizers update weights). A tensor saved for "
    "backward can be changed in place: the change succeeds, and backward() fails later, "
    "from its version counter. Other intermediate tensors can be changed in place, except views "
    "autograd refuses at once: a view of a leaf that requires grad, and an output of a "
    "function that returns several views, such as unbind.",
)
def _a7() -> _Observation:
    weight = torch.ones(3, requires_grad=True)
    version = weight._version
    leaf = _error(lambda: weight.add_(1))
    leaf_version_unchanged = weight._version == version
    view_of_leaf = _error(lambda: weight[0].add_(1))
    unbound = (weight * 1).unbind()
    unbind_view = _error(lambda: unbound[0].add_(1))

    saved = (weight * 2).exp()  # exp saves its output for backward
    changed = _error(lambda: saved.add_(1))
    backward = _error(lambda: torch.autograd.backward(saved.sum()))

    other = weight * 2  # mul by a constant saves nothing that other needs
    other_error = _error(lambda: torch.autograd.backward(other.add_(1).sum()))
    grad_ok = weight.grad is not None and torch.equal(weight.grad, torch.full((3,), 2.0))

    with torch.no_grad():
        no_grad = _error(lambda: weight.add_(1))
    holds = (
        isinstance(leaf, RuntimeError)
        and "a leaf Variable that requires grad" in str(leaf)
        and leaf_version_unchanged
        and isinstance(view_of_leaf, RuntimeError)
        and "a view of a leaf Variable" in str(view_of_leaf)
        and isinstance(unbind_view, RuntimeError)
        and "returns multiple views" in str(unbind_view)
        and changed is None
        and isinstance(backward, RuntimeError)
        and "modified by an inplace operation" in str(backward)
        and other_error is None
        and grad_ok
        and no_grad is None
        and torch.equal(weight.detach(), torch.full((3,), 2.0))
    )
    return _Observation(
        expected="leaf: RuntimeError at once, version unchanged; view of the leaf and "
        "unbind output: RuntimeError at once; saved: runs, RuntimeError at backward; "
        "other: fine; no_grad leaf: fine",
        observed=f"leaf: {type(leaf).__name__}, version "
        f"{'unchanged' if leaf_version_unchanged else 'changed'}; view of the leaf: "
        f"{type(view_of_leaf).__name__}; unbind output: {type(unbind_view).__name__}; saved: "
        f"{'runs' if changed is None else type(changed).__name__}, "
        f"{type(backward).__name__} at backward; "
        f"other: {'fine' if other_error is None else type(other_error).__name__}; "
        f"no_grad leaf: {'fine' if no_grad is None else type(no_grad).__name__}",
        holds=holds,
        detail=f"leaf.add_(1): {_message(leaf)} | leaf[0].add_(1): {_message(view_of_leaf)} | "
        f"(leaf * 1).unbind()[0].add_(1): {_message(unbind_view)} | backward after "
        f"changing a saved tensor: {_message(backward)}",
    )


@contextmanager
def _restore_global_state() -> Iterator[None]:
    """Put back the deterministic switches and Python's and NumPy's generators."""
    enabled = torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    cudnn = torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark
    python_state = random.getstate()
    try:
        import numpy as np
    except ImportError:
        numpy_state = None
    else:
        numpy_state = np.random.get_state()  # noqa: NPY002 (the legacy global generator is the point)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(enabled, warn_only=warn_only)
        torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark = cudnn
        random.setstate(python_state)
        if numpy_state is not None:
            np.random.set_state(numpy_state)  # noqa: NPY002 (the legacy global generator is the point)


@_claim(
    "A8",
    statement="torch.manual_seed, torch.cuda.manual_seed_all, np.random.seed, random.seed "
    "and torch.backends.cudnn.deterministic = True together guarantee reproducible results.",
    verdict="wrong",
    corrected="Those seeds are needed but guarantee nothing: they leave deterministic "
    "algorithms off, so operations without a deterministic implementation run unchecked. "
    "Also call torch.use_deterministic_algorithms(True) (then such operations raise "
    "instead of varying), keep cudnn.benchmark = False, and give each DataLoader a seeded "
    "generator=; the workers, which seed random, NumPy and torch themselves, then get a "
    "repeatable base seed, with no worker_init_fn. Only torch releases before 2.10 also "
    "need CUBLAS_WORKSPACE_CONFIG on "
    "CUDA (nnguide.seeding.seed_everything sets what the installed torch needs). Even "
    "then PyTorch's reproducibility notes guarantee nothing across releases, platforms "
    "or devices, and a CPU result can depend on the number of threads.",
)
def _a8() -> _Observation:
    def put_duplicates() -> torch.Tensor:
        target = torch.zeros(3)
        return target.put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))

    with _restore_global_state():
        torch.use_deterministic_algorithms(False)
        torch.manual_seed(0)
        torch.cuda.manual_seed_all(0)
        try:
            import numpy as np
        except ImportError:
            numpy = "not installed"
        else:
            np.random.seed(0)  # noqa: NPY002 (the legacy global generator is the point)
            numpy = "seeded"
        random.seed(0)
        torch.backends.cudnn.deterministic = True
        recipe_enabled = torch.are_deterministic_algorithms_enabled()
        unchecked = _error(put_duplicates)

        torch.use_deterministic_algorithms(True)
        checked = _error(put_duplicates)
        empty_is_nan = bool(torch.empty(3).isnan().all())
    from torch.utils.data._utils import worker

    worker_loop = inspect.getsource(worker._worker_loop)
    workers_seed = all(
        line in worker_loop
        for line in ("random.seed(seed)", "torch.manual_seed(seed)", "np.random.seed(np_seed)")
    )
    cublas = torch_checks_cublas_workspace()
    in_library = cublas_check_in_library()
    with _restore_global_state():
        torch.backends.cudnn.benchmark = True
        torch.use_deterministic_algorithms(True)
        benchmark_stays_on = torch.backends.cudnn.benchmark
    holds = (
        not recipe_enabled
        and unchecked is None
        and isinstance(checked, RuntimeError)
        and "does not have a deterministic implementation" in str(checked)
        and workers_seed
        and benchmark_stays_on
        and in_library in (None, cublas)
    )
    cuda = torch.cuda.is_available()
    return _Observation(
        expected="recipe leaves deterministic algorithms off; put_ runs unchecked, "
        "and raises once they are on; workers seed random, NumPy and torch",
        observed=f"deterministic algorithms {'on' if recipe_enabled else 'off'}; put_ "
        f"{'runs' if unchecked is None else 'raises'}, then "
        f"{'raises ' + type(checked).__name__ if checked else 'runs'}; workers seed "
        f"{'random, NumPy and torch' if workers_seed else 'not all three'}",
        holds=holds,
        detail=f"numpy {numpy}; CUDA available: {cuda}"
        f"{'' if cuda else ' (cuDNN, cuBLAS and CUDA atomics cannot be shown here)'}; "
        f"with deterministic algorithms on: {_message(checked)} | torch.empty fills with "
        f"NaN: {empty_is_nan} | cudnn.benchmark stays on under the switch: "
        f"{benchmark_stays_on} | the check's message in libtorch_cpu: {in_library} | "
        f"torch {torch.__version__} checks CUBLAS_WORKSPACE_CONFIG: {cublas}",
    )


@_claim(
    "A9",
    statement="Layers with learnable parameters should use torch.nn, because parameters used "
    "through torch.nn.functional cannot be saved and are hyper-parameters that "
    "backpropagation cannot learn.",
    verdict="wrong",
    corrected="An nn.Parameter registered on a Module is saved in its state_dict and "
    "trained by the optimizer whether forward uses it through a torch.nn layer or through "
    "F. What is neither saved nor trained is a plain tensor attribute that was never "
    "registered as a Parameter or buffer.",
)
def _a9() -> _Observation:
    class FunctionalLinear(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.weight = nn.Parameter(torch.randn(2, 4))
            self.bias = nn.Parameter(torch.zeros(2))
            self.scale = torch.ones(2)  # a plain attribute: not registered

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.linear(x, self.weight, self.bias) * self.scale

    model = FunctionalLinear()
    before = model.weight.detach().clone()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model(torch.randn(8, 4)).pow(2).mean().backward()
    optimizer.step()
    change = float((model.weight.detach() - before).abs().max())
    keys = list(model.state_dict())
    params = [name for name, _ in model.named_parameters()]
    holds = keys == ["weight", "bias"] and params == keys and change > 0
    return _Observation(
        expected="state_dict ['weight', 'bias']; one SGD step changes weight; plain tensor absent",
        observed=f"state_dict {keys}; one SGD step changes weight by up to {change:.3g}; "
        f"plain tensor {'absent' if 'scale' not in keys else 'present'}",
        holds=holds,
        detail=f"named_parameters: {params}; the unregistered 'scale' is in state_dict: "
        f"{'scale' in keys}",
    )


@_claim(
    "A10",
    statement="torch.save(model, 'best.pth') followed by "
    "model.load_state_dict(torch.load('best.pt')) saves and restores a model.",
    verdict="wrong",
    corrected="Three faults: the file names differ; torch.save(model) pickles the whole "
    "model, which torch.load refuses by default (weights_only=True, the default since "
    "torch 2.6 by its release notes); and "
    "load_state_dict wants a state_dict, not a model. Save model.state_dict() and load "
    "it into a model built the same way (nnguide.checkpoint).",
)
def _a10() -> _Observation:
    model = MLP(4, 8, 2)
    with tempfile.TemporaryDirectory() as folder:
        saved, loaded = Path(folder) / "best.pth", Path(folder) / "best.pt"
        torch.save(model, saved)
        missing = _error(lambda: torch.load(loaded))
        refused = _error(lambda: torch.load(saved))
        wrong_type = _error(lambda: model.load_state_dict(model))  # type: ignore[arg-type]

        torch.save(model.state_dict(), loaded)
        restored = MLP(4, 8, 2)
        result = restored.load_state_dict(torch.load(loaded))
    found = re.search(r"WeightsUnpickler error: (.*?\.)(?:\s|$)", str(refused))
    reason = found.group(1) if found else "(no reason given)"
    identical = all(
        torch.equal(a, b)
        for a, b in zip(model.state_dict().values(), restored.state_dict().values(), strict=True)
    )
    holds = (
        isinstance(missing, FileNotFoundError)
        and type(refused).__name__ == "UnpicklingError"
        and "Weights only load failed" in str(refused)
        and isinstance(wrong_type, TypeError)
        and not result.missing_keys
        and not result.unexpected_keys
        and identical
    )
    return _Observation(
        expected="FileNotFoundError; UnpicklingError; TypeError; state_dict round-trip identical",
        observed=f"{type(missing).__name__}; {type(refused).__name__}; "
        f"{type(wrong_type).__name__}; state_dict round-trip "
        f"{'identical' if identical else 'different'}",
        holds=holds,
        detail=f"torch.load('best.pt'): {_message(missing).replace(folder, '<tmp>')} | "
        f"torch.load('best.pth'): {_message(refused)} ... {reason} | load_state_dict(model): "
        f"{_message(wrong_type)} | state_dict round-trip: {result}",
    )


@_claim(
    "A11",
    statement="When dropout is written with F.dropout, model.eval() cannot turn it off.",
    verdict="misleading",
    corrected="F.dropout's training argument defaults to True, so a forward that calls "
    "F.dropout(x, p) keeps dropping after eval(). Pass training=self.training and eval() "
    "turns it off, exactly as with nn.Dropout. One caveat: torch.fx tracing reads "
    "self.training once and writes it into the graph as a constant, so eval() on the "
    "traced module no longer turns that dropout off.",
)
def _a11() -> _Observation:
    class Default(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.dropout(x, p=0.5)

    class Passed(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.dropout(x, p=0.5, training=self.training)

    x = torch.ones(1000)
    zeroed = {}
    for model in (Default(), Passed(), nn.Dropout(p=0.5)):
        for mode in ("train", "eval"):
            model.train(mode == "train")
            zeroed[type(model).__name__, mode] = int((model(x) == 0).sum())
    traced = torch.fx.symbolic_trace(Passed())  # traced in training mode
    traced.eval()
    zeroed["traced Passed", "eval"] = int((traced(x) == 0).sum())
    holds = (
        zeroed["Default", "eval"] > 0
        and zeroed["traced Passed", "eval"] > 0
        and zeroed["Passed", "eval"] == 0
        and zeroed["Dropout", "eval"] == 0
        and all(zeroed[name, "train"] > 0 for name in ("Default", "Passed", "Dropout"))
    )
    return _Observation(
        expected="after eval(): F.dropout(x, p) still zeroes; training=self.training and "
        "nn.Dropout do not, unless traced by torch.fx",
        observed=f"after eval(): F.dropout(x, p) zeroes {zeroed['Default', 'eval']}/1000; "
        f"training=self.training {zeroed['Passed', 'eval']}; "
        f"nn.Dropout {zeroed['Dropout', 'eval']}; traced by torch.fx "
        f"{zeroed['traced Passed', 'eval']}",
        holds=holds,
        detail="elements zeroed out of 1000 ones, p=0.5: "
        + ", ".join(f"{name} in {mode}: {count}" for (name, mode), count in zeroed.items()),
    )


#: The ids of every claim, in the order :func:`all_claims` runs them.
CLAIM_IDS: tuple[str, ...] = tuple(_CLAIMS)


def run_claim(claim_id: str) -> Evidence:
    """Run one claim's check against the installed torch.

    The check runs with torch's random generators forked, and restores every global
    switch it touches, so running a claim changes nothing for the caller.

    Args:
        claim_id: one of :data:`CLAIM_IDS`, e.g. ``"A6"``.

    Returns:
        The claim's :class:`Evidence`.

    Raises:
        KeyError: ``claim_id`` is not a known claim.

    Examples:

        >>> evidence = run_claim("A2")
        >>> evidence.verdict, evidence.holds
        ('wrong', True)
        >>> evidence.observed
        '0 of ... public functions are Modules; isinstance(F.relu, nn.Module) is False'
        >>> run_claim("A99")
        Traceback (most recent call last):
          ...
        KeyError: "unknown claim 'A99'; expected one of A1, A2, ..., A11"
    """
    try:
        claim = _CLAIMS[claim_id]
    except KeyError:
        raise KeyError(
            f"unknown claim {claim_id!r}; expected one of {', '.join(_CLAIMS)}"
        ) from None
    with torch.random.fork_rng(devices=list(range(torch.cuda.device_count()))):
        torch.manual_seed(0)
        observation = claim.check()
    return Evidence(
        claim_id=claim_id,
        statement=claim.statement,
        verdict=claim.verdict,
        expected=observation.expected,
        observed=observation.observed,
        holds=observation.holds,
        detail=observation.detail,
        corrected=claim.corrected,
    )


def all_claims() -> list[Evidence]:
    """Run every claim's check, in order.

    Returns:
        One :class:`Evidence` per id in :data:`CLAIM_IDS`.

    Examples:

        >>> evidence = all_claims()
        >>> len(evidence), all(e.holds for e in evidence)
        (11, True)
        >>> sorted({e.verdict for e in evidence})
        ['correct', 'misleading', 'wrong']
    """
    return [run_claim(claim_id) for claim_id in CLAIM_IDS]
