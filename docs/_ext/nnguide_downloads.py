"""Downloads in the page's language: gallery scripts, their notebooks, the chapters' notebooks.

Sphinx extension. Sphinx's gettext translates the pages, not the files a page offers for
download: a Chinese gallery page would hand out the English ``plot_*.py``, the English
``.ipynb`` and the English ``.zip``. This module translates them with the catalogs that
translate the pages, so that a download reads like the page it came from:

- :func:`translate_script`: a gallery script with every text block (the docstring and the
  ``# %%`` comment blocks, reST) translated node by node, and its code byte for byte as it
  was; :func:`script_notebook` turns it into the notebook sphinx-gallery would make of it;
- :func:`translate_notebook`: an executed chapter notebook (MyST markdown cells) translated
  block by block, its code cells and outputs unchanged; :func:`executed_notebook` rebuilds
  the notebook myst-nb executed, from the page and myst-nb's execution cache.

The catalogs' messages are what Sphinx's gettext builder extracted: the source of each
paragraph, title, list item, term or table cell, its lines joined by spaces
(:func:`load_catalog` reads them). Each block of a script or notebook is looked up by that
text, whitespace normalised. A block with no translation, or a construct that cannot be
translated in place (a reST table, a directive this module does not know), is an
:class:`UntranslatedError` naming the script or page and every such text: a download is
never left half in English without saying so.

It is our own extension because no published one does this: sphinx-gallery and myst-nb
write their downloads from the English source and know nothing of the catalogs.

Events:

- ``build-finished`` (the ``html`` builder, not the EPUB's): for a translation
  (``language`` other than English), the gallery's downloads in ``_downloads/``
  (``plot_*.py``, ``.ipynb``, ``.zip``, which Sphinx has just copied from the English
  gallery) are rewritten translated; for every
  language, each executed chapter's notebook is written to
  ``_downloads/notebooks/<page>.ipynb``, translated for a translation. The notebooks come
  from myst-nb's execution cache (``nb_execution_cache_path``), not from the
  ``jupyter_execute/`` folder beside the output, which need not be deployed (and which
  myst-nb 1.4 writes without outputs whenever the cache served the page).
- ``html-page-context``: ``nnguide_notebook``, the page's notebook for
  ``notebook-download.html``; ``nnguide_offline``, the whole guide's offline copies for
  ``offline.html``, when ``nnguide_offline`` is set (``tools/build_site.py --offline``
  makes them: ``tools/offline.py``).
"""

from __future__ import annotations

import ast
import copy
import io
import itertools
import json
import re
import tempfile
import textwrap
import tokenize
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from babel.messages.pofile import read_po
from docutils import frontend, nodes, utils
from docutils.parsers import rst
from docutils.parsers.rst import Directive, directives, roles
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig, merge_file_level
from myst_parser.parsers.mdit import create_md_parser
from nnguide_files import is_site_build
from nnguide_languages import LANGUAGES
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx_gallery import py_source_parser
from sphinx_gallery.gen_gallery import DEFAULT_GALLERY_CONF
from sphinx_gallery.notebook import jupyter_notebook

logger = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
NOTEBOOKS = "notebooks"  # the chapters' notebooks: _downloads/notebooks/<page>.ipynb
OFFLINE = "offline"  # the whole guide: _downloads/offline/nnguide-<language>.zip, .epub


def offline_name(language: str, kind: str) -> str:
    """The file name of a language's offline copy: ``nnguide-zh_CN.zip``, ``.epub``."""
    if kind not in ("zip", "epub"):
        raise ValueError(f"an offline copy is a 'zip' or an 'epub', got {kind!r}")
    return f"nnguide-{language}.{kind}"


# --------------------------------------------------------------------------------------
# Catalogs, and what was not found in them
# --------------------------------------------------------------------------------------


def load_catalog(po_path: str | Path) -> dict[str, str]:
    """The translated messages of a ``.po`` file: msgid to msgstr.

    The header, untranslated (empty) and fuzzy entries are left out, and so are obsolete
    (``#~``) and plural entries, which Sphinx's catalogs do not use.
    """
    with Path(po_path).open("rb") as handle:
        catalog = read_po(handle)
    return {
        message.id: message.string
        for message in catalog
        if isinstance(message.id, str)
        and message.id
        and isinstance(message.string, str)
        and message.string
        and not message.fuzzy
    }


class UntranslatedError(ValueError):
    """Text of a script or page that cannot be translated with the catalog.

    Attributes:
        name: the script or page.
        texts: each text without a translation, or the construct that cannot be
            translated in place, with where it is.
    """

    def __init__(self, name: str, texts: Sequence[str]) -> None:
        self.name = name
        self.texts = list(texts)
        listed = "\n".join(f"  - {text}" for text in self.texts)
        super().__init__(f"{name}: {len(self.texts)} text(s) not translated:\n{listed}")


# Code and markup, in reST and MyST: literals, code spans with their roles, math.
_CODE = re.compile(
    r"``.+?``"
    r"|(?::[\w:.+-]+:|\{[\w:.+-]+\})?`[^`]+`_{0,2}"
    r"|\$[^$]+\$"
)


def is_code_only(text: str) -> bool:
    """Whether ``text`` is nothing but code and punctuation, with no word to translate.

    Such a text stays as it is where the catalog has no message for it: the terms of
    ``{nnguide-registry} reasons`` (```CONTAINER```), which the directive reads as the
    names of :class:`nnguide.registry.Unmapped` reasons and Sphinx extracts no message
    from, are.
    """
    rest = _CODE.sub("", text)
    return not any(character.isalnum() for character in rest)


def _normal(text: str) -> str:
    """``text`` with every run of whitespace one space: how messages are looked up."""
    return " ".join(text.split())


class _Translator:
    """Looks texts up in a catalog and remembers what it could not translate."""

    def __init__(self, catalog: Mapping[str, str]) -> None:
        self.table = {_normal(msgid): msgstr for msgid, msgstr in catalog.items()}
        self.problems: list[str] = []
        self.code_only: list[str] = []  # texts without a message that need none
        self.where = ""

    def __call__(self, text: str) -> str | None:
        """The translation of ``text``, or None: a problem, unless the text is only code."""
        found = self.table.get(_normal(text))
        if found is None and is_code_only(text):
            self.code_only.append(_normal(text))
        elif found is None:
            self.problem(repr(_normal(text)))
        return found

    def problem(self, description: str) -> None:
        """Remember something that stays untranslated, and where."""
        self.problems.append(f"{description} ({self.where})" if self.where else description)


