"""What the build writes beside the site, and what its log shows.

Sphinx extension.

- myst-nb writes the outputs of the pages it executes (their images, for Sphinx to copy
  into ``_images/``) into ``jupyter_execute/`` beside the output folder. With one output
  folder per language that is ``_build/html/jupyter_execute/``: inside the folder that is
  deployed, yet no page links it. It goes beside the doctrees instead
  (``_build/doctrees/jupyter_execute/``), which are never deployed; every language and
  builder shares it, as they shared the old place.
- myst-parser and myst-nb log their whole configuration each time a build starts (about
  1,500 characters a line), and myst-nb the path of its cache: those three lines are
  left out of the log. Nothing else is, and no warning ever.

Events: ``builder-inited`` (priority 600, after myst-nb's, which sets the folder).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

OUTPUTS = "jupyter_execute"
# The loggers of the start-up lines, and how each line starts (colour codes removed).
START_UP = {
    "sphinx.myst_parser.sphinx_ext.main": ("myst v",),
    "sphinx.myst_nb.sphinx_ext": ("myst-nb v", "Using jupyter-cache at: "),
}
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


class StartUpLines(logging.Filter):
    """Drops a logger's start-up lines: info records whose text starts with ``starts``."""

    def __init__(self, starts: tuple[str, ...]) -> None:
        super().__init__()
        self.starts = starts

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        text = _COLOUR.sub("", record.getMessage())
        return not text.startswith(self.starts)


def _outputs_beside_doctrees(app: Sphinx) -> None:
    """Point myst-nb's output folder at ``<doctrees>/../jupyter_execute``."""
    config = getattr(app.env, "mystnb_config", None)
    if config is None:
        return
    folder = (Path(app.doctreedir).parent / OUTPUTS).resolve()
    app.env.mystnb_config = config.copy(output_folder=str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    """Install the log filters (before any builder starts); connect ``builder-inited``."""
    for name, starts in START_UP.items():
        logger = logging.getLogger(name)
        if not any(isinstance(f, StartUpLines) for f in logger.filters):
            logger.addFilter(StartUpLines(starts))
    app.connect("builder-inited", _outputs_beside_doctrees, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
