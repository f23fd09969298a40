"""What a reader downloads from the built site, in the page's language (nnguide_downloads).

The Chinese site's gallery scripts and notebooks carry the Chinese of their text blocks
and still run on their own, without nnguide; every executed chapter offers its notebook,
outputs included, in its language; the English site hands out the scripts as they are.
"""

from __future__ import annotations

import json
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import LANGUAGES, ROOT, SITE, Browser
from selenium.webdriver.common.by import By
from site_checks import run_without_nnguide
from sphinx_gallery.py_source_parser import split_code_and_text_blocks
from test_browser import load

HAN = re.compile(r"[\u4e00-\u9fff]")
EXAMPLES = sorted((ROOT / "examples").glob("plot_*.py"))
CHAPTERS = sorted(
    page.stem
    for page in (ROOT / "docs").glob("*.md")
    if "kernelspec:" in page.read_text(encoding="utf-8").split("\n---", 1)[0]
)


def downloads(language: str, suffix: str) -> dict[str, Path]:
    """The gallery's downloads of a kind in a language's site, by file name."""
    found = {
        path.name: path
        for path in (SITE / language / "_downloads").glob(f"*/*{suffix}")
        if path.parent.name != "offline"  # the whole guide (test_offline.py)
    }
    assert found, f"no {suffix} download in {language}"
    return found


def markdown_cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]


def test_every_example_has_its_downloads_in_both_languages():
    names = {script.name for script in EXAMPLES}
    for language in LANGUAGES:
        assert names <= set(downloads(language, ".py")), language
        assert {n.replace(".py", ".ipynb") for n in names} <= set(downloads(language, ".ipynb"))


def test_english_scripts_are_the_examples_as_they_are():
    for name, path in downloads("en", ".py").items():
        assert path.read_bytes() == (ROOT / "examples" / name).read_bytes(), name


def test_chinese_scripts_have_chinese_text_and_the_same_code():
    for name, path in downloads("zh_CN", ".py").items():
        _, translated = split_code_and_text_blocks(str(path))[:2]
        _, english = split_code_and_text_blocks(str(ROOT / "examples" / name))[:2]
        assert [b.type for b in translated] == [b.type for b in english], name
        for before, after in zip(english, translated, strict=True):
            if after.type == "text":
                assert HAN.search(after.content), f"{name}:{after.lineno} {after.content!r}"
            else:
                assert after.content == before.content, f"{name}:{after.lineno}"


def test_chinese_gallery_notebooks_have_chinese_text_cells():
    for name, path in downloads("zh_CN", ".ipynb").items():
        cells = markdown_cells(path)
        assert cells, name
        for cell in cells:
            assert HAN.search(cell), f"{name}: {cell[:80]!r}"


def test_chinese_zips_hold_the_chinese_files():
    scripts = downloads("zh_CN", ".py")
    for name, path in downloads("zh_CN", ".zip").items():
        with zipfile.ZipFile(path) as archive:
            script = name.replace(".zip", ".py")
            assert archive.read(script) == scripts[script].read_bytes(), name


def test_chinese_scripts_run_without_nnguide(tmp_path: Path):
    scripts = sorted(downloads("zh_CN", ".py").values())

    def run(script: Path) -> tuple[str, int, str]:
        folder = tmp_path / script.stem
        folder.mkdir()
        result = run_without_nnguide(script, folder)
        return script.name, result.returncode, result.stderr[-2000:]

    with ThreadPoolExecutor(max_workers=2) as pool:  # the machine has two cores
        failed = [(n, err) for n, code, err in pool.map(run, scripts) if code]
    assert not failed, failed
    assert len(scripts) == len(EXAMPLES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_chapter_offers_its_notebook_in_its_language(language: str):
    assert len(CHAPTERS) >= 20
    for chapter in CHAPTERS:
        path = SITE / language / "_downloads" / "notebooks" / f"{chapter}.ipynb"
        notebook = json.loads(path.read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert any(c["outputs"] for c in code), f"{chapter}: no outputs"
        cells = markdown_cells(path)
        with_chinese = [cell for cell in cells if HAN.search(cell)]
        if language == "zh_CN":
            assert with_chinese == cells, f"{chapter}: {set(cells) - set(with_chinese)}"
        else:
            assert not with_chinese, chapter


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_chapter_links_its_notebook(browser: Browser, server: str, language: str):
    load(browser, f"{server}/{language}/inplace.html")
    link = browser.driver.find_element(By.CSS_SELECTOR, "a.nnguide-notebook")
    assert link.is_displayed()
    href = link.get_attribute("href")
    assert href == f"{server}/{language}/_downloads/notebooks/inplace.ipynb", href
    assert link.get_attribute("download") is not None
