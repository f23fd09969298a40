"""Sphinx extension: the reference tables of nnguide's registry, made at build time.

The directive ``nnguide-registry`` renders one table of :mod:`nnguide.registry` for the
installed torch::

    ```{nnguide-registry} mapped
    - Module
    - Functional counterpart
    - How its state maps onto the call
    - Verification
    ```

Its argument picks the table (``mapped``, ``unmapped``, ``reasons``, ``functions``); its
content is a bullet list of the column labels, written in the page so that they are
translated with it. ``reasons`` also takes a definition list that explains each
:class:`~nnguide.registry.Unmapped` reason, its terms being the reasons' names.

Every cell the directive makes is code (literal nodes) in a paragraph without a source:
Sphinx's gettext builder extracts no message from it, so the catalogs hold only the
prose, and a new torch changes the rows without leaving the translation behind.
Every row has an anchor (``torch-nn-ReLU``, ``torch-nn-functional-one_hot``,
``unmapped-CONTAINER``); a name links to PyTorch's documentation when the intersphinx
inventory has it, and stays plain code otherwise.

The role ``{nnguide}`key``` writes a number of the registry into prose (``mapped``,
``unmapped.CONTAINER``, ``functions_without_module``, ``cases``, ...): the keys of
:func:`nnguide.registry.registry_counts`, and the facts of the verification run below.

The mapped table's status comes from :func:`nnguide.verification.verify`, run once when
the page is read: every verification case of :mod:`nnguide.cases`, in ``float32``, in
training mode, module against functional form by :func:`nnguide.verification.check_case`,
the routine the test suite runs in more settings. Outputs, inputs and state are compared
with ``==`` (so ``-0.0`` equals ``0.0``, and NaN is taken to equal NaN), and the warnings
too. A mismatch is a warning, which fails the build. The run happens once per
process (``build_site.py`` reads the page for the gettext, English and Chinese
builds), and a page is read again only when its source, this file, the registry, the
forms, the cases, the verification or the installed torch changes.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import torch
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from nnguide.cases import verification_cases
from nnguide.registry import Entry, Unmapped, registry, registry_counts, unmapped_functions
from nnguide.verification import CHECK_DTYPE, CHECK_TRAINING, counts, verify

NN, F = "torch.nn.", "torch.nn.functional."


def _sources(*names: str) -> list[str]:
    """The source files of these modules of nnguide; every file of a package."""
    out = []
    for name in names:
        path = Path(str(sys.modules[name].__file__))
        out.extend(
            map(str, sorted(path.parent.glob("*.py")))
            if path.name == "__init__.py"
            else [str(path)]
        )
    return out


# A page that uses the directive or the role is read again when one of these changes:
# the registry, the forms, the cases, the verification, this file, the installed torch.
DEPENDENCIES = (
    *_sources(
        "nnguide.registry", "nnguide.functional_form", "nnguide.cases", "nnguide.verification"
    ),
    __file__,
    str(Path(torch.__file__).parent / "version.py"),
    str(Path(__file__).resolve().parents[1] / "data" / "torch_releases.json"),
)
logger = logging.getLogger(__name__)

# The columns of each table, in order: the registry's field names. The page gives
# each a label (translated with the page) in the same order.
COLUMNS: dict[str, tuple[str, ...]] = {
    "mapped": ("module", "counterpart", "state", "status", "since"),
    "unmapped": ("module", "reason", "note", "since"),
    "reasons": ("reason", "modules", "meaning"),
    "functions": ("function",),
}


# --------------------------------------------------------------------------------------
# The role's facts: the registry's counts, and those of nnguide.verification's run
# --------------------------------------------------------------------------------------


@functools.cache
def facts() -> dict[str, int | str]:
    """What the role ``{nnguide}`` can write without a run: counts and the run's settings."""
    out: dict[str, int | str] = dict(registry_counts())
    out.update({f"unmapped.{r.name}": out.get(f"unmapped.{r.name}", 0) for r in Unmapped})
    out["cases"] = len(verification_cases())
    out["check.dtype"] = str(CHECK_DTYPE).removeprefix("torch.")
    out["check.mode"] = "module.train()" if CHECK_TRAINING else "module.eval()"
    out["torch"] = torch.__version__
    return out


