"""docs/_ext/nnguide_downloads.py without a build: the translated scripts and notebooks.

The browser tests (``tests_browser/test_downloads.py``) open what the built site hands
out; these check the functions that make it, on every gallery script and its catalog.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from conftest import DOCS, EXAMPLES
from nnguide_downloads import (
    UntranslatedError,
    _raw_docstring,
    load_catalog,
    notebook_json,
    script_blocks,
    script_notebook,
    translate_markdown,
    translate_notebook,
    translate_script,
)

HAN = re.compile(r"[\u4e00-\u9fff]")
GALLERY_CATALOGS = DOCS / "locales" / "zh_CN" / "LC_MESSAGES" / "auto_examples"
SCRIPTS = sorted(EXAMPLES.glob("plot_*.py"))


def test_there_are_scripts_to_translate():
    assert len(SCRIPTS) >= 13
    for script in SCRIPTS:
        assert (GALLERY_CATALOGS / f"{script.stem}.po").is_file(), script.name


@pytest.fixture(scope="module", params=SCRIPTS, ids=lambda path: path.stem)
def translated(request: pytest.FixtureRequest) -> tuple[str, str]:
    script: Path = request.param
    source = script.read_text(encoding="utf-8")
    catalog = load_catalog(GALLERY_CATALOGS / f"{script.stem}.po")
    return source, translate_script(source, catalog, name=script.name)


def test_a_translated_script_keeps_its_code_and_translates_every_text_block(translated):
    source, zh = translated
    compile(zh, "translated", "exec")
    before, after = script_blocks(source), script_blocks(zh)
    assert [block.type for block in before] == [block.type for block in after]
    for old, new in zip(before, after, strict=True):
        if old.type == "code":
            assert new.content == old.content
        else:
            assert HAN.search(new.content), new.content[:80]
    # Same docstring meaning for Python: a raw string only where it spells the same text.
    assert ast.get_docstring(ast.parse(zh)) is not None


def test_a_translated_scripts_notebook_has_chinese_markdown_and_no_rest_escapes(translated):
    _, zh = translated
    notebook = nbformat.reads(notebook_json(script_notebook(zh)), as_version=4)
    nbformat.validate(notebook)
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    assert markdown
    for cell in markdown:
        text = "".join(cell.source)
        assert HAN.search(text), text[:80]
        outside_literals = re.sub(r"``.+?``", "", text, flags=re.DOTALL)
        assert "\\ " not in outside_literals, text[:120]


def test_a_script_without_its_translations_names_every_text():
    script = EXAMPLES / "plot_one_minute.py"
    with pytest.raises(UntranslatedError) as caught:
        translate_script(script.read_text(encoding="utf-8"), {}, name=script.name)
    error = caught.value
    assert error.name == "plot_one_minute.py"
    assert len(error.texts) >= 3
    assert str(error).startswith(f"plot_one_minute.py: {len(error.texts)} text(s) not translated")


def test_a_docstring_with_escapes_is_written_raw_only_when_it_means_the_same():
    raw = _raw_docstring('"""用\\\\ ``nn``\\\\ 类"""\nx = 1\n')
    assert raw == 'r"""用\\ ``nn``\\ 类"""\nx = 1\n'
    assert ast.literal_eval(raw.split("\n")[0]) == "用\\ ``nn``\\ 类"
    # A docstring with no escape to halve is kept as it is.
    assert _raw_docstring('"""plain"""\n') == '"""plain"""\n'
    # A newline escape would change meaning written raw: left alone.
    newline = '"""a\\\\ b\\n"""\n'
    assert _raw_docstring(newline) == newline


def test_load_catalog_leaves_out_the_header_fuzzy_and_empty_entries(tmp_path: Path):
    po = tmp_path / "page.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr "完成"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "猜"\n\n'
        'msgid "Empty"\nmsgstr ""\n',
        encoding="utf-8",
    )
    assert load_catalog(po) == {"Done": "完成"}


MYST = """\
# A title

Some *prose* with `code`
over two lines.

- an item

```python
x = 1  # not translated
```
"""

CATALOG = {
    "A title": "标题",
    "Some *prose* with `code` over two lines.": "一段*文字*，带 `code`。",
    "an item": "一项",
}


def test_translate_markdown_keeps_the_markup_and_the_code():
    zh = translate_markdown(MYST, CATALOG, name="page")
    assert zh.splitlines() == [
        "# 标题",
        "",
        "一段*文字*，带 `code`。",
        "",
        "- 一项",
        "",
        "```python",
        "x = 1  # not translated",
        "```",
    ]


def test_translate_markdown_names_what_it_could_not_translate():
    with pytest.raises(UntranslatedError) as caught:
        translate_markdown(MYST, {"A title": "标题"}, name="page")
    assert caught.value.name == "page"
    assert len(caught.value.texts) == 2
    assert any("an item" in text for text in caught.value.texts)


def test_translate_notebook_changes_markdown_cells_only():
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(MYST),
            nbformat.v4.new_code_cell(
                "print('hi')",
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="hi\n")],
            ),
        ]
    )
    zh = translate_notebook(notebook, CATALOG, name="page")
    assert zh["cells"][0]["source"].startswith("# 标题\n")
    assert zh["cells"][1] == notebook.cells[1]
    assert notebook.cells[0].source == MYST  # the original is not changed
