"""The API page (docs/api.rst) against the package it documents."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import nnguide


def test_every_name_on_the_api_page_is_importable_from_nnguide(root: Path) -> None:
    """The page says: every name below can be imported from nnguide directly."""
    page = (root / "docs" / "api.rst").read_text(encoding="utf-8")
    assert "Every name below can be imported from ``nnguide`` directly." in page
    sections = re.findall(r"^\.\. automodule:: (\S+)\n\s+:members: (.+)$", page, re.MULTILINE)
    assert len(sections) == page.count(".. automodule::")
    for module_name, members in sections:
        module = importlib.import_module(module_name)
        for name in (member.strip() for member in members.split(",")):
            assert name in nnguide.__all__, name
            assert getattr(nnguide, name) is getattr(module, name), name
    # single objects, documented where they are defined
    objects = re.findall(r"^\.\. auto(?:function|class):: (\S+)\.(\w+)$", page, re.MULTILINE)
    assert len(objects) == page.count(".. autofunction::") + page.count(".. autoclass::")
    for module_name, name in objects:
        module = importlib.import_module(module_name)
        assert name in nnguide.__all__, name
        assert getattr(nnguide, name) is getattr(module, name), name