def checked_facts() -> dict[str, int | str]:
    """:func:`facts` plus the verification run's counts (which run every case)."""
    results = verify().values()
    return {
        **facts(),
        "verified": counts()["verified"],
        "verified_modules": sum(r.passed for r in results),
        "passed_cases": sum(r.cases - len(r.failures) for r in results),
    }


# --------------------------------------------------------------------------------------
# The chapters a row concerns
# --------------------------------------------------------------------------------------

# Which chapters show something particular to a module (or an ``F.`` function without a
# module): a regular expression over the row's name, and the chapters' document names.
# The link text is each chapter's title, in the page's language.
CHAPTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"MultiheadAttention|F\.scaled_dot_product_attention", ("attention",)),
    (r"Lazy\w+", ("meta-device",)),
    (r"(Module|Parameter)(List|Dict)", ("distributed",)),
    (r"ReLU", ("quantization",)),
    (r"Dropout", ("compile",)),
)


def chapters(name: str) -> list[str]:
    """The chapters of :data:`CHAPTERS` whose pattern matches the whole of ``name``."""
    return [doc for pattern, docs in CHAPTERS if re.fullmatch(pattern, name) for doc in docs]


def _chapter_links(env: Any, name: str, location: tuple[str, int]) -> list[nodes.paragraph]:
    """A paragraph of links to the chapters about ``name``, or nothing.

    A chapter that is no page of the site is a warning (which fails the build).
    """
    links: list[nodes.Node] = []
    for doc in chapters(name):
        if doc not in env.found_docs:
            logger.warning(
                "nnguide-registry: CHAPTERS links %s to %r, which is no page",
                name,
                doc,
                location=location,
            )
            continue
        links.append(
            addnodes.pending_xref(
                "",
                nodes.inline("", doc),
                refdomain="std",
                reftype="doc",
                reftarget="/" + doc,
                refexplicit=False,
                refwarn=True,
            )
        )
    return [_paragraph(nodes.Text("§ "), *_joined(links))] if links else []


# --------------------------------------------------------------------------------------
# Nodes
# --------------------------------------------------------------------------------------

_ROLES = (("py:class", "class"), ("py:function", "func"), ("py:method", "meth"))


def _inventory(env: Any) -> dict[str, Any]:
    return getattr(env, "intersphinx_inventory", None) or {}


def code(env: Any, target: str, text: str | None = None) -> nodes.Node:
    """``text`` as code, linked to ``target`` in an intersphinx inventory if it is there."""
    text = text or target
    inventory = _inventory(env)
    for objtype, role in _ROLES:
        if target in inventory.get(objtype, {}):
            literal = nodes.literal(text, text, classes=["xref", "py", f"py-{role}"])
            ref = addnodes.pending_xref(
                "",
                literal,
                refdomain="py",
                reftype=role,
                reftarget=target,
                refexplicit=True,
                refwarn=True,
            )
            ref["py:module"] = ref["py:class"] = None
            return ref
    return nodes.literal(text, text)


def short(qualname: str) -> str:
    """``torch.nn.functional.relu`` as ``F.relu``, ``torch.nn.ReLU`` as ``nn.ReLU``."""
    for prefix, alias in ((F, "F."), (NN, "nn.")):
        if qualname.startswith(prefix):
            return alias + qualname[len(prefix) :]
    return qualname


def anchor(name: str) -> str:
    """The row anchor of a module (``ReLU``), a function (``F.one_hot``) or a reason."""
    if name.startswith("F."):
        return "torch-nn-functional-" + name[2:]
    if name in Unmapped.__members__:
        return "unmapped-" + name
    return "torch-nn-" + name


def _paragraph(*children: nodes.Node) -> nodes.paragraph:
    para = nodes.paragraph("", "", *children)
    para["translatable"] = False  # generated from the registry: no message to extract
    return para


def _cell(*paragraphs: nodes.Node) -> nodes.entry:
    return nodes.entry("", *paragraphs)


def _joined(items: list[nodes.Node], sep: str = ", ") -> list[nodes.Node]:
    out: list[nodes.Node] = []
    for i, item in enumerate(items):
        if i:
            out.append(nodes.Text(sep))
        out.append(item)
    return out


