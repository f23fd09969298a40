"""The command line: ``python -m nnguide check`` and ``python -m nnguide table``.

``check`` runs the guide's claims (every one, or those named) against the installed torch
and exits with status 1 when one no longer holds; ``table`` prints the module-to-function
registry.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence

from nnguide import __version__
from nnguide import claims as claims_module
from nnguide.buildinfo import build_info

__all__ = ["main"]

COMMANDS = ("check", "table")
REGISTRY_HEADERS = ("module", "counterpart", "state mapping", "status")
_WIDTHS = {"claim": 5, "verdict": 10, "expected": 40, "observed": 40, "result": 6}


def _text_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]
) -> str:
    """A plain-text table whose cells wrap inside their column's width."""

    def line(cells: Sequence[str]) -> list[str]:
        wrapped = [
            textwrap.wrap(cell, width) or [""] for cell, width in zip(cells, widths, strict=True)
        ]
        height = max(len(lines) for lines in wrapped)
        return [
            "  ".join(
                (lines[i] if i < len(lines) else "").ljust(width)
                for lines, width in zip(wrapped, widths, strict=True)
            ).rstrip()
            for i in range(height)
        ]

    rule = "  ".join("-" * width for width in widths)
    out = [*line(headers), rule]
    for row in rows:
        out.extend(line(row))
    return "\n".join(out)


def _check(args: argparse.Namespace) -> int:
    ids: list[str] = args.claims or list(claims_module.CLAIM_IDS)
    unknown = [claim_id for claim_id in ids if claim_id not in claims_module.CLAIM_IDS]
    if unknown:
        print(
            f"nnguide check: unknown claim {', '.join(unknown)}; "
            f"expected one of {', '.join(claims_module.CLAIM_IDS)}",
            file=sys.stderr,
        )
        return 2
    rows = []
    failed = []
    details = []
    for claim_id in ids:
        try:
            evidence = claims_module.run_claim(claim_id)
        except Exception as error:  # a check that crashes no longer shows its claim
            rows.append(
                (claim_id, "?", "", f"the check raised {type(error).__name__}: {error}", "FAIL")
            )
            failed.append(claim_id)
            continue
        rows.append(
            (
                claim_id,
                evidence.verdict,
                evidence.expected,
                evidence.observed,
                "pass" if evidence.holds else "FAIL",
            )
        )
        if not evidence.holds:
            failed.append(claim_id)
        details.append(
            f"{claim_id} [{evidence.verdict}] {evidence.statement}\n"
            f"    corrected: {evidence.corrected}\n    evidence: {evidence.detail}"
        )
    print(_text_table(list(_WIDTHS), rows, list(_WIDTHS.values())))
    if args.verbose:
        print()
        print("\n\n".join(details))
    print()
    print(
        f"{len(ids)} claims checked, {len(ids) - len(failed)} hold, {len(failed)} fail "
        f"({build_info().summary()})"
    )
    print(_release_line())
    if failed:
        print(f"no longer holding: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _release_line() -> str:
    """Which recorded release the reader's result compares with (nnguide.releases)."""
    import torch

    from nnguide.releases import CHECKED_FILE, compare

    try:
        return compare(torch.__version__).line()
    except (OSError, ValueError, KeyError) as error:
        return f"no record of the checked releases to compare with ({CHECKED_FILE}: {error})"


def _row_cells(row: object) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """The registry row's headers (when the row names them) and its cells as text."""
    fields = getattr(row, "_fields", None)  # a NamedTuple
    if isinstance(fields, tuple) and isinstance(row, tuple):
        return tuple(map(str, fields)), tuple(map(str, row))
    if dataclasses.is_dataclass(row) and not isinstance(row, type):
        values = dataclasses.asdict(row)
        return tuple(values), tuple(str(value) for value in values.values())
    if isinstance(row, Mapping):
        return tuple(map(str, row)), tuple(str(value) for value in row.values())
    if isinstance(row, Sequence) and not isinstance(row, str):
        return None, tuple(str(value) for value in row)
    raise TypeError(f"expected each registry row to be a sequence or a mapping, got {row!r}")


def _table(args: argparse.Namespace) -> int:
    try:
        from nnguide.verification import table_rows  # imported here: torch.nn is walked on import
    except ImportError as error:
        print(
            "nnguide table: the module registry is not available "
            f"(nnguide.verification.table_rows could not be imported: {error})",
            file=sys.stderr,
        )
        return 1
    cells = [_row_cells(row) for row in table_rows()]
    headers = next((named for named, _ in cells if named is not None), REGISTRY_HEADERS)
    rows = [values for _, values in cells]
    if args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
        sys.stdout.write(buffer.getvalue())
    else:

        def markdown(cells: Sequence[str]) -> str:
            return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

        print(markdown(headers))
        print("| " + " | ".join("---" for _ in headers) + " |")
        for row in rows:
            print(markdown(row))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m nnguide``.

    Returns:
        A parser with one subcommand per entry of :data:`COMMANDS`.

    Examples:

        >>> args = build_parser().parse_args(["table", "--format", "csv"])
        >>> args.command, args.format
        ('table', 'csv')
    """
    parser = argparse.ArgumentParser(
        prog="python -m nnguide",
        description="Check the guide's claims against the installed torch, or print the "
        "module-to-function registry.",
    )
    parser.add_argument("--version", action="version", version=f"nnguide {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{check,table}")

    check = commands.add_parser(
        "check",
        help="run every claim against the installed torch; exit 1 if one no longer holds",
        description="Run every claim of the guide against the installed torch and print "
        "what each expected and observed. Exit status 1 when a claim no longer holds.",
    )
    check.add_argument("claims", nargs="*", metavar="CLAIM", help="only these claims (e.g. A4)")
    check.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print each statement, its "
        "correction and the full evidence (exact error messages)",
    )
    check.set_defaults(run=_check)

    table = commands.add_parser(
        "table",
        help="print the torch.nn to torch.nn.functional registry",
        description="Print the registry: each torch.nn module, its functional "
        "counterpart, how its state maps to the function's arguments, and its status.",
    )
    table.add_argument("--format", choices=("markdown", "csv"), default="markdown")
    table.set_defaults(run=_table)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``python -m nnguide`` with ``argv`` (default: ``sys.argv[1:]``).

    Args:
        argv: the arguments after ``python -m nnguide``.

    Returns:
        The exit status: ``0`` on success, ``1`` when a claim fails or the registry is
        missing, ``2`` when ``check`` is given an unknown claim. Other usage errors exit
        with status ``2`` through ``SystemExit``, as argparse does.

    Examples:

        >>> main(["check", "A6"])  # doctest: +NORMALIZE_WHITESPACE
        claim  verdict     expected ...
        -----  ----------  ----...
        A6     correct     return F.relu(input, ...
        ...
        1 claims checked, 1 hold, 0 fail (torch ...)
        torch ...: its minor release was ... claims held there
        0
    """
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
