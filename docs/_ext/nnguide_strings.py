"""Interface strings that no template's ``_()`` hands to Sphinx's gettext builder.

Sphinx extension. Three kinds of words reach a page without passing through a template
that the gettext builder reads: the theme's "More" menu, myst-nb's toggle of hidden code
(``nb_code_prompt_show``/``_hide``, configuration values), and the site's description
for pages without text of their own (search, indices). They are translated in the
``sphinx`` catalog: ``tools/catalogs.py`` adds :data:`UNEXTRACTED_MESSAGES` to its
template, and this extension translates the configuration values.

Events: ``config-inited``, which sets myst-nb's two prompts in the build's language.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

# The site's description, for pages without text of their own (search, indices).
SITE_DESCRIPTION = (
    "torch.nn or torch.nn.functional? A verified, bilingual guide whose every example "
    "runs when the site is built."
)
UNEXTRACTED_MESSAGES = (
    "More",
    "Show code cell {type}",
    "Hide code cell {type}",
    SITE_DESCRIPTION,
)


def _translate_config(app: Sphinx, config: Config) -> None:
    """myst-nb's prompts for hidden code cells, from the ``sphinx`` catalog."""
    from sphinx.locale import get_translation

    _ = get_translation("sphinx")
    config.nb_code_prompt_show = str(_("Show code cell {type}"))
    config.nb_code_prompt_hide = str(_("Hide code cell {type}"))


def setup(app: Sphinx) -> dict[str, Any]:
    """Connect ``config-inited`` (see the module docstring)."""
    app.connect("config-inited", _translate_config)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
