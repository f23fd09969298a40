"""nnguide's sessions: ``nox -s docs``, ``nox -s tests``, and the rest (``nox -l`` lists them).

Every dependency comes from ``pyproject.toml``'s dependency groups; torch is pinned here
and installed first, because ``pip install torch==2.13.0`` takes the CPU build that lies
on this machine's disk, while a range or uv would download a multi-GB CUDA build.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "virtualenv"  # not uv: it cannot see the local torch
nox.options.sessions = ["tests", "docs"]
nox.options.error_on_external_run = True

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
TORCH = "torch==2.13.0"
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
LOCALES = DOCS / "locales"

sys.path.insert(0, str(DOCS / "_ext"))
from build_site import LANGUAGES  # noqa: E402  (English, then the translations)


def install(session: nox.Session, *groups: str) -> None:
    """Install torch alone first, then the groups, then nnguide itself (editable)."""
    session.install(TORCH)
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups))
    session.install("-e", ".")


def parse(session: nox.Session, description: str, *options: tuple[str, dict]) -> argparse.Namespace:
    """Parse a session's posargs; a wrong one stops the session with the accepted usage."""
    parser = argparse.ArgumentParser(
        prog=f"nox -s {session.name} --", description=description, exit_on_error=False
    )
    for flag, kwargs in options:
        parser.add_argument(flag, **kwargs)
    try:
        args, unknown = parser.parse_known_args(session.posargs)
    except argparse.ArgumentError as error:
        session.error(f"{error}\n{parser.format_usage()}")
    if unknown:
        session.error(
            f"unknown argument(s) {' '.join(unknown)!r} for 'nox -s {session.name}'.\n"
            f"{parser.format_help()}"
        )
    return args


@nox.session(python="3.11", reuse_venv=True)
def docs(session: nox.Session) -> None:
    """Build the site in every language (pages and examples executed once, warnings fatal)."""
    args = parse(
        session,
        "Build the site into docs/_build/html/<language>/ and check the translations.",
        (
            "--clean",
            {
                "action": "store_true",
                "help": "delete docs/_build and the generated gallery first, so every "
                "page and example runs again",
            },
        ),
        (
            "--language",
            {
                "choices": [*LANGUAGES, "all"],
                "default": "all",
                "help": "build one language only (default: all); English alone skips "
                "the translation gate",
            },
        ),
    )
    install(session, "docs")
    if args.clean:
        clean()
    languages = LANGUAGES if args.language == "all" else (args.language,)
    # One process: the catalog gate, English (which executes everything), then the
    # translations, which reuse the execution caches. See docs/_ext/build_site.py.
    session.run(
        "python", "docs/_ext/build_site.py", *(f"--language={language}" for language in languages)
    )


@nox.session(python="3.11", reuse_venv=True)
def i18n(session: nox.Session) -> None:
    """For translators: bring docs/locales/*/LC_MESSAGES/*.po up to date with the English."""
    parse(session, "Update the translation catalogs from the English source.")
    install(session, "docs")
    session.run("python", "docs/_ext/build_site.py", "--update-catalogs")


def clean() -> None:
    """Remove every build product, including execution caches and the generated gallery."""
    for path in (BUILD, DOCS / "auto_examples", DOCS / "sg_execution_times.rst"):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


@nox.session(python="3.11", reuse_venv=True)
def tests(session: nox.Session) -> None:
    """pytest over tests/ and the doctests of src/nnguide, then the docs' doctests."""
    install(session, "test")
    session.run("pytest", *session.posargs)
    run_doctest(session)


@nox.session(python="3.11", reuse_venv=True)
def doctest(session: nox.Session) -> None:
    """The doctests of the docs (the API pages' examples), alone."""
    parse(session, "Run the docs' doctests with Sphinx's doctest builder.")
    install(session, "docs")
    run_doctest(session)


def run_doctest(session: nox.Session) -> None:
    session.run("python", "docs/_ext/build_site.py", "--doctest")


@nox.session(python="3.11", reuse_venv=True)
def serve(session: nox.Session) -> None:
    """Live-reloading preview of the English site on http://127.0.0.1:8000."""
    args = parse(
        session,
        "Serve the site and rebuild it on every change.",
        ("--port", {"type": int, "default": 8000, "help": "port on 127.0.0.1"}),
    )
    install(session, "serve")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        str(args.port),
        "--watch",
        "examples",
        "--watch",
        "src",
        "--ignore",
        "*/auto_examples/*",
        "--ignore",
        "*/_build/*",
        "--doctree-dir",
        str(BUILD / "doctrees" / "serve"),
        str(DOCS),
        str(BUILD / "serve"),
    )


@nox.session(python="3.11", reuse_venv=True)
def browser(session: nox.Session) -> None:
    """The built site in headless Chromium (both languages); screenshots in docs/_build."""
    parse(session, "Build the site if needed, serve it on 127.0.0.1 and test it in Chromium.")
    install(session, "browser")
    # A no-op when the site is built (jupyter-cache and sphinx-gallery's checksums).
    session.run("python", "docs/_ext/build_site.py")
    shots = BUILD / "screenshots"
    session.run("pytest", "tests_browser", env={"NNGUIDE_SCREENSHOTS": str(shots)})
    session.log(f"screenshots: {shots}")


@nox.session(python="3.11", reuse_venv=True)
def audit(session: nox.Session) -> None:
    """Lighthouse scores (median of 3) and page weights; fails below the targets."""
    args = parse(
        session,
        "Build the site if needed and audit it with Lighthouse (npm ci) in Chromium.",
        ("--runs", {"type": int, "default": 3, "help": "Lighthouse runs per page (median)"}),
    )
    install(session, "docs")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("python", "docs/_ext/build_site.py")
    session.run("python", "docs/_ext/audit_site.py", f"--runs={args.runs}")


@nox.session(python="3.11", reuse_venv=True)
def lint(session: nox.Session) -> None:
    """ruff (code style and errors) and sphinx-lint (the docs' markup)."""
    parse(session, "Lint the code and the docs.")
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # sphinx-lint reads reST: the gallery scripts' text blocks, the API page, and the
    # catalogs translated from them. The MyST pages and their catalogs hold Markdown, which
    # it would misread; the build itself checks those (-W, nitpicky).
    messages = LOCALES / "zh_CN" / "LC_MESSAGES"
    session.run(
        "sphinx-lint",
        "--enable=all",
        "--disable=line-too-long",
        "examples",
        "docs/api.rst",
        str((messages / "api.po").relative_to(ROOT)),
        str((messages / "auto_examples").relative_to(ROOT)),
    )


@nox.session(python="3.11", reuse_venv=True)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src/nnguide."""
    parse(session, "Type-check the package.")
    install(session, "typecheck")
    session.run("mypy")


@nox.session(python="3.11", reuse_venv=True)
def bench(session: nox.Session) -> None:
    """Time cold, no-op and one-script rebuilds; write benchmarks/results.md."""
    parse(session, "Measure the docs build (medians of 3) and write benchmarks/results.md.")
    install(session, "docs")
    session.run("python", "benchmarks/bench_build.py")
