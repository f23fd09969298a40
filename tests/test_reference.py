"""The reference page's directive and role: one row per entry, anchors, links, catalogs.

Small Sphinx projects in a temporary folder use the extension as the site does; the
verification run (every case, a few seconds) is switched off there; tests/test_verification.py
tests it on its own.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from io import StringIO
from pathlib import Path

import nnguide_inventories
import nnguide_reference
import pytest
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from nnguide.registry import Unmapped, registry, registry_counts, unmapped_functions
from nnguide.verification import counts, verify

LABELS = {
    "mapped": ["Module label", "Counterpart label", "State label", "Status label", "Since label"],
    "unmapped": ["Module label", "Reason label", "Note label", "Since label"],
    "reasons": ["Reason label", "Count label", "Meaning label"],
    "functions": ["Function label"],
}
MEANINGS = "\n".join(f"``{r.name}``\n   Meaning of {r.name.lower()}.\n" for r in Unmapped)


def directive(kind: str, labels: list[str] | None = None, extra: str = "") -> str:
    items = "\n".join(f"- {label}" for label in (LABELS[kind] if labels is None else labels))
    body = textwrap.indent(f"{items}\n\n{extra}", "   ")
    return f".. nnguide-registry:: {kind}\n\n{body}\n"


PAGE = "\n".join(
    [
        "Reference\n=========\n",
        "Mapped: :nnguide:`mapped` of :nnguide:`modules`; dtype :nnguide:`check.dtype`.\n",
        directive("mapped"),
        directive("reasons", extra=MEANINGS),
        directive("unmapped"),
        directive("functions"),
    ]
)


def build(
    folder: Path, page: str, builder: str = "html", check: bool = False, chapters: bool = True
) -> tuple[Sphinx, str]:
    """Build one page with the extension and offline intersphinx; (app, warnings)."""
    src = folder / "src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "index.rst").write_text(page, encoding="utf-8")
    for _, docs in nnguide_reference.CHAPTERS if chapters else ():  # the rows' chapters
        for doc in docs:
            title = f"Chapter {doc}"
            (src / f"{doc}.rst").write_text(
                f":orphan:\n\n{title}\n{'=' * len(title)}\n", encoding="utf-8"
            )
    mapping = nnguide_inventories.offline_intersphinx_mapping(folder / "inventories")
    (src / "conf.py").write_text(
        "extensions = ['nnguide_reference', 'sphinx.ext.intersphinx']\n"
        f"intersphinx_mapping = {mapping!r}\n"
        "nitpicky = True\n"
        "html_theme = 'basic'\n"
        f"nnguide_registry_check = {check!r}\n",
        encoding="utf-8",
    )
    warnings = StringIO()
    # each build registers its nodes, directives and roles afresh, and removes them after
    with patch_docutils(str(src)), docutils_namespace():
        app = Sphinx(
            str(src),
            str(src),
            str(folder / "out" / builder),
            str(folder / "doctrees" / builder),
            builder,
            status=StringIO(),
            warning=warnings,
            freshenv=True,
        )
        app.build()
    return app, warnings.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Sphinx, str]:
    return build(tmp_path_factory.mktemp("reference"), PAGE)


@pytest.fixture(scope="module")
def tables(site: tuple[Sphinx, str]) -> dict[str, nodes.table]:
    doctree = site[0].env.get_doctree("index")
    found = {}
    for table in doctree.findall(nodes.table):
        kind = next(c for c in table["classes"] if c.startswith("nnguide-registry-"))
        found[kind.removeprefix("nnguide-registry-")] = table
    return found


def row_ids(table: nodes.table) -> list[str]:
    return [row["ids"][0] for row in table.next_node(nodes.tbody).children]


def test_builds_without_warnings(site: tuple[Sphinx, str]):
    assert site[1] == ""


def test_one_row_per_registry_entry(tables: dict[str, nodes.table]):
    mapped = [nnguide_reference.anchor(e.module) for e in registry() if e.mapped]
    unmapped = [nnguide_reference.anchor(e.module) for e in registry() if not e.mapped]
    assert row_ids(tables["mapped"]) == mapped
    assert row_ids(tables["unmapped"]) == unmapped
    assert len(mapped) + len(unmapped) == registry_counts()["modules"]


def test_the_last_column_is_the_first_checked_release(tables: dict[str, nodes.table]):
    """From docs/data/torch_releases.json; the oldest checked release is written ``≤``."""
    since = nnguide_reference.first_checked_release()
    oldest = min(since.values(), key=lambda v: tuple(map(int, v.split("."))))
    for kind in ("mapped", "unmapped"):
        for row in tables[kind].next_node(nodes.tbody).children:
            module = row["ids"][0].removeprefix("torch-nn-")
            cell = row.children[-1].astext()
            assert cell == (f"≤ {oldest}" if since[module] == oldest else since[module]), module
    assert since["LinearCrossEntropyLoss"] == "2.13.0" and since["ReLU"] == oldest
    assert nnguide_reference.oldest_checked_release() == oldest


def test_one_row_per_function_without_module_and_per_reason(tables: dict[str, nodes.table]):
    functions = [f"torch-nn-functional-{name}" for name in unmapped_functions()]
    assert row_ids(tables["functions"]) == functions
    assert row_ids(tables["reasons"]) == [f"unmapped-{r.name}" for r in Unmapped]


def test_anchors_are_unique_in_the_page(site: tuple[Sphinx, str]):
    ids = [
        i for node in site[0].env.get_doctree("index").findall(nodes.Element) for i in node["ids"]
    ]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_reason_counts_add_up(tables: dict[str, nodes.table]):
    rows = tables["reasons"].next_node(nodes.tbody).children
    per_reason = {row["ids"][0]: int(row.children[1].astext()) for row in rows}
    assert sum(per_reason.values()) == registry_counts()["unmapped"]
    assert per_reason["unmapped-CONTAINER"] == registry_counts()["unmapped.CONTAINER"]


def test_headers_are_the_pages_labels(tables: dict[str, nodes.table]):
    for kind, table in tables.items():
        header = table.next_node(nodes.thead)
        assert [cell.astext() for cell in header.next_node(nodes.row).children] == LABELS[kind]


def test_names_link_to_pytorch(site: tuple[Sphinx, str]):
    html = (Path(site[0].outdir) / "index.html").read_text(encoding="utf-8")
    url = nnguide_inventories.torch_docs_url()
    assert f'href="{url}generated/torch.nn.ReLU.html#torch.nn.ReLU"' in html
    assert f'href="{url}generated/torch.nn.functional.relu.html#torch.nn.functional.relu"' in html
    assert 'id="torch-nn-ReLU"' in html


def test_role_writes_the_registrys_counts(site: tuple[Sphinx, str]):
    c = registry_counts()
    first = site[0].env.get_doctree("index").next_node(nodes.paragraph).astext()
    assert first == f"Mapped: {c['mapped']} of {c['modules']}; dtype float32."


def test_gettext_extracts_only_the_pages_prose(tmp_path: Path):
    app, warnings = build(tmp_path, PAGE, builder="gettext")
    assert warnings == ""
    pot = (Path(app.outdir) / "index.pot").read_text(encoding="utf-8")
    msgids = [line for line in pot.splitlines() if line.startswith("msgid")]
    assert 'msgid "Status label"' in msgids and 'msgid "Meaning of container."' in msgids
    for generated in ("ReLU", "F.relu", "torch.nn.functional", "CONTAINER", "verified"):
        assert not any(generated in line for line in msgids), generated


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            directive("mapped").replace("mapped", "modules", 1),
            "expected one of mapped, unmapped, reasons, functions as the argument, got 'modules'",
        ),
        (
            directive("unmapped", labels=["Module", "Reason"]),
            "expected a bullet list of 4 column labels (module, reason, note, since)",
        ),
        (
            directive("reasons"),
            "expected a definition list whose terms are the Unmapped reasons",
        ),
        (
            directive("reasons", extra=MEANINGS.replace("CONTAINER", "CONTAINERS")),
            "expected the terms CONTAINER, BASE_CLASS",
        ),
        ("Count :nnguide:`mapped_modules`.\n", "nnguide: expected one of modules, mapped"),
    ],
    ids=["argument", "labels", "no-meanings", "wrong-terms", "role"],
)
def test_bad_use_names_what_was_expected(tmp_path: Path, page: str, expected: str):
    _, warnings = build(tmp_path, page)
    assert expected in " ".join(warnings.split())


def test_checked_facts_are_the_verification_runs():
    """With the run switched on, the role's numbers are those of nnguide.verification."""
    facts = nnguide_reference.checked_facts()
    results = verify().values()
    assert facts["verified"] == facts["verified_modules"] == counts()["verified"]
    assert facts["passed_cases"] == sum(r.cases for r in results) == facts["cases"]
    assert (facts["check.dtype"], facts["check.mode"]) == ("float32", "module.train()")


def test_rows_link_to_the_chapters_about_them(site: tuple[Sphinx, str]):
    assert nnguide_reference.chapters("MultiheadAttention") == ["attention"]
    assert nnguide_reference.chapters("LazyLinear") == ["meta-device"]
    assert nnguide_reference.chapters("ReLU6") == []  # the whole name must match
    html = (Path(site[0].outdir) / "index.html").read_text(encoding="utf-8")
    row = html[html.index('id="torch-nn-MultiheadAttention"') :]
    row = row[: row.index("</tr>")]
    assert 'href="attention.html"' in row and "Chapter attention" in row
    function = html[html.index('id="torch-nn-functional-scaled_dot_product_attention"') :]
    assert 'href="attention.html"' in function[: function.index("</tr>")]


def test_a_chapter_that_is_no_page_is_a_warning(tmp_path: Path):
    _, warnings = build(tmp_path, PAGE, chapters=False)
    assert "CHAPTERS links MultiheadAttention to 'attention', which is no page" in warnings