@functools.cache
def _checked_releases() -> list[dict[str, Any]]:
    """The releases of docs/data/torch_releases.json, oldest first, as the script orders them."""
    path = Path(DEPENDENCIES[-1])
    try:
        releases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["releases"]
    except (OSError, ValueError, KeyError) as error:
        raise RuntimeError(
            f"nnguide-registry: cannot read the checked releases: {error}"
        ) from error
    return releases


def oldest_checked_release() -> str:
    """The oldest release in docs/data/torch_releases.json."""
    return str(_checked_releases()[0]["version"])


@functools.cache
def first_checked_release() -> dict[str, str]:
    """Each module's first release in docs/data/torch_releases.json whose ``torch.nn`` has it.

    ``nox -s versions`` writes the file (benchmarks/torch_releases.py); a module that no
    checked release has (one newer than the newest checked) is absent.
    """
    first: dict[str, str] = {}
    for release in _checked_releases():
        for module in release.get("probe", {}).get("catalogue", {}).get("modules", []):
            first.setdefault(module, release["version"])
    return first


def _since(module: str) -> nodes.entry:
    """The first checked release with the module; ``≤ oldest`` when the oldest has it."""
    version = first_checked_release().get(module, "-")
    oldest = version == oldest_checked_release()
    return _cell(_paragraph(nodes.Text(f"≤ {version}" if oldest else version)))


# --------------------------------------------------------------------------------------
# The directive
# --------------------------------------------------------------------------------------


