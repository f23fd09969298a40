"""What the guide states, observed on the torch of this interpreter: one JSON object on stdout.

``benchmarks/torch_releases.py`` runs this inside a fresh virtualenv per torch release,
with nnguide installed there without dependencies; it can be run by hand the same way:

    python benchmarks/release_probe.py > probe.json

It records (a) every claim of ``python -m nnguide check`` (verdict, holds, expected and
observed), (b) the registry's enumeration of ``torch.nn`` (each module, mapped or why
not), (c) every mapped module's functional form against the module on its verification
cases in float64, in training and in evaluation mode, and (d) the facts the guide states
that depend on the release. A step that raises is recorded with its traceback, and the
others still run; the exit status is 0 whenever the JSON could be written.
"""

from __future__ import annotations

import io
import json
import platform
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any


def guarded(step: Callable[[], Any]) -> Any:
    """The step's result, or ``{"error": <traceback>}`` if it raised."""
    try:
        return step()
    except Exception:
        return {"error": traceback.format_exc(limit=8)}


def claims() -> list[dict[str, Any]]:
    import nnguide

    out = []
    for claim_id in nnguide.CLAIM_IDS:
        try:
            e = nnguide.run_claim(claim_id)
        except Exception:
            out.append({"id": claim_id, "error": traceback.format_exc(limit=8)})
            continue
        out.append(
            {
                "id": claim_id,
                "verdict": e.verdict,
                "holds": e.holds,
                "expected": e.expected,
                "observed": e.observed,
            }
        )
    return out


def catalogue() -> dict[str, Any]:
    import nnguide

    entries = nnguide.registry()
    return {
        "modules": sorted(e.module for e in entries),
        "mapped": sorted(e.module for e in entries if e.mapped),
        "unmapped": {
            e.module: (e.reason.name if e.reason else "UNCLASSIFIED")
            for e in entries
            if not e.mapped
        },
        "public_functions": len(nnguide.public_functions()),
    }


def verification() -> dict[str, Any]:
    import torch

    from nnguide.cases import verification_cases
    from nnguide.verification import check_case

    failures: list[dict[str, str]] = []
    ran = 0
    for case in verification_cases():
        for training in (True, False):
            result = check_case(case, torch.float64, training)
            ran += 1
            if not result.passed:
                failures.append(
                    {
                        "module": case.module,
                        "case": case.id,
                        "mode": "train" if training else "eval",
                        "failure": result.failure,
                        "detail": result.detail[-600:],
                    }
                )
    return {"dtype": "float64", "runs": ran, "cases": ran // 2, "failures": failures}


def facts() -> dict[str, Any]:
    """The release-dependent statements of the guide, observed."""
    import torch
    from torch import nn

    from nnguide.seeding import cublas_check_in_library, torch_checks_cublas_workspace

    out: dict[str, Any] = {}

    def load_refuses_a_pickled_module() -> dict[str, Any]:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "model.pt"
            torch.save(nn.Linear(2, 2), path)
            try:
                torch.load(path)
            except Exception as error:
                return {"refused": True, "error": type(error).__name__, "message": str(error)[:300]}
            return {"refused": False}

    def stateless_functional_call() -> dict[str, Any]:
        from torch.nn.utils import stateless

        model = nn.Linear(2, 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            stateless.functional_call(model, dict(model.named_parameters()), (torch.ones(2),))
        return {
            "warnings": [f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught]
        }

    def mha_fast_path() -> dict[str, Any]:
        import torch.nn.functional as F

        torch.manual_seed(0)
        mha = nn.MultiheadAttention(8, 2, batch_first=True).eval()
        x = torch.randn(2, 5, 8)
        with torch.no_grad():
            fast, _ = mha(x, x, x, need_weights=False)
            slow, _ = F.multi_head_attention_forward(
                *(x.transpose(0, 1),) * 3,
                8,
                2,
                mha.in_proj_weight,
                mha.in_proj_bias,
                None,
                None,
                False,
                0.0,
                mha.out_proj.weight,
                mha.out_proj.bias,
                training=False,
                need_weights=False,
            )
        return {"max_abs_difference": float((fast - slow.transpose(0, 1)).abs().max())}

    def to_keeps_parameters() -> dict[str, Any]:
        layer = nn.Linear(2, 2)
        before = layer.weight
        layer.to(torch.float64)
        return {"same_parameter_object": layer.weight is before}

    def assign_replaces_parameters() -> dict[str, Any]:
        layer = nn.Linear(2, 2)
        before = layer.weight
        layer.load_state_dict(nn.Linear(2, 2).state_dict(), assign=True)
        return {"same_parameter_object": layer.weight is before}

    out["load_refuses_pickled_module"] = guarded(load_refuses_a_pickled_module)
    out["stateless_functional_call"] = guarded(stateless_functional_call)
    out["cublas_check_by_release"] = guarded(torch_checks_cublas_workspace)
    out["cublas_check_in_library"] = guarded(cublas_check_in_library)
    out["mha_fast_path"] = guarded(mha_fast_path)
    out["to_keeps_parameters"] = guarded(to_keeps_parameters)
    out["assign_replaces_parameters"] = guarded(assign_replaces_parameters)
    return out


def main() -> int:
    start = time.perf_counter()
    record: dict[str, Any] = {"python": platform.python_version()}
    try:
        import torch
    except Exception:
        record["import_error"] = traceback.format_exc(limit=8)
        print(json.dumps(record))
        return 0
    record["torch"] = torch.__version__
    record["torch_git"] = torch.version.git_version
    record["cuda_build"] = torch.version.cuda
    record["cuda_available"] = torch.cuda.is_available()  # whether a GPU took part
    try:
        import nnguide
    except Exception:
        record["nnguide_import_error"] = traceback.format_exc(limit=8)
        print(json.dumps(record))
        return 0
    record["nnguide"] = nnguide.__version__
    try:
        import numpy
    except ImportError:
        record["numpy"] = None
    else:
        record["numpy"] = numpy.__version__
    # The claims and checks print nothing; anything torch prints goes to stderr.
    stdout, sys.stdout = sys.stdout, io.StringIO()
    try:
        record["claims"] = guarded(claims)
        record["catalogue"] = guarded(catalogue)
        record["verification"] = guarded(verification)
        record["facts"] = guarded(facts)
    finally:
        printed, sys.stdout = sys.stdout.getvalue(), stdout
    if printed:
        print(printed, file=sys.stderr)
    record["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