@dataclass(frozen=True)
class _Edit:
    """Replace ``text[start:end]`` with ``new``."""

    start: int
    end: int
    new: str


def _apply(text: str, edits: Sequence[_Edit]) -> str:
    """``text`` with the (non-overlapping) edits made."""
    parts, position = [], 0
    for edit in sorted(edits, key=lambda edit: edit.start):
        if edit.start < position:
            raise RuntimeError(f"overlapping edits at {edit.start} of {text!r}")
        parts += [text[position : edit.start], edit.new]
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


class _Lines:
    """A text line by line, with the offset at which each line starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = [0]
        for line in self.lines[:-1]:
            self.starts.append(self.starts[-1] + len(line) + 1)

    def row(self, offset: int) -> int:
        """The line that holds ``offset``."""
        row = 0
        while row + 1 < len(self.starts) and self.starts[row + 1] <= offset:
            row += 1
        return row

    def end(self, row: int) -> int:
        """The offset just after the last non-blank character of line ``row``."""
        return self.starts[row] + len(self.lines[row].rstrip())


# --------------------------------------------------------------------------------------
# reST: the text blocks of a gallery script
# --------------------------------------------------------------------------------------

# Sphinx's directives that appear in gallery text, parsed here without Sphinx: their
# content is prose (translated), or code and names (left as it is). Any other directive
# that docutils does not know is reported, not guessed at.
REST_PROSE_DIRECTIVES = ("seealso",)
REST_PROSE_DIRECTIVES_WITH_ARGUMENT = ("only",)
REST_CODE_DIRECTIVES = (
    "code-block",
    "sourcecode",
    "literalinclude",
    "highlight",
    "currentmodule",
    "minigallery",
)

# What may stand on a line before the first words of a paragraph, a term or a title:
# indentation, bullets and enumerators, field markers, directive markers, footnote labels.
_REST_PREFIX = re.compile(
    r"\s*(?:(?:[-*+•‣⁃]|\(?(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)]"
    r"|:(?:[^:\\]|\\.)+:|\.\.\s+[\w:.+-]+::|\.\.\s+\[[^\]]+\])\s+)*"
)
_ADORNMENT = re.compile(r"([!-/:-@\[-`{-~])\1*")


class _AnyOptions(dict[str, Callable[[str], Any]]):
    """An option spec that accepts every option, unchecked."""

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged


class _ProseDirective(Directive):
    """A directive whose content is reST prose (``.. seealso::``)."""

    has_content = True
    option_spec = _AnyOptions(name=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        return [container]


class _ProseDirectiveWithArgument(_ProseDirective):
    """A prose directive whose argument is no prose (``.. only:: html``)."""

    required_arguments = 1
    final_argument_whitespace = True


class _CodeDirective(Directive):
    """A directive whose content is code or names (``.. code-block::``): left as it is."""

    has_content = True
    optional_arguments = 10
    final_argument_whitespace = True
    option_spec = _AnyOptions(name=directives.unchanged)

    def run(self) -> list[nodes.Node]:
        return []


@contextmanager
def _bare_docutils() -> Iterator[None]:
    """docutils' own directives and roles only, plus this module's stand-ins for Sphinx's.

    In a build, Sphinx's directives and roles are registered with docutils, and they
    need a Sphinx environment; the registries are restored afterwards, the same objects.
    """
    saved_directives = dict(directives._directives)  # type: ignore[attr-defined]
    saved_roles = dict(roles._roles)  # type: ignore[attr-defined]
    directives._directives.clear()  # type: ignore[attr-defined]
    roles._roles.clear()  # type: ignore[attr-defined]
    try:
        for name in REST_PROSE_DIRECTIVES:
            directives.register_directive(name, _ProseDirective)
        for name in REST_PROSE_DIRECTIVES_WITH_ARGUMENT:
            directives.register_directive(name, _ProseDirectiveWithArgument)
        for name in REST_CODE_DIRECTIVES:
            directives.register_directive(name, _CodeDirective)
        yield
    finally:
        directives._directives.clear()  # type: ignore[attr-defined]
        directives._directives.update(saved_directives)  # type: ignore[attr-defined]
        roles._roles.clear()  # type: ignore[attr-defined]
        roles._roles.update(saved_roles)  # type: ignore[attr-defined]


def _rest_doctree(text: str) -> nodes.document:
    """``text`` parsed as reST, without transforms; messages kept in the tree, not printed.

    Sphinx's roles are unknown here, which only adds messages: the paragraphs that hold
    them keep their source (``rawsource``), which is all that is looked up.
    """
    settings = frontend.get_default_settings(rst.Parser)  # type: ignore[attr-defined]
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = io.StringIO()
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    document = utils.new_document("<text block>", settings)
    with _bare_docutils():
        rst.Parser().parse(text, document)
    return document


def _inside(node: nodes.Node, *kinds: type[nodes.Node]) -> bool:
    """Whether ``node`` or one of its ancestors is one of ``kinds``."""
    current: nodes.Node | None = node
    while current is not None:
        if isinstance(current, kinds):
            return True
        current = current.parent
    return False


def _rest_structure(document: nodes.document) -> list[str]:
    """The kinds of the block-level nodes, in order: what a translation must keep."""
    return [
        type(node).__name__
        for node in document.findall(nodes.Element)
        if not isinstance(node, nodes.Inline | nodes.system_message)
        and not _inside(node, nodes.system_message)
    ]


# The nodes whose text Sphinx's gettext builder extracts, as far as gallery text has them.
_REST_UNTRANSLATED = (
    nodes.Inline,
    nodes.Invisible,
    nodes.FixedTextElement,  # literal, doctest and math blocks, comments
    nodes.label,
    nodes.classifier,
    nodes.option_string,
    nodes.option_argument,
)


def _rest_messages(document: nodes.document, translator: _Translator) -> Iterator[nodes.Node]:
    """The translatable nodes in document order; what cannot be translated is a problem."""
    for message in document.findall(nodes.system_message):
        text = message.astext()
        if "Unknown directive type" in text or "directive disabled" in text:
            translator.problem(f"unsupported directive: {text.splitlines()[0]}")
    for node in document.findall(nodes.Element):
        if _inside(node, nodes.system_message):
            continue
        if isinstance(node, nodes.image) and node.get("alt"):
            yield node
        elif not isinstance(node, nodes.TextElement) or isinstance(node, _REST_UNTRANSLATED):
            continue
        elif isinstance(node, nodes.line) or _inside(node, nodes.table):
            first = node.rawsource.strip().splitlines()[:1] or [node.astext()]
            translator.problem(f"unsupported ({type(node).__name__}): {first[0]!r}")
        elif node.rawsource.strip():
            yield node


def _locate(
    lines: _Lines, raw: str, cursor: int, kind: str = "block"
) -> tuple[int, int, int] | None:
    """Where the lines of ``raw`` stand in ``lines`` at or after ``cursor``.

    Returns the row and column of its first character and the row of its last line, or
    None. ``kind`` is ``block`` (a paragraph, term, ...: structural markers may precede
    it), ``title`` (alone on its line, an adornment line below) or ``field`` (between the
    colons of a field marker).
    """
    wanted = [line.strip() for line in raw.strip().split("\n")]
    first = lines.row(cursor)
    for row in range(first, len(lines.lines) - len(wanted) + 1):
        line = lines.lines[row]
        if kind == "field":
            match = re.match(r"(\s*:)" + re.escape(wanted[0]) + ":", line)
            column = match.end(1) if match else -1
        elif line.rstrip().endswith(wanted[0]):
            column = len(line.rstrip()) - len(wanted[0])
            prefix = line[:column]
            if (kind == "title" and prefix.strip()) or not _REST_PREFIX.fullmatch(prefix):
                column = -1
        else:
            column = -1
        if column < 0 or lines.starts[row] + column < cursor:
            continue
        rest = lines.lines[row + 1 : row + len(wanted)]
        if [line.strip() for line in rest] != wanted[1:]:
            continue
        if kind == "title":
            below = lines.lines[row + 1] if row + 1 < len(lines.lines) else ""
            if not _ADORNMENT.fullmatch(below.strip()):
                continue
        return row, column, row + len(wanted) - 1
    return None


def _rest_edits(text: str, translator: _Translator) -> list[_Edit]:
    """The edits that translate the reST ``text``; problems go to ``translator``."""
    lines = _Lines(text)
    edits: list[_Edit] = []
    cursor = 0
    for node in _rest_messages(_rest_doctree(text), translator):
        if isinstance(node, nodes.image):
            raw, kind = node["alt"], "block"
        elif isinstance(node, nodes.field_name):
            raw, kind = node.rawsource, "field"
        elif isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            raw, kind = node.rawsource, "title"
        else:
            raw, kind = node.rawsource, "block"
        place = _locate(lines, raw, cursor, kind)
        if place is None:
            translator.problem(f"cannot find {type(node).__name__} {_normal(raw)!r} in the text")
            continue
        row, column, last = place
        start = lines.starts[row] + column
        end = lines.starts[row] + column + len(raw.strip()) if kind == "field" else lines.end(last)
        cursor = end
        translation = translator(raw)
        if translation is None:
            continue
        if kind == "title":
            edits += _title_edits(lines, row, column, translation)
            cursor = lines.end(row + 1)
            continue
        if raw.rstrip().endswith("::") and not translation.rstrip().endswith("::"):
            translation = translation.rstrip() + " ::"  # the literal block that follows
        continuation = (
            " " * column
            if last == row
            else lines.lines[row + 1][
                : len(lines.lines[row + 1]) - len(lines.lines[row + 1].lstrip())
            ]
        )
        edits.append(_Edit(start, end, translation.strip().replace("\n", "\n" + continuation)))
    return edits


def _title_edits(lines: _Lines, row: int, column: int, title: str) -> list[_Edit]:
    """A section title replaced, its underline (and overline) drawn to the title's width.

    docutils measures a title in columns, East Asian wide characters two each
    (``docutils.utils.column_width``), and warns when the underline is shorter.
    """
    title = " ".join(title.split())
    line = lines.lines[row]
    under = lines.lines[row + 1].strip()
    over = lines.lines[row - 1].strip() if row > 0 else ""
    edits = [_Edit(lines.starts[row] + column, lines.end(row), title)]
    if over and _ADORNMENT.fullmatch(over) and over[0] == under[0]:
        # An overlined title may be inset; keep the overhang the original had.
        overhang = max(len(over) - utils.column_width(line.rstrip()), 0)
        width = utils.column_width(line[:column] + title) + overhang
        edits.append(_Edit(lines.starts[row - 1], lines.end(row - 1), over[0] * width))
    else:
        width = utils.column_width(title)
    edits.append(_Edit(lines.starts[row + 1], lines.end(row + 1), under[0] * width))
    return edits


def translate_rest(text: str, catalog: Mapping[str, str], *, name: str = "text") -> str:
    """The reST ``text`` translated paragraph by paragraph, title by title.

    Literal blocks, doctest blocks, math, comments and code directives stay as they are;
    the content of admonitions and other prose directives is translated.

    Raises:
        UntranslatedError: naming ``name`` and every text that has no translation.
    """
    translator = _Translator(catalog)
    translated = _apply(text, _rest_edits(text, translator))
    if translator.problems:
        raise UntranslatedError(name, translator.problems)
    _check_rest_structure(text, translated, name)
    return translated


def _check_rest_structure(original: str, translated: str, name: str) -> None:
    """The translation has the original's block structure (its titles are still titles)."""
    if _rest_structure(_rest_doctree(translated)) != _rest_structure(_rest_doctree(original)):
        raise RuntimeError(f"{name}: the translated reST is structured differently")


