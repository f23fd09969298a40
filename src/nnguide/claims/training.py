"""Claims on training and keeping a model: A7 (in place), A8 (seeds), A9 (parameters through
F), A10 (saving), A11 (dropout after ``eval()``)."""

from __future__ import annotations

import inspect
import random
import re
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from nnguide.claims._core import Observation, claim, message, raised
from nnguide.models import MLP
from nnguide.seeding import cublas_check_in_library, torch_checks_cublas_workspace
from nnguide.state import preserved


@claim(
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
def in_place_changes_autograd_refuses() -> Observation:
    """Claim A7 (wrong): neither a leaf that requires grad nor a tensor that backward
    needs can be changed in place.

    Changes a leaf, its views, saved and other tensors in place, with and without grad.
    """
    weight = torch.ones(3, requires_grad=True)
    version = weight._version
    leaf = raised(lambda: weight.add_(1))
    leaf_version_unchanged = weight._version == version
    view_of_leaf = raised(lambda: weight[0].add_(1))
    unbound = (weight * 1).unbind()
    unbind_view = raised(lambda: unbound[0].add_(1))

    saved = (weight * 2).exp()  # exp saves its output for backward
    changed = raised(lambda: saved.add_(1))
    backward = raised(lambda: torch.autograd.backward(saved.sum()))

    other = weight * 2  # mul by a constant saves nothing that other needs
    other_error = raised(lambda: torch.autograd.backward(other.add_(1).sum()))
    grad_ok = weight.grad is not None and torch.equal(weight.grad, torch.full((3,), 2.0))

    with torch.no_grad():
        no_grad = raised(lambda: weight.add_(1))
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
    return Observation(
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
        detail=f"leaf.add_(1): {message(leaf)} | leaf[0].add_(1): {message(view_of_leaf)} | "
        f"(leaf * 1).unbind()[0].add_(1): {message(unbind_view)} | backward after "
        f"changing a saved tensor: {message(backward)}",
    )


@claim(
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
def seeds_leave_determinism_off() -> Observation:
    """Claim A8 (wrong): seeding torch, CUDA, NumPy and random and setting
    cudnn.deterministic guarantee reproducible results.

    Runs the article's recipe, then ``put_`` with and without the deterministic switch.
    """

    def put_duplicates() -> torch.Tensor:
        target = torch.zeros(3)
        return target.put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]))

    with preserved():
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
        unchecked = raised(put_duplicates)

        torch.use_deterministic_algorithms(True)
        checked = raised(put_duplicates)
        empty_is_nan = bool(torch.empty(3).isnan().all())
    from torch.utils.data._utils import worker

    worker_loop = inspect.getsource(worker._worker_loop)
    workers_seed = all(
        line in worker_loop
        for line in ("random.seed(seed)", "torch.manual_seed(seed)", "np.random.seed(np_seed)")
    )
    cublas = torch_checks_cublas_workspace()
    in_library = cublas_check_in_library()
    with preserved():
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
    return Observation(
        expected="recipe leaves deterministic algorithms off; put_ runs unchecked, "
        "and raises once they are on; workers seed random, NumPy and torch",
        observed=f"deterministic algorithms {'on' if recipe_enabled else 'off'}; put_ "
        f"{'runs' if unchecked is None else 'raises'}, then "
        f"{'raises ' + type(checked).__name__ if checked else 'runs'}; workers seed "
        f"{'random, NumPy and torch' if workers_seed else 'not all three'}",
        holds=holds,
        detail=f"numpy {numpy}; CUDA available: {cuda}"
        f"{'' if cuda else ' (cuDNN, cuBLAS and CUDA atomics cannot be shown here)'}; "
        f"with deterministic algorithms on: {message(checked)} | torch.empty fills with "
        f"NaN: {empty_is_nan} | cudnn.benchmark stays on under the switch: "
        f"{benchmark_stays_on} | the check's message in libtorch_cpu: {in_library} | "
        f"torch {torch.__version__} checks CUBLAS_WORKSPACE_CONFIG: {cublas}",
    )


@claim(
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
def parameters_used_through_f_are_saved_and_trained() -> Observation:
    """Claim A9 (wrong): parameters used through F can be neither saved nor learned.

    Trains and saves a Module whose forward uses its Parameters through ``F.linear``.
    """

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
    return Observation(
        expected="state_dict ['weight', 'bias']; one SGD step changes weight; plain tensor absent",
        observed=f"state_dict {keys}; one SGD step changes weight by up to {change:.3g}; "
        f"plain tensor {'absent' if 'scale' not in keys else 'present'}",
        holds=holds,
        detail=f"named_parameters: {params}; the unregistered 'scale' is in state_dict: "
        f"{'scale' in keys}",
    )


@claim(
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
def saving_the_whole_model_fails_to_load() -> Observation:
    """Claim A10 (wrong): torch.save(model, ...) then
    model.load_state_dict(torch.load(...)) saves and restores a model.

    Runs the article's save and load, then a state_dict round trip.
    """
    model = MLP(4, 8, 2)
    with tempfile.TemporaryDirectory() as folder:
        saved, loaded = Path(folder) / "best.pth", Path(folder) / "best.pt"
        torch.save(model, saved)
        missing = raised(lambda: torch.load(loaded))
        refused = raised(lambda: torch.load(saved))
        wrong_type = raised(lambda: model.load_state_dict(model))  # type: ignore[arg-type]

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
    return Observation(
        expected="FileNotFoundError; UnpicklingError; TypeError; state_dict round-trip identical",
        observed=f"{type(missing).__name__}; {type(refused).__name__}; "
        f"{type(wrong_type).__name__}; state_dict round-trip "
        f"{'identical' if identical else 'different'}",
        holds=holds,
        detail=f"torch.load('best.pt'): {message(missing).replace(folder, '<tmp>')} | "
        f"torch.load('best.pth'): {message(refused)} ... {reason} | load_state_dict(model): "
        f"{message(wrong_type)} | state_dict round-trip: {result}",
    )


@claim(
    "A11",
    statement="When dropout is written with F.dropout, model.eval() cannot turn it off.",
    verdict="misleading",
    corrected="F.dropout's training argument defaults to True, so a forward that calls "
    "F.dropout(x, p) keeps dropping after eval(). Pass training=self.training and eval() "
    "turns it off, exactly as with nn.Dropout. One caveat: torch.fx tracing reads "
    "self.training once and writes it into the graph as a constant, so eval() on the "
    "traced module no longer turns that dropout off.",
)
def f_dropout_follows_eval_when_given_training() -> Observation:
    """Claim A11 (misleading): with F.dropout, model.eval() cannot turn dropout off.

    Counts zeros after ``eval()`` for ``F.dropout`` with and without ``training=``.
    """

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
    return Observation(
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
