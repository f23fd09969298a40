"""Time the docs build on this machine and write benchmarks/results.md.

Run through ``nox -s bench`` (which installs the docs toolchain). Four scenarios, each
repeated ROUNDS times, medians reported:

- cold, English only: no build output, no execution cache, no generated gallery.
- cold, bilingual: the same from scratch, as ``nox -s docs`` runs it
  (``tools/build_site.py``): the catalogs extracted and checked, then English (which
  executes everything), then Chinese.
- no-op: the bilingual build again with nothing changed; nothing may execute.
- one script edited: one gallery script's content changes; only it may execute, once.

For each run the script also counts what executed, from the build's own log lines
(myst-nb's "Executing notebook", sphinx-gallery's "executed N out of M"), so the
targets are checked, not assumed.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))
from nnguide_languages import LANGUAGES as SITE_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
EXAMPLES = ROOT / "examples"
RESULTS = Path(__file__).with_name("results.md")
ROUNDS = 3
LANGUAGES = tuple(SITE_LANGUAGES)  # English first, then the translations


def clean() -> None:
    for path in (BUILD, DOCS / "auto_examples"):
        shutil.rmtree(path, ignore_errors=True)


def build(languages: tuple[str, ...] = LANGUAGES) -> tuple[float, int, int]:
    """Build as ``nox -s docs`` does; return (seconds, pages executed, scripts executed)."""
    start = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_site.py"),
            *(f"--language={language}" for language in languages),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode:
        sys.exit(f"build failed ({', '.join(languages)}):\n{log[-4000:]}")
    pages = len(re.findall(r"Executing notebook", log))
    scripts = sum(int(n) for n in re.findall(r"successfully executed (\d+) out of", log))
    return seconds, pages, scripts


def edit_one_script() -> tuple[Path, str]:
    script = sorted(EXAMPLES.glob("*.py"))[0]
    original = script.read_text(encoding="utf-8")
    script.write_text(original + f"\n# benchmark edit {time.time_ns()}\n", encoding="utf-8")
    return script, original


LOAD_BEFORE = os.getloadavg()[0]


def main() -> None:
    runs: dict[str, list[tuple[float, int, int]]] = {
        "cold_en": [],
        "cold": [],
        "noop": [],
        "edit": [],
    }
    for _ in range(ROUNDS):
        clean()
        runs["cold_en"].append(build(("en",)))
        clean()
        runs["cold"].append(build())
        runs["noop"].append(build())
        script, original = edit_one_script()
        try:
            runs["edit"].append(build())
        finally:
            script.write_text(original, encoding="utf-8")
        build()  # back to the committed script, so the next round starts alike

    def median(name: str) -> float:
        return statistics.median(seconds for seconds, _, _ in runs[name])

    def executed(name: str) -> str:
        counts = {(pages, scripts) for _, pages, scripts in runs[name]}
        return ", ".join(f"{p} pages, {s} scripts" for p, s in sorted(counts))

    cold_en, cold = median("cold_en"), median("cold")
    noop, edit = median("noop"), median("edit")
    n_scripts = len(list(EXAMPLES.glob("*.py")))
    checks = {
        "no-op rebuild executes nothing": all(p == s == 0 for _, p, s in runs["noop"]),
        "editing one script re-executes only it": all(
            p == 0 and s == 1 for _, p, s in runs["edit"]
        ),
        "a cold build executes every script once": all(s == n_scripts for _, _, s in runs["cold"]),
        "the Chinese build executes nothing (bilingual cold = English cold in work)": all(
            (p, s) == (p_en, s_en)
            for (_, p, s), (_, p_en, s_en) in zip(runs["cold"], runs["cold_en"], strict=True)
        ),
    }
    lines = [
        "# Build benchmark",
        "",
        f"Written by `nox -s bench` on {dt.date.today().isoformat()}. "
        f"Medians of {ROUNDS} rounds; languages built: {', '.join(LANGUAGES)}.",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        f"- Python {platform.python_version()}, torch {torch.__version__}, "
        f"torch threads {torch.get_num_threads()}",
        f"- load average (1 min) before the first and after the last round: "
        f"{LOAD_BEFORE:.1f}, {os.getloadavg()[0]:.1f}",
        "",
        "| build | median (s) | all runs (s) | executed |",
        "| --- | ---: | --- | --- |",
    ]
    labels = {
        "cold_en": "cold, English only",
        "cold": "cold, bilingual (as `nox -s docs`)",
        "noop": "no-op rebuild, bilingual",
        "edit": "one script edited, bilingual",
    }
    for name, label in labels.items():
        all_runs = ", ".join(f"{s:.1f}" for s, _, _ in runs[name])
        lines.append(f"| {label} | {median(name):.1f} | {all_runs} | {executed(name)} |")
    lines += [
        "",
        f"Bilingual / English-only cold build: {cold / cold_en:.2f} (target ≤ 1.30). "
        f"No-op rebuild / cold build: {noop / cold:.0%} (target ≤ 15 %). "
        f"One script edited / cold build: {edit / cold:.0%}.",
        "",
        "| target | met |",
        "| --- | --- |",
        *(f"| {name} | {'yes' if ok else 'NO'} |" for name, ok in checks.items()),
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"wrote {RESULTS}")
    if not all(checks.values()):
        sys.exit("a build target was missed: see the table above")


if __name__ == "__main__":
    main()