# --------------------------------------------------------------------------------------
# Gallery scripts, and the notebooks sphinx-gallery makes of them
# --------------------------------------------------------------------------------------


def script_blocks(source: str) -> list[py_source_parser.Block]:
    """sphinx-gallery's blocks of a script: ``split_code_and_text_blocks`` of its text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "script.py"
        path.write_text(source, encoding="utf-8")
        _, blocks = py_source_parser.split_code_and_text_blocks(path)
    return list(blocks)


@dataclass
class _TextBlock:
    """A text block of a script, and where each of its lines stands in the script.

    ``rows[i]`` is the script's line (0-based) of the block's line ``i``; on it, the
    block's text sits between ``heads[i]`` and ``tails[i]`` (``# `` before a comment,
    the quotes around a docstring), ``escape`` writes text as it must stand there.
    """

    content: str
    rows: list[int]
    heads: list[str]
    tails: list[str]
    margin: str
    escape: Callable[[str], str]

    def replacements(self, edits: Sequence[_Edit]) -> list[tuple[int, int, list[str]]]:
        """The script lines that replace those the edits touch: (first, last, lines)."""
        lines = _Lines(self.content)
        spans: list[list[int]] = []
        for edit in sorted(edits, key=lambda edit: edit.start):
            first, last = lines.row(edit.start), lines.row(max(edit.end - 1, edit.start))
            if spans and first <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], last)
            else:
                spans.append([first, last])
        out = []
        for first, last in spans:
            begin, finish = lines.starts[first], lines.starts[last] + len(lines.lines[last])
            inside = [e for e in edits if begin <= e.start and e.end <= finish]
            shifted = [_Edit(e.start - begin, e.end - begin, e.new) for e in inside]
            new = _apply(self.content[begin:finish], shifted).split("\n")
            rendered = []
            for index, text in enumerate(new):
                head = self.heads[first] if index == 0 else self.margin
                tail = self.tails[last] if index == len(new) - 1 else ""
                written = head + self.escape(text) + tail
                rendered.append(written if text or tail else written.rstrip())
            out.append((self.rows[first], self.rows[last], rendered))
        return out


def _docstring_block(source: str, content: str) -> _TextBlock:
    """Where the docstring's text stands in the script."""
    token = next(
        tk
        for tk in tokenize.generate_tokens(io.StringIO(source).readline)
        if tk.type == tokenize.STRING
    )
    match = re.match(r"([A-Za-z]*)('''|\"\"\"|'|\")", token.string)
    if match is None:
        raise ValueError(f"not a string literal: {token.string[:20]!r}")
    prefix, quote = match.groups()
    raw = "r" in prefix.lower()
    interior = token.string[match.end() : len(token.string) - len(quote)]
    value = ast.literal_eval(token.string)
    if interior.count("\n") != value.count("\n"):
        raise ValueError("a docstring with escaped line breaks cannot be translated in place")
    value_lines = value.split("\n")
    margin = _docstring_margin(value_lines)
    # inspect.cleandoc (ast.get_docstring) drops the margin and the blank lines around;
    # sphinx-gallery puts a leading line break back.
    cleaned = [value_lines[0].lstrip()] + [line[margin:] for line in value_lines[1:]]
    lead = next(index for index, line in enumerate(cleaned) if line)
    if value.startswith("\n"):
        positions = [0] + [lead + index for index in range(len(content.split("\n")) - 1)]
    else:
        positions = [lead + index for index in range(len(content.split("\n")))]
    source_lines = source.split("\n")
    start_row, start_column = token.start[0] - 1, token.start[1]
    last = len(value_lines) - 1
    heads, tails = [], []
    for position in positions:
        row = start_row + position
        heads.append(
            source_lines[row][: start_column + match.end()]
            if position == 0
            else source_lines[row][:margin]
        )
        tails.append(source_lines[row][token.end[1] - len(quote) :] if position == last else "")

    def escape(text: str) -> str:
        if raw:
            if quote in text or text.endswith("\\"):
                raise ValueError(f"cannot write {text!r} into a raw docstring")
            return text
        return text.replace("\\", "\\\\").replace(quote, "\\" + "\\".join(quote))

    return _TextBlock(
        content,
        [start_row + position for position in positions],
        heads,
        tails,
        " " * margin,
        escape,
    )


