"""Interface strings that no template's ``_()`` hands to Sphinx's gettext builder.

Sphinx extension. Three kinds of words reach a page without passing through a template
that the gettext builder reads: the theme's "More" menu, myst-nb's toggle of hidden code
(``nb_code_prompt_show``/``_hide``, configuration values whose ``{type}`` myst-nb fills
with an English word: source, output, outputs or content), and the site's description
for pages without text of their own (search, indices). They are translated in the
``sphinx`` catalog: ``tools/catalogs.py`` adds :data:`UNEXTRACTED_MESSAGES` to its
template, and this extension translates the toggles once myst-nb has written them.

Events: none; a post-transform, :class:`TranslatePrompts`, runs after myst-nb's.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

# The site's description, for pages without text of their own (search, indices).
SITE_DESCRIPTION = (
    "torch.nn or torch.nn.functional? A verified, bilingual guide whose every example "
    "runs when the site is built."
)
# myst-nb's toggles as it writes them, with its default prompts and each {type} it fills in.
PROMPTS = tuple(
    f"{verb} code cell {kind}"
    for kind in ("source", "output", "outputs", "content")
    for verb in ("Show", "Hide")
)
UNEXTRACTED_MESSAGES = ("More", *PROMPTS, SITE_DESCRIPTION)


class TranslatePrompts(SphinxPostTransform):
    """myst-nb's toggles of hidden code, from the ``sphinx`` catalog (after myst-nb's own)."""

    default_priority = 200  # myst-nb's HideInputCells, which fills in {type}, is 199
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        from myst_nb.sphinx_ import HideCodeCellNode
        from sphinx.locale import get_translation

        _ = get_translation("sphinx")
        for node in self.document.findall(HideCodeCellNode):
            for key in ("prompt_show", "prompt_hide"):
                if node[key] in PROMPTS:
                    node[key] = str(_(node[key]))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register :class:`TranslatePrompts`."""
    app.add_post_transform(TranslatePrompts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