class RegistryTable(SphinxDirective):
    """``{nnguide-registry} mapped|unmapped|reasons|functions``, content: column labels."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        kind = self.arguments[0]
        if kind not in COLUMNS:
            raise self.error(
                f"nnguide-registry: expected one of {', '.join(COLUMNS)} as the argument, "
                f"got {kind!r}"
            )
        for path in DEPENDENCIES:
            self.env.note_dependency(str(path))

        holder = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, holder)
        labels = self._labels(kind, holder)
        rows = list(getattr(self, f"_{kind}")(holder))
        table = nodes.table(classes=["nnguide-registry", f"nnguide-registry-{kind}"])
        group = nodes.tgroup(cols=len(labels))
        table += group
        group += [nodes.colspec(colwidth=1) for _ in labels]
        group += nodes.thead("", nodes.row("", *(_cell(label) for label in labels)))
        group += nodes.tbody("", *rows)
        table["classes"].append("colwidths-auto")
        return [table]

    # -- the page's content -------------------------------------------------------------

    def _labels(self, kind: str, holder: nodes.container) -> list[nodes.paragraph]:
        columns = COLUMNS[kind]
        expected = (
            f"a bullet list of {len(columns)} column labels ({', '.join(columns)}) "
            f"as the content of nnguide-registry {kind}"
        )
        lists = [n for n in holder.children if isinstance(n, nodes.bullet_list)]
        if len(lists) != 1:
            raise self.error(f"expected {expected}, got {len(lists)} bullet lists")
        items = lists[0].children
        labels = [item.children[0] for item in items if len(item.children) == 1]
        if (
            len(items) != len(columns)
            or len(labels) != len(columns)
            or not all(isinstance(label, nodes.paragraph) for label in labels)
        ):
            raise self.error(f"expected {expected}, got {len(items)} items")
        return labels  # type: ignore[return-value]

    def _meanings(self, holder: nodes.container) -> dict[str, nodes.Node]:
        expected = ", ".join(Unmapped.__members__)
        lists = [n for n in holder.children if isinstance(n, nodes.definition_list)]
        if len(lists) != 1:
            raise self.error(
                "expected a definition list whose terms are the Unmapped reasons "
                f"({expected}) in nnguide-registry reasons, got {len(lists)} definition lists"
            )
        meanings: dict[str, nodes.Node] = {}
        for item in lists[0].children:
            term = item.next_node(nodes.term)
            definition = item.next_node(nodes.definition)
            meanings[term.astext().strip()] = definition
        if list(meanings) != list(Unmapped.__members__):
            raise self.error(
                f"expected the terms {expected} in this order in nnguide-registry reasons, "
                f"got {', '.join(meanings)}"
            )
        return meanings

    # -- the tables -----------------------------------------------------------------------

    @property
    def _location(self) -> tuple[str, int]:
        return (self.env.docname, self.lineno)

    def _row(self, name: str, *cells: nodes.entry) -> nodes.row:
        return nodes.row("", *cells, ids=[anchor(name)])

    def _module_cell(self, e: Entry) -> nodes.entry:
        link = nodes.reference("", "#", refid=anchor(e.module), classes=["headerlink"])
        name = _paragraph(code(self.env, NN + e.module, "nn." + e.module), link)
        return _cell(name, *_chapter_links(self.env, e.module, self._location))

    def _mapped(self, holder: nodes.container) -> Iterator[nodes.row]:
        results = verify() if self.config.nnguide_registry_check else {}
        for e in registry():
            if e.counterpart is None:
                continue
            names = [code(self.env, e.counterpart, short(e.counterpart))]
            counterpart = [_paragraph(*names)]
            if e.via:
                counterpart.append(
                    _paragraph(nodes.Text("→ "), code(self.env, e.via, short(e.via)))
                )
            if e.aliases:
                aliases = [code(self.env, a, short(a)) for a in e.aliases]
                counterpart.append(_paragraph(nodes.Text("= "), *_joined(aliases)))
            result = results.get(e.module)
            status = result.status if result else "not run"
            if result and result.failures:
                logger.warning(
                    "nnguide-registry: torch.nn.%s and its functional form differ in %s",
                    e.module,
                    ", ".join(result.failures),
                    location=(self.env.docname, self.lineno),
                )
            yield self._row(
                e.module,
                self._module_cell(e),
                _cell(*counterpart),
                _cell(_paragraph(nodes.literal(e.state, e.state))),
                _cell(_paragraph(nodes.literal(status, status))),
                _since(e.module),
            )

    def _unmapped(self, holder: nodes.container) -> Iterator[nodes.row]:
        for e in registry():
            if e.counterpart is not None:
                continue
            reason = e.reason or Unmapped.UNCLASSIFIED
            link = nodes.reference("", "", nodes.literal(reason.name, reason.name))
            link["refid"] = anchor(reason.name)
            note = "; ".join(text for text in (e.state, e.note) if text)
            yield self._row(
                e.module,
                self._module_cell(e),
                _cell(_paragraph(link)),
                _cell(_paragraph(nodes.literal(note, note)) if note else _paragraph()),
                _since(e.module),
            )

    def _reasons(self, holder: nodes.container) -> Iterator[nodes.row]:
        meanings = self._meanings(holder)
        per_reason = Counter(
            (e.reason or Unmapped.UNCLASSIFIED).name for e in registry() if not e.mapped
        )
        for reason in Unmapped:
            n = str(per_reason[reason.name])
            yield self._row(
                reason.name,
                _cell(_paragraph(nodes.literal(reason.name, reason.name))),
                _cell(_paragraph(nodes.Text(n))),
                _cell(*meanings[reason.name].children),
            )

    def _functions(self, holder: nodes.container) -> Iterator[nodes.row]:
        for name in unmapped_functions():
            function = _paragraph(code(self.env, F + name, "F." + name))
            links = _chapter_links(self.env, "F." + name, self._location)
            yield self._row("F." + name, _cell(function, *links))


# --------------------------------------------------------------------------------------
# The role
# --------------------------------------------------------------------------------------


class RegistryFact(SphinxRole):
    """``{nnguide}`mapped```: a count of the registry or a fact of the verification run."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        for path in DEPENDENCIES:
            self.env.note_dependency(str(path))
        known = facts()
        if self.text not in known and self.config.nnguide_registry_check:
            known = checked_facts()
        if self.text not in known:
            expected = ", ".join([*facts(), "verified", "verified_modules", "passed_cases"])
            message = self.inliner.reporter.error(
                f"nnguide: expected one of {expected}, got {self.text!r}", line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        value = known[self.text]
        node: nodes.Node = (
            nodes.Text(str(value))
            if isinstance(value, int)
            else nodes.literal(str(value), str(value))
        )
        return [node], []


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("nnguide_registry_check", True, "env", bool)
    app.add_directive("nnguide-registry", RegistryTable)
    app.add_role("nnguide", RegistryFact())
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["COLUMNS", "anchor", "checked_facts", "facts", "setup"]
