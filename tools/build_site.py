"""Build the whole site in one process: the catalog gate, then every language.

    python tools/build_site.py [--language CODE ...] [--clean] [--no-gate]
    python tools/build_site.py --update-catalogs    # nox -s i18n
    python tools/build_site.py --doctest            # nox -s doctest
    python tools/build_site.py --offline            # and each language's zip and EPUB
    python tools/build_site.py --readthedocs        # .readthedocs.yaml

``nox -s docs`` hands its arguments to this program (``nox -s docs -- --language en``),
and ``nox -s bench`` times it, so what the benchmark times is what a person runs. One
process means torch, Sphinx and the extensions are imported once for the extraction and
for every language, instead of once per ``sphinx-build``.

Steps, each stopping the build on failure:

1. With ``--clean``: delete ``docs/_build`` (the execution caches with it) and the
   generated gallery, so that every page and example runs again.
2. With a translation among the languages (and no ``--no-gate``): extract the English
   messages (``gettext`` builder, nothing executed) and check every translation's
   catalogs (``catalogs.py``): out of date, untranslated, fuzzy or copied fails here,
   before the long build.
3. English, which executes the pages (myst-nb, cached) and the gallery (sphinx-gallery,
   checksummed); then every other language, which reuses both caches and runs nothing.
   With ``--offline``, each language's site links its offline copies, and its EPUB is
   built and packaged with a zip of its site (``tools/offline.py``).
4. ``_build/html/index.html``, which sends a reader to their language.

The languages are ``docs/_ext/nnguide_languages.py``'s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
LOCALES = DOCS / "locales"
if str(DOCS / "_ext") not in sys.path:
    sys.path.insert(0, str(DOCS / "_ext"))

from nnguide_languages import LANGUAGES, SOURCE, TRANSLATIONS, language_from_rtd  # noqa: E402


def sphinx(builder: str, language: str, *options: str) -> Path:
    """One Sphinx build, in this process, warnings fatal; returns the output folder."""
    import sphinx.locale
    from sphinx.cmd.build import build_main

    # Sphinx keeps its message translators in a module global: a build must not inherit
    # the previous language's.
    sphinx.locale.translators.clear()
    name = language if builder == "html" else f"{builder}-{language}"
    out = BUILD / builder / language
    status = build_main(
        [
            *("--builder", builder),
            *("--doctree-dir", str(BUILD / "doctrees" / name)),
            "--fail-on-warning",
            "--keep-going",
            *("--define", f"language={language}"),
            *options,
            str(DOCS),
            str(out),
        ]
    )
    if status:
        raise SystemExit(f"sphinx-build --builder {builder} ({language}) failed")
    return out


def extract() -> Path:
    """The English messages as .pot files, read from the sources with nothing executed."""
    return sphinx(
        "gettext", SOURCE, "--define", "nb_execution_mode=off", "--define", "plot_gallery=0"
    )


def catalogs(command: str, translations: list[str]) -> None:
    """Run ``catalogs.py check`` or ``update`` for each translation; stop on a gap."""
    import catalogs as tool

    pot = extract()
    failed = [
        language
        for language in translations
        if tool.main([command, str(pot), str(LOCALES / language / "LC_MESSAGES")])
    ]
    if failed:
        raise SystemExit(f"the {', '.join(failed)} catalogs are not complete: see above")


def clean() -> None:
    """Remove every build product, including execution caches and the generated gallery."""
    for path in (BUILD, DOCS / "auto_examples", DOCS / "sg_execution_times.rst"):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def parser() -> argparse.ArgumentParser:
    """The command line; a wrong argument stops the program with its usage (exit 2)."""
    parser = argparse.ArgumentParser(prog="build_site.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--language",
        action="append",
        choices=[*LANGUAGES, "all"],
        help="a language to build (repeatable; default: all); English alone skips the "
        "translation gate",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="delete docs/_build and the generated gallery first, so every page and "
        "example runs again",
    )
    parser.add_argument("--no-gate", action="store_true", help="skip the translation gate")
    parser.add_argument(
        "--update-catalogs",
        action="store_true",
        help="for translators: bring the catalogs up to date; build nothing",
    )
    parser.add_argument(
        "--doctest",
        action="store_true",
        help="run the docs' doctests (Sphinx's doctest builder) instead",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="also build each language's offline copies (a zip of its HTML site and an "
        "EPUB, linked from every page): _downloads/offline/ in its folder",
    )
    parser.add_argument(
        "--readthedocs",
        action="store_true",
        help="on Read the Docs: build the language of this project (READTHEDOCS_LANGUAGE) "
        "into $READTHEDOCS_OUTPUT/html",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run what the arguments ask for (see the module docstring); returns the exit status."""
    args = parser().parse_args(argv)
    if args.clean:
        clean()
    if args.readthedocs:
        return readthedocs(args.offline)
    if args.doctest:
        # No page or example needs to run for the doctest builder.
        sphinx("doctest", SOURCE, "--define", "nb_execution_mode=off", "--define", "plot_gallery=0")
        return 0
    wanted = set(args.language or ["all"])
    languages = [code for code in LANGUAGES if code in wanted or "all" in wanted]
    translations = [code for code in languages if code != SOURCE]
    if args.update_catalogs:
        try:
            catalogs("update", translations or list(TRANSLATIONS))
        except SystemExit as gaps:
            print(f"{gaps}; translate the empty and fuzzy entries, then commit the .po files")
        return 0
    if translations and not args.no_gate:
        catalogs("check", translations)
    for language in languages:
        out = build_language(language, offline=args.offline)
        print(f"{language}: open {out / 'index.html'}")
    shutil.copyfile(DOCS / "_root" / "index.html", BUILD / "html" / "index.html")
    print(f"all languages: open {BUILD / 'html' / 'index.html'}")
    return 0


def build_language(language: str, *, offline: bool) -> Path:
    """The language's HTML site; with ``offline``, its zip and EPUB in it too."""
    if not offline:
        return sphinx("html", language)
    import offline as copies

    out = sphinx("html", language, "--define", "nnguide_offline=1")
    # The EPUB reads the pages again (its own doctrees) from the execution caches: it
    # runs nothing the HTML build did not.
    epub = sphinx("epub", language, "--define", f"epub_basename=nnguide-{language}")
    copies.package(out, epub, language)
    return out


def readthedocs(offline: bool) -> int:
    """One Read the Docs project per language: build this project's, where RTD serves it."""
    language = language_from_rtd(os.environ["READTHEDOCS_LANGUAGE"])
    if language != SOURCE:
        catalogs("check", [language])
    out = build_language(language, offline=offline)
    shutil.copytree(out, Path(os.environ["READTHEDOCS_OUTPUT"]) / "html", dirs_exist_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
