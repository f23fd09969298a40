"""The translation gate: what it accepts and what it refuses."""

from __future__ import annotations

from pathlib import Path

import catalogs
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po


def write(path: Path, messages: dict[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    catalog = Catalog(locale="zh_CN")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    pot, po = tmp_path / "gettext", tmp_path / "zh_CN" / "LC_MESSAGES"
    empty_theme = tmp_path / "theme.pot"
    write(empty_theme, {})
    monkeypatch.setattr(catalogs, "theme_template", lambda: empty_theme)
    write(pot / "page.pot", {"Hello": "", "Use `F.relu` here.": "", "`nn.ReLU`": ""})
    return pot, po


def kinds(pot: Path, po: Path) -> list[tuple[str, str]]:
    return [(p.kind.split(" (")[0], p.msgid) for p in catalogs.problems(pot, po)]


def test_complete_catalog_passes(dirs):
    pot, po = dirs
    write(
        po / "page.po",
        {"Hello": "你好", "Use `F.relu` here.": "这里用 `F.relu`。", "`nn.ReLU`": "`nn.ReLU`"},
    )
    assert kinds(pot, po) == []


def test_missing_catalog(dirs):
    pot, po = dirs
    po.mkdir(parents=True)
    assert kinds(pot, po) == [("missing catalog", "")]


def test_untranslated_fuzzy_and_copied_are_refused(dirs):
    pot, po = dirs
    write(
        po / "page.po",
        {"Hello": "", "Use `F.relu` here.": "Use `F.relu` here.", "`nn.ReLU`": "x"},
        fuzzy=("`nn.ReLU`",),
    )
    assert kinds(pot, po) == [
        ("untranslated", "Hello"),
        ("copied, not translated", "Use `F.relu` here."),
        ("fuzzy", "`nn.ReLU`"),
    ]


def test_listed_neutral_message_may_stay_english(dirs):
    pot, po = dirs
    write(
        po / "page.po",
        {"Hello": "Hello", "Use `F.relu` here.": "用 `F.relu`。", "`nn.ReLU`": "`nn.ReLU`"},
    )
    assert kinds(pot, po) == [("copied, not translated", "Hello")]
    (po.parent / "neutral.txt").write_text("# comment\nHello\n", encoding="utf-8")
    assert kinds(pot, po) == []


def test_changed_english_makes_the_catalog_out_of_date(dirs):
    pot, po = dirs
    write(
        po / "page.po",
        {"Hello!": "你好！", "Use `F.relu` here.": "用 `F.relu`。", "`nn.ReLU`": "`nn.ReLU`"},
    )
    assert kinds(pot, po) == [
        ("new English text, not in the catalog", "Hello"),
        ("English text gone, still in the catalog", "Hello!"),
    ]


def test_update_keeps_translations_and_prefills_gallery_strings(dirs):
    pot, po = dirs
    download = ":download:`Download Python source code: plot_a.py <plot_a.py>`"
    write(pot / "page.pot", {"Hello": "", download: ""})
    write(po / "page.po", {"Hello": "你好", "Gone": "没了"})
    catalogs.update(pot, po)
    catalog = catalogs.read(po / "page.po")
    assert catalog.get("Hello").string == "你好"
    assert catalog.get(download).string == ":download:`下载 Python 源代码：plot_a.py <plot_a.py>`"
    assert catalog.get("Gone") is None
    assert kinds(pot, po) == []


@pytest.mark.parametrize(
    ("msgid", "neutral"),
    [
        ("`torch.nn.functional`", True),
        (":doc:`/auto_examples/plot_one_minute`", True),
        ("``F.relu(x)``", True),
        ("ReLU: a class and a function", False),
        ("Setup", False),
        ("str | None", True),
        ("dict[str, torch.Tensor]", True),
        ("Literal['correct', 'wrong']", True),
        ("Return type", False),
        ("English", False),
        ("Tensor", True),
    ],
)
def test_code_only_messages_are_neutral(msgid: str, neutral: bool):
    assert catalogs.is_neutral(msgid, set()) is neutral


def test_cli_refuses_bad_usage(capsys):
    assert catalogs.main(["translate"]) == 2
    assert "usage: catalogs.py {check,update}" in capsys.readouterr().err


def test_update_leaves_an_unchanged_catalog_alone(dirs):
    pot, po = dirs
    write(
        po / "page.po",
        {"Hello": "你好", "Use `F.relu` here.": "用 `F.relu`。", "`nn.ReLU`": "`nn.ReLU`"},
    )
    before = (po / "page.po").read_bytes()
    catalogs.update(pot, po)
    assert (po / "page.po").read_bytes() == before
