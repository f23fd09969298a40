"""Every gallery script starts from the torch state that the build started with.

All gallery scripts run in the Sphinx process, one after another. A script that seeds,
switches on deterministic algorithms, changes the default dtype or the thread count
would otherwise leak that into the next one.

Not a Sphinx extension and no Sphinx event: sphinx-gallery's ``reset_modules`` hook
names :func:`reset_torch` by its dotted path (``"nnguide_gallery.reset_torch"`` in
conf.py; a string keeps the configuration picklable, hence incremental builds
incremental) and calls it before each script. What is captured and restored is
:mod:`nnguide.state`'s list, the one the claims and the tests use too.
"""

from __future__ import annotations

from nnguide.state import GlobalState, capture

# Taken once, when sphinx-gallery first imports this module, before any script runs; the
# later builds of the same process (the translations) start from it too.
START: GlobalState = capture()


def reset_torch(gallery_conf: object, fname: str) -> None:
    """sphinx-gallery ``reset_modules`` hook: put back the state captured at start-up."""
    START.restore()