def _docstring_margin(lines: list[str]) -> int:
    """The indentation ``inspect.cleandoc`` removes from the lines after the first."""
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    return min(indents, default=0)


def _comment_block(source: str, block: py_source_parser.Block) -> _TextBlock:
    """Where a comment block's text stands in the script (``lineno`` is its first line)."""
    source_lines = source.split("\n")
    first = block.lineno - 1
    rows = []
    row = first
    while row < len(source_lines) and source_lines[row].startswith("#"):
        rows.append(row)
        row += 1
    stripped = [source_lines[row][1:] for row in rows]
    dedented = textwrap.dedent("\n".join(stripped)).split("\n")
    indent = len(stripped[0]) - len(dedented[0]) if stripped else 0
    skipped = next((index for index, line in enumerate(dedented) if line.strip()), 0)
    count = len(block.content.split("\n"))
    mapped = rows[skipped : skipped + count]
    margin = "#" + " " * max(indent, 1)
    if any(row < len(source_lines) and not source_lines[row].startswith("#") for row in mapped):
        raise ValueError(f"comment block at line {block.lineno} is not made of comments")
    heads = [margin] * len(mapped)
    # The block's last line may be the empty string after its final line break.
    while len(mapped) < count:
        mapped.append(mapped[-1] + 1 if mapped else first)
        heads.append(margin)
    return _TextBlock(
        block.content, mapped, heads, [""] * count, margin, lambda text: text.replace("\n", " ")
    )


def translate_script(source: str, catalog: Mapping[str, str], *, name: str = "script") -> str:
    """The gallery script ``source`` with its text blocks translated, its code unchanged.

    Every text block (the module docstring and each ``# %%`` comment block) is reST,
    translated node by node: a paragraph becomes its translation on one line (Chinese
    has no spaces to wrap at), a section title is redrawn with an underline as wide as
    docutils measures it, literal blocks and code directives stay as they are. The code
    between the blocks is not touched, byte for byte, so the script runs as before.

    Args:
        source: the script's text.
        catalog: the example's messages, msgid to msgstr (:func:`load_catalog`).
        name: the script, for the error.

    Raises:
        UntranslatedError: naming ``name`` and every text that has no translation.
    """
    blocks = script_blocks(source)
    source_lines = source.split("\n")
    translator = _Translator(catalog)
    replacements: list[tuple[int, int, list[str]]] = []
    for index, block in enumerate(blocks):
        if block.type != "text":
            continue
        translator.where = f"text block {index + 1}, line {block.lineno}"
        text = (
            _docstring_block(source, block.content) if index == 0 else _comment_block(source, block)
        )
        for row, content_line in zip(text.rows, text.content.split("\n"), strict=False):
            line = source_lines[row] if row < len(source_lines) else ""
            if content_line.strip() and content_line.rstrip() not in line:
                raise ValueError(f"{name}: cannot place {content_line!r} at line {row + 1}")
        replacements += text.replacements(_rest_edits(block.content, translator))
    if translator.problems:
        raise UntranslatedError(name, translator.problems)
    lines = source.split("\n")
    for first, last, new in sorted(replacements, reverse=True):
        lines[first : last + 1] = new
    translated = _raw_docstring("\n".join(lines))
    _check_script(blocks, script_blocks(translated), name)
    return translated


