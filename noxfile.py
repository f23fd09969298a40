"""nnguide's sessions: ``nox -s docs``, ``nox -s tests``, and the rest (``nox -l`` lists them).

Every dependency comes from ``pyproject.toml``'s dependency groups; torch is pinned here
and installed first, because ``pip install torch==2.13.0`` takes the CPU build that lies
on this machine's disk, while a range or uv would download a multi-GB CUDA build.
"""

from __future__ import annotations

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

TOOLS = "tools"  # the command-line programs the sessions run (relative to ROOT)


def install(session: nox.Session, *groups: str) -> None:
    """Install torch alone first, then the groups, then nnguide itself (editable)."""
    session.install(TORCH)
    session.install(*nox.project.dependency_groups(PYPROJECT, *groups))
    session.install("-e", ".")


def no_arguments(session: nox.Session) -> None:
    """Stop a session that takes no arguments when it is given some, saying so."""
    if session.posargs:
        session.error(
            f"'nox -s {session.name}' takes no arguments, got {' '.join(session.posargs)!r}"
        )


@nox.session(python="3.11", reuse_venv=True)
def docs(session: nox.Session) -> None:
    """Build the site in every language (pages and examples executed once, warnings fatal).

    Arguments go to tools/build_site.py: ``nox -s docs -- --language en`` builds English
    alone (no translation gate), ``-- --clean`` deletes the build and its caches first,
    ``-- --help`` lists the options.
    """
    install(session, "docs")
    # One process: the catalog gate, English (which executes everything), then the
    # translations, which reuse the execution caches. See tools/build_site.py.
    session.run("python", f"{TOOLS}/build_site.py", *session.posargs)


@nox.session(python="3.11", reuse_venv=True)
def i18n(session: nox.Session) -> None:
    """For translators: bring docs/locales/*/LC_MESSAGES/*.po up to date with the English."""
    install(session, "docs")
    session.run("python", f"{TOOLS}/build_site.py", "--update-catalogs", *session.posargs)


@nox.session(python="3.11", reuse_venv=True)
def tests(session: nox.Session) -> None:
    """pytest over tests/ and the doctests of src/nnguide, then the docs' doctests."""
    install(session, "test")
    session.run("pytest", *session.posargs)
    run_doctest(session)


@nox.session(python="3.11", reuse_venv=True)
def doctest(session: nox.Session) -> None:
    """The doctests of the docs (the API pages' examples), alone."""
    no_arguments(session)
    install(session, "docs")
    run_doctest(session)


def run_doctest(session: nox.Session) -> None:
    """Sphinx's doctest builder over the docs (nothing executed, no page written)."""
    session.run("python", f"{TOOLS}/build_site.py", "--doctest")


@nox.session(python="3.11", reuse_venv=True)
def serve(session: nox.Session) -> None:
    """Live-reloading preview of the English site on http://127.0.0.1:8000.

    Arguments go to sphinx-autobuild (``nox -s serve -- --port 8001``).
    """
    install(session, "serve")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
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
        *session.posargs,
        str(DOCS),
        str(BUILD / "serve"),
    )


@nox.session(python="3.11", reuse_venv=True)
def browser(session: nox.Session) -> None:
    """The built site in headless Chromium (both languages); screenshots in docs/_build."""
    no_arguments(session)
    install(session, "browser")
    # Nothing runs again when the site is built (jupyter-cache and sphinx-gallery's
    # checksums); --offline adds each language's zip and EPUB, which test_offline.py opens.
    session.run("python", f"{TOOLS}/build_site.py", "--offline")
    shots = BUILD / "screenshots"
    session.run("pytest", "tests_browser", env={"NNGUIDE_SCREENSHOTS": str(shots)})
    session.log(f"screenshots: {shots}")


@nox.session(python="3.11", reuse_venv=True)
def audit(session: nox.Session) -> None:
    """Lighthouse scores (median of 3) and page weights; fails below the targets.

    Arguments go to tools/audit_site.py (``nox -s audit -- --runs 1``).
    """
    install(session, "docs")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("python", f"{TOOLS}/build_site.py")
    session.run("python", f"{TOOLS}/audit_site.py", *session.posargs)


@nox.session(python="3.11", reuse_venv=True)
def lint(session: nox.Session) -> None:
    """ruff (code style and errors) and sphinx-lint (the docs' markup)."""
    no_arguments(session)
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
    no_arguments(session)
    install(session, "typecheck")
    session.run("mypy")


@nox.session(python="3.11", reuse_venv=True)
def versions(session: nox.Session) -> None:
    """Check the claims, the registry and every functional form on each torch release.

    Not part of ``nox -s tests`` or CI: it downloads every release from the lowest in
    pyproject.toml's range to the newest on PyPI (about 3 GB to download and up to 7 GB
    installed each, one at a time) and writes docs/data/torch_releases.json and the
    package's src/nnguide/checked_releases.json. Arguments go to
    benchmarks/torch_releases.py (``nox -s versions -- 2.9.1`` checks one release and
    merges it into the file).
    """
    session.run("python", "benchmarks/torch_releases.py", *session.posargs)


@nox.session(python="3.11", reuse_venv=True)
def bench(session: nox.Session) -> None:
    """Time cold, no-op and one-script rebuilds; write benchmarks/results.md."""
    no_arguments(session)
    install(session, "docs")
    session.run("python", "benchmarks/bench_build.py")
