"""Math as MathML: the browser draws it, and nothing is loaded (MathJax would come from a CDN).

Sphinx extension. It registers the ``mathml`` HTML math renderer (conf.py sets
``html_math_renderer = "mathml"``); latex2mathml converts each formula while the page is
written. No event: ``app.add_html_math_renderer`` gives the HTML translator a visitor
for ``math`` and ``math_block`` nodes.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


def mathml(latex: str, display: str = "inline") -> str:
    """LaTeX as a MathML ``<math>`` element (``\\text{in\\_features}`` keeps its ``_``)."""
    from latex2mathml.converter import convert

    latex = re.sub(
        r"\\text\{([^}]*)\}", lambda m: "\\text{" + m[1].replace("\\_", "_") + "}", latex
    )
    return str(convert(latex, display=display))


def _visit_math(self: HTML5Translator, node: nodes.math) -> None:
    """Inline math: the ``<math>`` element in place of the node."""
    self.body.append(mathml(node.astext()))
    raise nodes.SkipNode


def _visit_displaymath(self: HTML5Translator, node: nodes.math_block) -> None:
    """Display math: a ``<div class="math">`` holding a block ``<math>`` element."""
    self.body.append(self.starttag(node, "div", CLASS="math"))
    self.body.append(mathml(node.astext(), display="block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _depart_nothing(self: HTML5Translator, node: nodes.Element) -> None:
    """Never called: the visitors skip the node."""


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``mathml`` renderer."""
    app.add_html_math_renderer(
        "mathml", (_visit_math, _depart_nothing), (_visit_displaymath, _depart_nothing)
    )
    return {"parallel_read_safe": True, "parallel_write_safe": True}