def _raw_docstring(source: str) -> str:
    """``source`` with its docstring written raw when that reads better and means the same.

    reST's escaped spaces (``用\\ ``nn``\\ 类``, which Chinese needs around inline
    markup) would otherwise stand in the file doubled, as a plain string spells them.
    """
    token = next(
        tk
        for tk in tokenize.generate_tokens(io.StringIO(source).readline)
        if tk.type == tokenize.STRING
    )
    if not token.string.startswith('"""') or "\\\\" not in token.string:
        return source
    raw = "r" + token.string.replace("\\\\", "\\")
    try:
        same = ast.literal_eval(raw) == ast.literal_eval(token.string)
    except SyntaxError:
        return source
    if not same:
        return source
    lines = source.split("\n")
    (first, start), (last, end) = token.start, token.end
    text = "\n".join(lines[first - 1 : last])
    offset = start
    tail = len(lines[last - 1]) - end
    body = text[offset : len(text) - tail]
    assert body == token.string
    lines[first - 1 : last] = (text[:offset] + raw + text[len(text) - tail :]).split("\n")
    return "\n".join(lines)


def _check_script(
    original: list[py_source_parser.Block], translated: list[py_source_parser.Block], name: str
) -> None:
    """The translation has the original's blocks, the same code, and reST as structured."""
    if [block.type for block in original] != [block.type for block in translated]:
        raise RuntimeError(f"{name}: the translated script has other blocks")
    for before, after in zip(original, translated, strict=True):
        if before.type == "code" and before.content != after.content:
            raise RuntimeError(f"{name}: the code of line {before.lineno} changed")
        if before.type == "text":
            _check_rest_structure(before.content, after.content, f"{name}:{before.lineno}")


