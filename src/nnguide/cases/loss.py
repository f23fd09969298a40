"""Verification cases of the losses (torch/nn/modules/loss.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn as nn
import torch.nn.functional as F

from nnguide.cases._base import Family, _Gen, _Made

CASES = Family()


_REDUCTIONS = ("none", "mean", "sum")


def _loss_cases() -> None:
    def pair(name: str, ctor: Callable[[str], nn.Module], tgt: str = "randn") -> None:
        for r in _REDUCTIONS:

            def make(g: _Gen, r: str = r) -> _Made:
                x = g.randn(4, 5)
                t = {"randn": lambda: g.randn(4, 5), "sign": lambda: g.sign(4, 5)}[tgt]()
                return ctor(r), (x, t), {}

            CASES.case(name, r, make)

    pair("L1Loss", lambda r: nn.L1Loss(reduction=r))
    pair("MSELoss", lambda r: nn.MSELoss(reduction=r))
    pair("HuberLoss", lambda r: nn.HuberLoss(reduction=r, delta=0.5))
    pair("SmoothL1Loss", lambda r: nn.SmoothL1Loss(reduction=r, beta=0.5))
    pair("SoftMarginLoss", lambda r: nn.SoftMarginLoss(reduction=r), "sign")
    pair("HingeEmbeddingLoss", lambda r: nn.HingeEmbeddingLoss(margin=0.5, reduction=r), "sign")
    for r in _REDUCTIONS:
        for wtag in ("", "-weight-ignore"):

            def nll(g: _Gen, r: str = r, w: bool = bool(wtag), name: str = "NLLLoss") -> _Made:
                kw: dict[str, Any] = dict(weight=g.rand(5), ignore_index=2) if w else {}
                x = torch.log_softmax(g.randn(6, 5, 3), 1)
                return nn.NLLLoss(reduction=r, **kw), (x, g.randint(0, 5, 6, 3)), {}

            def nll2d(g: _Gen, r: str = r, w: bool = bool(wtag)) -> _Made:
                import warnings

                kw: dict[str, Any] = dict(weight=g.rand(5), ignore_index=2) if w else {}
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FutureWarning)  # NLLLoss2d is deprecated
                    m = nn.NLLLoss2d(reduction=r, **kw)
                x = torch.log_softmax(g.randn(2, 5, 3, 3), 1)
                return m, (x, g.randint(0, 5, 2, 3, 3)), {}

            def ce(g: _Gen, r: str = r, w: bool = bool(wtag)) -> _Made:
                kw: dict[str, Any] = (
                    dict(weight=g.rand(5), ignore_index=2, label_smoothing=0.1) if w else {}
                )
                return (
                    nn.CrossEntropyLoss(reduction=r, **kw),
                    (g.randn(6, 5), g.randint(0, 5, 6)),
                    {},
                )

            def lce(g: _Gen, r: str = r, w: bool = bool(wtag)) -> _Made:
                kw: dict[str, Any] = (
                    dict(
                        weight=g.rand(4),
                        ignore_index=2,
                        label_smoothing=0.1,
                        bias=True,
                        out_features=(3,),
                    )
                    if w
                    else {}
                )
                m = nn.LinearCrossEntropyLoss(5, 4, reduction=r, **kw)
                t = g.randint(0, 4, 6, 3) if w else g.randint(0, 4, 6)
                return m, (g.randn(6, 5), t), {}

            CASES.case("NLLLoss", r + wtag, nll)
            CASES.case("NLLLoss2d", r + wtag, nll2d)
            CASES.case("CrossEntropyLoss", r + wtag, ce)
            CASES.case("LinearCrossEntropyLoss", r + wtag, lce)

        def ce_prob(g: _Gen, r: str = r) -> _Made:
            t = torch.softmax(g.randn(6, 5, 2), 1)
            return nn.CrossEntropyLoss(reduction=r, label_smoothing=0.2), (g.randn(6, 5, 2), t), {}

        def bce(g: _Gen, r: str = r) -> _Made:
            return (
                nn.BCELoss(weight=g.rand(5), reduction=r),
                (torch.sigmoid(g.randn(4, 5)), g.rand(4, 5)),
                {},
            )

        def bcel(g: _Gen, r: str = r) -> _Made:
            m = nn.BCEWithLogitsLoss(weight=g.rand(5), pos_weight=g.rand(5) + 0.5, reduction=r)
            return m, (g.randn(4, 5), g.rand(4, 5)), {}

        def poisson(g: _Gen, r: str = r) -> _Made:
            return (
                nn.PoissonNLLLoss(log_input=False, full=True, reduction=r),
                (g.rand(4, 5) + 0.1, g.randint(0, 4, 4, 5).to(g.dtype)),
                {},
            )

        def poisson_log(g: _Gen, r: str = r) -> _Made:
            return (
                nn.PoissonNLLLoss(reduction=r, eps=1e-6),
                (g.randn(4, 5), g.randint(0, 4, 4, 5).to(g.dtype)),
                {},
            )

        def gauss(g: _Gen, r: str = r) -> _Made:
            return (
                nn.GaussianNLLLoss(full=True, eps=1e-4, reduction=r),
                (g.randn(4, 5), g.randn(4, 5), g.rand(4, 1) + 0.1),
                {},
            )

        def ctc(g: _Gen, r: str = r) -> _Made:
            lp = torch.log_softmax(g.randn(12, 3, 6), 2)
            tg = g.randint(1, 6, 3, 5)
            return (
                nn.CTCLoss(blank=0, reduction=r, zero_infinity=True),
                (lp, tg, torch.tensor([12, 10, 9]), torch.tensor([5, 3, 4])),
                {},
            )

        def cosemb(g: _Gen, r: str = r) -> _Made:
            return (
                nn.CosineEmbeddingLoss(margin=0.2, reduction=r),
                (g.randn(4, 5), g.randn(4, 5), g.sign(4)),
                {},
            )

        def ranking(g: _Gen, r: str = r) -> _Made:
            return (
                nn.MarginRankingLoss(margin=0.1, reduction=r),
                (g.randn(6), g.randn(6), g.sign(6)),
                {},
            )

        def mlm(g: _Gen, r: str = r) -> _Made:
            t = torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1]])
            return nn.MultiLabelMarginLoss(reduction=r), (g.randn(2, 4), t), {}

        def mlsm(g: _Gen, r: str = r) -> _Made:
            return (
                nn.MultiLabelSoftMarginLoss(weight=g.rand(5), reduction=r),
                (g.randn(4, 5), g.randint(0, 2, 4, 5).to(g.dtype)),
                {},
            )

        def mm(g: _Gen, r: str = r) -> _Made:
            return (
                nn.MultiMarginLoss(p=2, margin=0.5, weight=g.rand(5), reduction=r),
                (g.randn(4, 5), g.randint(0, 5, 4)),
                {},
            )

        def triplet(g: _Gen, r: str = r) -> _Made:
            return (
                nn.TripletMarginLoss(margin=0.5, p=1.0, swap=True, reduction=r),
                (g.randn(4, 5), g.randn(4, 5), g.randn(4, 5)),
                {},
            )

        def triplet_d(g: _Gen, r: str = r) -> _Made:
            m = nn.TripletMarginWithDistanceLoss(
                distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b),
                margin=0.3,
                swap=True,
                reduction=r,
            )
            return m, (g.randn(4, 5), g.randn(4, 5), g.randn(4, 5)), {}

        for name, mk in {
            "CrossEntropyLoss": ce_prob,
            "BCELoss": bce,
            "BCEWithLogitsLoss": bcel,
            "PoissonNLLLoss": poisson,
            "GaussianNLLLoss": gauss,
            "CTCLoss": ctc,
            "CosineEmbeddingLoss": cosemb,
            "MarginRankingLoss": ranking,
            "MultiLabelMarginLoss": mlm,
            "MultiLabelSoftMarginLoss": mlsm,
            "MultiMarginLoss": mm,
            "TripletMarginLoss": triplet,
            "TripletMarginWithDistanceLoss": triplet_d,
        }.items():
            CASES.case(name, r + ("-prob" if name == "CrossEntropyLoss" else ""), mk)
        CASES.case("PoissonNLLLoss", r + "-log_input", poisson_log)
    for r in ("batchmean", "sum", "none", "mean"):
        for lt in (False, True):

            def kl(g: _Gen, r: str = r, lt: bool = lt) -> _Made:
                x = torch.log_softmax(g.randn(4, 5), 1)
                t = torch.log_softmax(g.randn(4, 5), 1) if lt else torch.softmax(g.randn(4, 5), 1)
                return nn.KLDivLoss(reduction=r, log_target=lt), (x, t), {}

            CASES.case("KLDivLoss", f"{r}-log_target={lt}", kl)


_loss_cases()
