"""nnguide: the verified guide to ``torch.nn`` versus ``torch.nn.functional``.

The package holds what the guide claims, so that the claims can be tested:
pages and gallery scripts *show*, the package *holds*, the tests *verify*.
"""

from nnguide._version import __version__
from nnguide.buildinfo import BuildInfo, build_info

__all__ = ["BuildInfo", "__version__", "build_info"]
