"""Sphinx configuration of the nnguide site (English source; Chinese via gettext)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

import nnguide_hosting  # noqa: E402
import nnguide_inventories  # noqa: E402
import nnguide_languages  # noqa: E402

from nnguide import build_info  # noqa: E402

# -- Project -----------------------------------------------------------------------------
project = "nnguide"
author = "The nnguide authors"
copyright = "2026, the nnguide authors"
INFO = build_info()
release = version = INFO.nnguide

# -- Extensions --------------------------------------------------------------------------
# The site's own extensions, in docs/_ext/: one job each (their docstrings say which).
extensions = [
    "nnguide_strings",  # interface strings no template hands to gettext
    "nnguide_hosting",  # hosted URLs, language twins and switcher, the 404 page's links
    "nnguide_meta",  # page descriptions, Open Graph
    "nnguide_sitemap",  # each language's sitemap.xml
    "nnguide_assets",  # one stylesheet bundle, deferred scripts
    "nnguide_images",  # width and height on every figure
    "nnguide_mathml",  # math as MathML
    "nnguide_search",  # Pagefind's index and the search box that uses it
    "nnguide_downloads",  # downloads in the page's language, chapters as notebooks
    "nnguide_reference",
    "nnguide_build",  # executed outputs outside the deployed folder; a shorter log
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx_design",
    "sphinx_copybutton",
    "notfound.extension",
]

root_doc = "index"
exclude_patterns = [
    "_build",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes a notebook beside each generated page: myst-nb must not
    # read it as a second source of the same page ("multiple files found").
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "sg_execution_times.rst",
]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["nnguide.css"]

# Every warning fails the build (nox passes -W --keep-going); every reference must resolve.
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []
nitpick_ignore_regex = [
    # Private helper types (a leading underscore) show up in the signatures of public
    # dataclasses, e.g. the input generator a verification Case is called with. They are
    # deliberately undocumented, so there is no page to link to.
    ("py:class", r"nnguide\.[\w.]*\._\w+"),
]

# -- Cross-references without the network ------------------------------------------------
# PyTorch's and Python's inventories are written from the installed packages, with their
# sites' URL schemes; nothing is fetched.
intersphinx_mapping = nnguide_inventories.offline_intersphinx_mapping(
    HERE / "_build" / "inventories"
)
intersphinx_timeout = 1

# -- Hosting -----------------------------------------------------------------------------
# The one place the site's address is set. Each language is its own Read the Docs project,
# served at <site>/<slug>/<version>/ (en/, zh-cn/); canonical links, hreflang, Open Graph
# and each language's sitemap.xml are derived from it (nnguide_hosting.language_root).
nnguide_site_url = "https://nnguide.readthedocs.io/"
# The custom 404 page is docs/404.md; sphinx-notfound-page makes its links absolute
# (/en/ here, /en/<version>/ on Read the Docs), so it works at any depth.
notfound_pagename = nnguide_hosting.NOT_FOUND
# Math renders as MathML, which browsers draw natively: no MathJax, no CDN request.
html_math_renderer = "mathml"

# -- MyST and myst-nb: executed pages ----------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "fieldlist"]
myst_heading_anchors = 3
nb_execution_mode = "cache"
nb_execution_cache_path = str(HERE / "_build" / "jupyter_cache")
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_execution_timeout = 120
nb_merge_streams = True
# Markdown that a cell displays (a table built by code) renders as MyST, which has tables.
nb_render_markdown_format = "myst"

# -- sphinx-gallery: executed example scripts --------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Every script in examples/ is executed; tests/test_gallery.py checks the pattern.
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"__init__\.py",
    # Before each script: torch's state as the build started (docs/_ext/nnguide_gallery.py).
    "reset_modules": ("matplotlib", "nnguide_gallery.reset_torch"),
    "reset_modules_order": "before",
    "abort_on_example_error": False,  # run them all, then fail the build naming each one
    "only_warn_on_example_error": False,
    "plot_gallery": "True",
    "download_all_examples": False,
    "remove_config_comments": True,
    # Run times change on every build: keep them out of the pages (and the catalogs).
    "min_reported_time": float("inf"),
    "write_computation_times": False,
    "show_memory": False,
    "show_signature": False,
    "line_numbers": False,
    # Only what a script prints is shown: a bare expression's repr can hold an address.
    "capture_repr": (),
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "compress_images": (),
}

# -- autodoc and doctest -----------------------------------------------------------------
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False
# Docstring examples use torch's names and nnguide's public API, as a reader would.
doctest_global_setup = """
import torch
import torch.nn.functional as F
from torch import nn

import nnguide
from nnguide import *
"""
doctest_test_doctest_blocks = "default"

# -- HTML --------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "nnguide"
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_theme_options = {
    "navigation_with_keys": False,
    "header_links_before_dropdown": 4,
    "show_toc_level": 2,
    "footer_start": ["copyright", "licence"],
    "footer_end": ["buildinfo", "offline"],
    "secondary_sidebar_items": ["page-toc"],
    "article_header_end": ["notebook-download"],
    "navbar_end": ["language-switcher", "theme-switcher"],
    "icon_links": [],
}
html_context = {
    # The theme's colour mode before the reader picks one; without it the theme's script
    # logs "Got invalid theme mode" on a first visit.
    "default_mode": "auto",
    "build_torch": INFO.torch,
    "build_python": INFO.python,
    "build_nnguide": INFO.nnguide,
}

# sphinx-copybutton: copy code, never prompts or output.
copybutton_exclude = ".linenos, .gp, .go"
copybutton_prompt_text = r">>> |\.\.\. "
copybutton_prompt_is_regexp = True

# -- Internationalisation (English source) ------------------------------------------------
# nox passes -D language=zh_CN for the Chinese build; Read the Docs names the language
# of each of its projects in READTHEDOCS_LANGUAGE (zh-cn), mapped here onto Sphinx's code.
language = nnguide_languages.language_from_rtd(os.environ.get("READTHEDOCS_LANGUAGE", "en"))
locale_dirs = ["locales/"]
gettext_compact = False
gettext_uuid = False
gettext_location = False


# -- EPUB (tools/build_site.py --offline) -------------------------------------------------
# The whole guide as one e-book per language; nnguide-<language>.epub beside the zip of
# the HTML site (tools/offline.py). The 404 page is for the web (its links start from the
# server's root); a link's address goes to a footnote, as on paper.
epub_title = project  # the same in every language; its language is the build's (nnguide_downloads)
epub_show_urls = "footnote"
# Sphinx keeps the previous .buildinfo as .buildinfo.bak when the configuration changed;
# it is no part of the book (the EPUB builder leaves out .buildinfo itself).
epub_exclude_files = ["404.xhtml", ".buildinfo.bak"]