def gallery_conf(site_conf: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """sphinx-gallery's configuration: its defaults updated with ``site_conf``.

    In a build, ``app.config.sphinx_gallery_conf`` is this already.
    """
    conf = copy.deepcopy(DEFAULT_GALLERY_CONF)
    conf.update(site_conf or {})
    conf.setdefault("rst_link_targets", {})
    return conf


def script_notebook(
    source: str, conf: Mapping[str, Any] | None = None, target_dir: str | Path = "."
) -> dict[str, Any]:
    """The notebook sphinx-gallery makes of the script ``source``.

    As ``sphinx_gallery.gen_rst`` does it: the blocks without their ignored lines
    (``sphinx_gallery_start_ignore``) and, with ``remove_config_comments``, without their
    configuration comments, and a last block of whitespace dropped; then
    ``sphinx_gallery.notebook.jupyter_notebook``, which converts each text block to
    Markdown. ``conf`` is sphinx-gallery's configuration (:func:`gallery_conf`).
    """
    conf = dict(conf) if conf is not None else gallery_conf()
    blocks = [
        py_source_parser.Block(kind, py_source_parser.remove_ignore_blocks(content), lineno)
        for kind, content, lineno in script_blocks(source)
    ]
    if conf.get("remove_config_comments"):
        blocks = [
            py_source_parser.Block(kind, py_source_parser.remove_config_comments(content), lineno)
            for kind, content, lineno in blocks
        ]
    if blocks[-1].content.isspace():
        blocks = blocks[:-1]
    notebook = jupyter_notebook(blocks, conf, target_dir)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = [_without_escaped_spaces(text) for text in cell["source"]]
    return notebook


def _without_escaped_spaces(markdown: str) -> str:
    """``markdown`` without reST's escaped spaces (``\\ ``), outside inline literals.

    reST needs ``\\ `` where inline markup touches a character that is no space or
    punctuation, as it does in Chinese (``以\\ ``torch.nn``\\ 模块``); reST drops it,
    but sphinx-gallery's conversion to Markdown keeps it, and Markdown would show the
    backslash. English text has none, so its notebooks are as sphinx-gallery makes them.
    """
    parts = re.split(r"(``.+?``)", markdown, flags=re.DOTALL)
    return "".join(
        part if index % 2 else part.replace("\\ ", "") for index, part in enumerate(parts)
    )


def notebook_json(notebook: Mapping[str, Any]) -> str:
    """The notebook as sphinx-gallery writes it (``save_notebook``: JSON, indent 2)."""
    return json.dumps(notebook, indent=2)


# --------------------------------------------------------------------------------------
# MyST: the markdown cells of a chapter's notebook
# --------------------------------------------------------------------------------------

# MyST directives in markdown cells: what their argument is (prose, translated; a key,
# kept; none allowed) and what their content is (MyST, translated; opaque, kept; none).
_ADMONITIONS = (
    "attention",
    "caution",
    "danger",
    "error",
    "hint",
    "important",
    "note",
    "seealso",
    "tip",
    "warning",
)
MYST_DIRECTIVES: dict[str, tuple[str | None, str | None]] = {
    **dict.fromkeys(_ADMONITIONS, (None, "myst")),
    "admonition": ("prose", "myst"),
    "dropdown": ("prose", "myst"),
    "topic": ("prose", "myst"),
    "sidebar": ("prose", "myst"),
    "rubric": ("prose", None),
    "list-table": ("prose", "myst"),
    "table": ("prose", "myst"),
    "tab-set": (None, "myst"),
    "tab-item": ("prose", "myst"),
    "card": ("prose", "myst"),
    "grid": ("key", "myst"),
    "grid-item": (None, "myst"),
    "grid-item-card": ("prose", "myst"),
    "figure": ("key", "myst"),
    "nnguide-registry": ("key", "myst"),
    "toctree": (None, "toctree"),
    "code-block": ("key", "opaque"),
    "code": ("key", "opaque"),
    "sourcecode": ("key", "opaque"),
    "math": ("key", "opaque"),
    "raw": ("key", "opaque"),
    "image": ("key", None),
    "literalinclude": ("key", None),
}
MYST_TRANSLATED_OPTIONS = ("caption",)  # a toctree's caption is a message


def markdown_parser(md_config: MdParserConfig | None = None) -> MarkdownIt:
    """MyST's block parser with the site's configuration (``env.myst_config`` in a build)."""
    return create_md_parser(md_config or MdParserConfig(), RendererHTML)


def _markdown_structure(parser: MarkdownIt, text: str) -> list[tuple[str, str, int, str]]:
    """The kinds of the block-level tokens, in order: what a translation must keep."""
    return [
        (token.type, token.tag, token.level, token.info)
        for token in parser.parse(text)
        if token.type != "inline"
    ]


def _inline_edit(lines: _Lines, token: Token, translation: str, field: bool) -> _Edit | None:
    """The edit that puts ``translation`` in place of an inline token's text."""
    content = token.content.split("\n")
    first = token.map[0] if token.map else 0
    columns = []
    for index, part in enumerate(content):
        line = lines.lines[first + index]
        part = part.strip()
        if field:
            column = line.find(":" + part + ":") + 1
            column = column if column > 0 else -1
        elif index == 0 and line.rstrip().endswith(part):
            column = len(line.rstrip()) - len(part)
        else:
            column = line.find(part)
        if column < 0:
            return None
        columns.append(column)
    last = first + len(content) - 1
    start = lines.starts[first] + columns[0]
    end = lines.starts[last] + columns[-1] + len(content[-1].strip())
    continuation = " " * columns[0]
    return _Edit(start, end, translation.strip().replace("\n", "\n" + continuation))


def _split_row(line: str) -> list[tuple[int, int]]:
    """The spans of a table row's cells (their text, stripped), between unescaped pipes."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    stripped = line.strip()
    if not stripped.startswith("|"):
        bounds.insert(0, len(line) - len(line.lstrip()) - 1)
    if not stripped.endswith("|") or stripped.endswith("\\|"):
        bounds.append(len(line.rstrip()))
    spans = []
    for left, right in itertools.pairwise(bounds):
        cell = line[left + 1 : right]
        start = left + 1 + len(cell) - len(cell.lstrip())
        spans.append((start, start + len(cell.strip())))
    return spans


def _markdown_edits(
    text: str, translator: _Translator, parser: MarkdownIt, where: str
) -> list[_Edit]:
    """The edits that translate the MyST ``text``; problems go to ``translator``."""
    lines = _Lines(text)
    tokens = parser.parse(text)
    edits: list[_Edit] = []
    row_cells: list[Token] = []
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        translator.where = f"{where}, line {line}" if line else where
        if token.type == "tr_open":
            row_cells = []
        elif token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            row_cells.append(token)
        elif token.type == "tr_close":
            edits += _row_edits(lines, row_cells, translator)
        elif token.type == "inline" and token.content.strip():
            translation = translator(token.content)
            if translation is None:
                continue
            field = tokens[index - 1].type == "fieldlist_name_open"
            edit = _inline_edit(lines, token, translation, field)
            if edit is None:
                translator.problem(f"cannot place {token.content!r} in the text")
            else:
                edits.append(edit)
        elif token.type in ("fence", "colon_fence") and token.info.startswith("{"):
            edits += _directive_edits(lines, token, translator, parser, where)
    return edits


def _row_edits(lines: _Lines, cells: list[Token], translator: _Translator) -> list[_Edit]:
    """The edits that translate a table row, cell by cell, on its line."""
    if not cells or not cells[0].map:
        return []
    row = cells[0].map[0]
    spans = _split_row(lines.lines[row])
    if len(spans) < len(cells):
        translator.problem(f"cannot split the table row {lines.lines[row]!r}")
        return []
    edits = []
    for cell, (start, end) in zip(cells, spans, strict=False):
        if not cell.content.strip():
            continue
        translation = translator(cell.content)
        if translation is not None:
            escaped = re.sub(r"(?<!\\)\|", r"\\|", " ".join(translation.split()))
            edits.append(_Edit(lines.starts[row] + start, lines.starts[row] + end, escaped))
    return edits


def _directive_edits(
    lines: _Lines, token: Token, translator: _Translator, parser: MarkdownIt, where: str
) -> list[_Edit]:
    """The edits that translate a directive: its argument, options and content."""
    match = re.match(r"\{([^}]+)\}\s*(.*)", token.info)
    if match is None or token.map is None:
        return []
    name, argument = match.group(1), match.group(2).strip()
    if name not in MYST_DIRECTIVES:
        translator.problem(f"unsupported directive {{{name}}}")
        return []
    argument_kind, body_kind = MYST_DIRECTIVES[name]
    edits = []
    opening = token.map[0]
    if argument and argument_kind is None:
        translator.problem(f"text on the line of {{{name}}}: {argument!r}")
    elif argument and argument_kind == "prose":
        translation = translator(argument)
        line = lines.lines[opening]
        if translation is not None:
            column = line.rstrip().rfind(argument)
            start = lines.starts[opening] + column
            edits.append(_Edit(start, start + len(argument), " ".join(translation.split())))
    indent = lines.lines[opening].find(token.markup)
    last = token.map[1] - 1
    closing = lines.lines[last].strip()
    if last > opening and closing and set(closing) == set(token.markup[:1]):
        last -= 1
    rows = list(range(opening + 1, last + 1))
    body = [lines.lines[row][indent:] if lines.lines[row].strip() else "" for row in rows]
    if any(lines.lines[row][:indent].strip() for row in rows):
        translator.problem(f"{{{name}}} inside a container this module cannot re-indent")
        return edits
    options = 0
    if body and body[0].strip() == "---":
        options = next((i for i in range(1, len(body)) if body[i].strip() == "---"), 0) + 1
    else:
        while options < len(body) and re.match(r":[\w-]+:", body[options]):
            option = re.match(r":([\w-]+):\s*(.*)", body[options])
            if option and option.group(1) in MYST_TRANSLATED_OPTIONS and option.group(2):
                translation = translator(option.group(2))
                if translation is not None:
                    row = rows[options]
                    start = lines.starts[row] + lines.lines[row].find(option.group(2))
                    edits.append(
                        _Edit(start, start + len(option.group(2)), " ".join(translation.split()))
                    )
            options += 1
    content_rows, content = rows[options:], "\n".join(body[options:])
    if not content_rows or not content.strip():
        return edits
    if body_kind == "myst":
        inner = _markdown_edits(content, translator, parser, f"{where}, {{{name}}}")
        new = _apply(content, inner)
    elif body_kind == "toctree":
        new = "\n".join(_toctree_entry(line, translator) for line in content.split("\n"))
    elif body_kind == "opaque":
        return edits
    else:
        translator.problem(f"{{{name}}} has content, which it takes none")
        return edits
    if new != content:
        reindented = "\n".join(" " * indent + line if line else "" for line in new.split("\n"))
        start = lines.starts[content_rows[0]]
        end = lines.starts[content_rows[-1]] + len(lines.lines[content_rows[-1]])
        edits.append(_Edit(start, end, reindented))
    return edits


def _toctree_entry(line: str, translator: _Translator) -> str:
    """A toctree entry with its explicit title (``Title <page>``) translated."""
    match = re.fullmatch(r"(\s*)(.*?\S)\s*(<[^<>]+>)\s*", line)
    if match is None:
        return line
    translation = translator(match.group(2))
    return line if translation is None else f"{match.group(1)}{translation} {match.group(3)}"


def translate_markdown(
    text: str,
    catalog: Mapping[str, str],
    *,
    name: str = "text",
    md_config: MdParserConfig | None = None,
) -> str:
    """The MyST ``text`` translated block by block, its markup kept.

    Headings keep their ``#``, list items their markers and indentation, tables their
    rows (cell by cell), directives their fences, options and arguments (a prose
    argument, such as an admonition's title, is translated); the content of prose
    directives is translated, code, math, HTML, targets and comments are not.

    Raises:
        UntranslatedError: naming ``name`` and every text that has no translation.
    """
    parser = markdown_parser(md_config)
    translator = _Translator(catalog)
    translated = _apply(text, _markdown_edits(text, translator, parser, name))
    if translator.problems:
        raise UntranslatedError(name, translator.problems)
    if _markdown_structure(parser, translated) != _markdown_structure(parser, text):
        raise RuntimeError(f"{name}: the translated MyST is structured differently")
    return translated


def translate_notebook(
    nb: Mapping[str, Any],
    catalog: Mapping[str, str],
    *,
    name: str = "notebook",
    md_config: MdParserConfig | None = None,
) -> dict[str, Any]:
    """A copy of the notebook with its markdown cells translated; the rest unchanged.

    Code cells, their outputs, raw cells and the metadata (the page's front matter) stay
    as they are. A cell's source stays a string or a list of lines, as it came. The
    MyST configuration is ``md_config`` updated with the notebook's own (its front
    matter's ``myst`` key), as myst-nb reads the page.

    Args:
        nb: the notebook (``nbformat`` node or the JSON's dictionary).
        catalog: the page's messages, msgid to msgstr (:func:`load_catalog`).
        name: the page, for the error.
        md_config: the site's MyST configuration (``env.myst_config`` in a build).

    Raises:
        UntranslatedError: naming ``name`` and every text that has no translation.
    """
    config = merge_file_level(
        md_config or MdParserConfig(), dict(nb.get("metadata", {})), lambda *_: None
    )
    parser = markdown_parser(config)
    translator = _Translator(catalog)
    out = copy.deepcopy(dict(nb))
    structures = []
    for index, cell in enumerate(out["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        edits = _markdown_edits(text, translator, parser, f"cell {index + 1}")
        new = _apply(text, edits)
        structures.append((index, text, new))
        cell["source"] = new.splitlines(keepends=True) if isinstance(source, list) else new
    if translator.problems:
        raise UntranslatedError(name, translator.problems)
    for index, text, new in structures:
        if _markdown_structure(parser, new) != _markdown_structure(parser, text):
            raise RuntimeError(f"{name}: cell {index + 1} is structured differently")
    return out


# --------------------------------------------------------------------------------------
# In a build: the executed notebooks, the catalogs, the downloads
# --------------------------------------------------------------------------------------


def executed_notebook(env: Any, docname: str) -> nbformat.NotebookNode | None:
    """The notebook myst-nb executed for ``docname``, outputs included; None if none.

    Read from the page as myst-nb reads it (``create_nb_reader`` with the environment's
    MyST and myst-nb configuration), its outputs merged from the jupyter-cache in
    ``nb_execution_cache_path`` (``merge_match_into_notebook``, what myst-nb's cache
    client does). None for a page that is no notebook, and for a build that executes
    nothing (``nb_execution_mode = "off"``).

    Raises:
        KeyError: for a notebook the cache holds no execution of.
        ValueError: for an execution mode other than ``cache`` or ``off``.
    """
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    if path.suffix not in (".md", ".ipynb"):
        return None
    text = path.read_text(encoding="utf-8")
    nb_config = env.mystnb_config
    reader = create_nb_reader(str(path), env.myst_config, nb_config, text)
    if reader is None:
        return None
    notebook = reader.read(text)
    if nb_config.execution_mode == "off":
        return None
    if nb_config.execution_mode != "cache":
        raise ValueError(
            f"notebook downloads need nb_execution_mode = 'cache', not {nb_config.execution_mode!r}"
        )
    if any(path.match(pattern) for pattern in nb_config.execution_excludepatterns):
        return notebook
    _, merged = get_cache(nb_config.execution_cache_path).merge_match_into_notebook(notebook)
    return merged


def _catalog_path(app: Sphinx, docname: str) -> Path | None:
    """The ``.po`` file of ``docname`` in the build's language, in ``locale_dirs``."""
    domain = docname_to_domain(docname, app.config.gettext_compact)
    for folder in app.config.locale_dirs:
        path = Path(app.srcdir, folder, app.config.language, "LC_MESSAGES", f"{domain}.po")
        if path.is_file():
            return path
    return None


def _gallery_downloads(app: Sphinx) -> dict[str, list[Path]]:
    """Each example's docname and the files of it in ``_downloads/`` (.py, .ipynb, .zip)."""
    conf = app.config.sphinx_gallery_conf
    galleries = conf.get("gallery_dirs") or []
    galleries = [galleries] if isinstance(galleries, str) else list(galleries)
    found: dict[str, list[Path]] = {}
    for source, (_docnames, destination) in sorted(app.env.dlfiles.items()):
        path = Path(source)
        if path.parent.as_posix() not in galleries or path.suffix not in (
            ".py",
            ".ipynb",
            ".zip",
        ):
            continue
        if not Path(app.srcdir, path.with_suffix(".py")).is_file():
            continue
        docname = path.with_suffix("").as_posix()
        found.setdefault(docname, []).append(Path(app.outdir, "_downloads", destination))
    return found


def _translate_gallery(app: Sphinx) -> None:
    """Rewrite the gallery's downloads translated: scripts, notebooks, zipped pairs."""
    from nnguide_files import write_if_changed

    conf = app.config.sphinx_gallery_conf
    for docname, files in _gallery_downloads(app).items():
        catalog_path = _catalog_path(app, docname)
        if catalog_path is None:
            logger.warning("downloads: no catalog for %s; its downloads stay English", docname)
            continue
        english = Path(app.srcdir, docname + ".py").read_text(encoding="utf-8")
        try:
            script = translate_script(english, load_catalog(catalog_path), name=docname)
        except UntranslatedError as error:
            logger.warning("downloads: %s; its downloads stay English", error)
            continue
        notebook = notebook_json(script_notebook(script, conf))
        stem = Path(docname).name
        contents = {f"{stem}.py": script.encode(), f"{stem}.ipynb": notebook.encode()}
        for path in files:
            if path.suffix == ".zip":
                write_if_changed(path, _rezipped(path.read_bytes(), contents))
            elif path.name in contents:
                write_if_changed(path, contents[path.name])


def _rezipped(data: bytes, contents: Mapping[str, bytes]) -> bytes:
    """The zip ``data`` with the members named in ``contents`` replaced by theirs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info, contents.get(info.filename, old.read(info)))
    return out.getvalue()


def _write_notebooks(app: Sphinx) -> None:
    """Write each executed chapter's notebook, translated in a translation's build."""
    from nnguide_files import write_if_changed

    env = app.env
    translating = (app.config.language or SOURCE_LANGUAGE) != SOURCE_LANGUAGE
    for docname in sorted(env.found_docs):
        try:
            notebook = executed_notebook(env, docname)
        except (KeyError, ValueError) as error:
            logger.warning("downloads: no executed notebook of %s: %s", docname, error)
            continue
        if notebook is None:
            continue
        if translating:
            catalog_path = _catalog_path(app, docname)
            if catalog_path is None:
                logger.warning("downloads: no catalog for %s; its notebook is English", docname)
            else:
                try:
                    notebook = nbformat.from_dict(
                        translate_notebook(
                            notebook,
                            load_catalog(catalog_path),
                            name=docname,
                            md_config=env.myst_config,
                        )
                    )
                except UntranslatedError as error:
                    logger.warning("downloads: %s; its notebook is English", error)
        path = Path(app.outdir, "_downloads", NOTEBOOKS, *f"{docname}.ipynb".split("/"))
        write_if_changed(path, nbformat.writes(notebook).encode("utf-8"))


def _write_downloads(app: Sphinx, exception: Exception | None) -> None:
    """At the end of an HTML build: the translated gallery downloads, the notebooks."""
    if exception is not None or not is_site_build(app):
        return
    if (app.config.language or SOURCE_LANGUAGE) != SOURCE_LANGUAGE:
        _translate_gallery(app)
    _write_notebooks(app)


def is_notebook(env: Any, docname: str) -> bool:
    """Whether myst-nb reads ``docname`` as a notebook (a MyST page with a kernel)."""
    from myst_nb.core.read import create_nb_reader

    path = Path(env.doc2path(docname))
    if path.suffix != ".md":
        return False
    text = path.read_text(encoding="utf-8")
    return create_nb_reader(str(path), env.myst_config, env.mystnb_config, text) is not None


def _link_notebook(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Hand an executed page's template the path of its notebook (``nnguide_notebook``),
    and, in a build with the offline copies, theirs (``nnguide_offline``)."""
    language = app.config.language or SOURCE_LANGUAGE
    context["nnguide_offline"] = (
        {kind: f"_downloads/{OFFLINE}/{offline_name(language, kind)}" for kind in ("zip", "epub")}
        if app.config.nnguide_offline and is_site_build(app)
        else {}
    )
    executed = (
        is_site_build(app)
        and doctree is not None
        and app.env.mystnb_config.execution_mode == "cache"
        and is_notebook(app.env, pagename)
    )
    context["nnguide_notebook"] = f"_downloads/{NOTEBOOKS}/{pagename}.ipynb" if executed else ""


def _epub_language(app: Sphinx, config: Config) -> None:
    """The EPUB's language as a BCP 47 tag (``zh-CN``), not Sphinx's code (``zh_CN``)."""
    language = config.language or SOURCE_LANGUAGE
    if language in LANGUAGES:
        config.epub_language = LANGUAGES[language].tag


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect ``build-finished``: the downloads are written after Sphinx copied its own;
    and ``html-page-context``: an executed page links its notebook."""
    # Set by ``tools/build_site.py --offline``, which makes the offline copies after the
    # HTML build and puts them where these links point.
    app.add_config_value("nnguide_offline", False, "html", types=[bool])
    app.connect("config-inited", _epub_language)
    app.connect("build-finished", _write_downloads)
    app.connect("html-page-context", _link_notebook)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


__all__ = [
    "OFFLINE",
    "UntranslatedError",
    "executed_notebook",
    "gallery_conf",
    "is_notebook",
    "load_catalog",
    "markdown_parser",
    "notebook_json",
    "offline_name",
    "script_blocks",
    "script_notebook",
    "translate_markdown",
    "translate_notebook",
    "translate_rest",
    "translate_script",
]
