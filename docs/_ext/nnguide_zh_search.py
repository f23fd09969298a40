"""Chinese search works on Sphinx 9.0: the zh search page names a stemmer that exists.

Sphinx extension. Sphinx 9.0's Chinese search page instantiates ``ChineseStemmer``,
which no script defines, and throws (sphinx issue 14229, fixed in 9.1, which needs
Python >= 3.12). The Chinese indexer already ships the English stemmer's JavaScript;
naming the language "English" makes the page instantiate that stemmer, which exists.
Indexing is unchanged: jieba still segments the pages (``html_search_options``).

No event: :func:`setup` patches ``sphinx.search.zh.SearchChinese`` once, when the
extension is loaded.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def chinese_search_workaround() -> None:
    """Make Sphinx's zh search page use the English stemmer it ships (sphinx#14229)."""
    from sphinx.search.zh import SearchChinese

    SearchChinese.language_name = "English"


def setup(app: Sphinx) -> dict[str, Any]:
    """Apply :func:`chinese_search_workaround`."""
    chinese_search_workaround()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
