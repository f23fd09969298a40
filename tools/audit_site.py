"""Audit the built site with Lighthouse: ``nox -s audit`` runs this after building it.

    python tools/audit_site.py [--runs 3] [--profile mobile|desktop ...]

Serves docs/_build/html on 127.0.0.1 (as a host does, 404 page included), runs the
Lighthouse of ``package.json`` (``npm ci``) with Debian's Chromium on the landing page, a
chapter and a gallery example in each language, mobile profile and desktop preset, takes
the median of the runs, prints the table, the audits that lost points and the heaviest
pages, and exits non-zero below a target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HTML = ROOT / "docs" / "_build" / "html"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")

sys.path.insert(0, str(HERE))
from site_checks import BUDGET, LANGUAGE_FOLDERS, serve, weights  # noqa: E402

PAGES = ("index.html", "inplace.html", "auto_examples/plot_inplace.html")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The lowest median score each category may have, per profile (0-100).
TARGETS = {
    "mobile": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 95},
    "desktop": {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 95},
}


def lighthouse(url: str, profile: str) -> dict[str, Any]:
    """One Lighthouse run; the JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-dev-shm-usage",
    ]
    if profile == "desktop":
        command.append("--preset=desktop")
    result = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def lost_points(report: dict[str, Any]) -> list[str]:
    """The audits below a full score, outside performance (which the table shows)."""
    lost = []
    for name in CATEGORIES[1:]:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{name}: {ref['id']} ({audit['title']})")
    return lost


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--profile", action="append", choices=sorted(TARGETS), help="default: both")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run 'npm ci' (see package.json)")
    profiles = args.profile or sorted(TARGETS, reverse=True)
    started = time.monotonic()
    rows, failures, notes = [], [], set()
    with serve(HTML) as base:
        for language in LANGUAGE_FOLDERS:
            for page in PAGES:
                for profile in profiles:
                    runs = [
                        lighthouse(f"{base}/{language}/{page}", profile) for _ in range(args.runs)
                    ]
                    scores = {
                        name: round(
                            100 * statistics.median(r["categories"][name]["score"] for r in runs)
                        )
                        for name in CATEGORIES
                    }
                    for report in runs:
                        notes.update(lost_points(report))
                    rows.append((f"{language}/{page}", profile, scores))
                    failures += [
                        f"{language}/{page} ({profile}) {name} {scores[name]} < {target}"
                        for name, target in TARGETS[profile].items()
                        if scores[name] < target
                    ]
    header = f"| page | profile | {' | '.join(CATEGORIES)} |"
    print(header)
    print("|" + " --- |" * (2 + len(CATEGORIES)))
    for page, profile, scores in rows:
        print(f"| {page} | {profile} | {' | '.join(str(scores[c]) for c in CATEGORIES)} |")
    print(f"\nmedian of {args.runs} run(s) each; {time.monotonic() - started:.0f} s in all")
    for note in sorted(notes):
        print(f"  lost points in a run: {note}")
    heaviest = weights(HTML)[:3]
    print("\nheaviest pages (the page and every file it loads, as served: text gzip-compressed):")
    for size, page in heaviest:
        print(f"  {size / 1e6:.2f} MB  {page}")
    if heaviest and heaviest[0][0] >= BUDGET:
        failures.append(f"{heaviest[0][1]} weighs {heaviest[0][0]} bytes >= {BUDGET}")
    for failure in failures:
        print(f"audit: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
