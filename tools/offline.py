"""The whole guide in one language, to read offline: a zip of its HTML site and an EPUB.

``tools/build_site.py --offline`` builds each language's site with ``nnguide_offline``
set (so every page's footer links the two files), builds its EPUB with Sphinx's ``epub``
builder, then calls :func:`package`, which writes the zip and puts both files in the
site, at ``_downloads/offline/nnguide-<language>.zip`` and ``.epub``.

The zip holds the language's folder as the site has it, under ``nnguide-<language>/``,
opened from the file system at ``nnguide-<language>/index.html``. The pages link each
other relatively, so they work from ``file://`` as they are; what cannot work there is
changed in the copy, not in the site:

- the language switcher's link to the other language, a folder the zip does not hold,
  goes to that page on the hosted site (the page's own ``hreflang`` twin);
- the footer's link to the offline copies is left out (this is one);
- the search index (``_pagefind/``) is left out: a browser does not let a page opened
  from a file fetch it, and the search box says that search needs the site served over
  HTTP.
"""

from __future__ import annotations

import re
import shutil
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "docs" / "_ext"))

from nnguide_downloads import OFFLINE, offline_name

LEFT_OUT = ("_pagefind", f"_downloads/{OFFLINE}", ".buildinfo")
_ALTERNATE = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
_SWITCHER = re.compile(
    r'(<a class="nav-link nnguide-language-link" href=")([^"]*)(" hreflang="([^"]+)")'
)
_OFFLINE_LINKS = re.compile(r'\s*<p class="nnguide-offline">.*?</p>', re.DOTALL)


def offline_page(html: str) -> str:
    """A page of the site as the zip holds it (see the module docstring).

    Raises:
        ValueError: if the page's switcher links a language it has no ``hreflang`` twin
            for, which would leave a link out of the zip.
    """
    twins = dict(_ALTERNATE.findall(html))

    def hosted(match: re.Match[str]) -> str:
        tag = match[4]
        if tag not in twins:
            raise ValueError(
                f"the language switcher links {tag!r}, but the page names no hreflang twin "
                f"for it (it has {sorted(twins)})"
            )
        return match[1] + twins[tag] + match[3]

    return _OFFLINE_LINKS.sub("", _SWITCHER.sub(hosted, html))


def _left_out(relative: str) -> bool:
    return any(relative == path or relative.startswith(path + "/") for path in LEFT_OUT)


def write_zip(site: Path, language: str, destination: Path) -> int:
    """Zip the language's built ``site`` into ``destination``; returns the files written."""
    top = f"nnguide-{language}"
    count = 0
    with zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(site.rglob("*")):
            relative = path.relative_to(site).as_posix()
            if path.is_dir() or _left_out(relative):
                continue
            name = f"{top}/{relative}"
            if path.suffix == ".html":
                archive.writestr(name, offline_page(path.read_text(encoding="utf-8")))
            else:
                archive.write(path, name)
            count += 1
    return count


def package(site: Path, epub_dir: Path, language: str) -> tuple[Path, Path]:
    """Write the zip of ``site`` and copy the EPUB from ``epub_dir`` into the site.

    Returns the zip's and the EPUB's paths in the site.

    Raises:
        FileNotFoundError: if ``site`` has no ``index.html`` or ``epub_dir`` no EPUB.
    """
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"no built site to package: {site / 'index.html'} is missing")
    epubs = sorted(epub_dir.glob("*.epub"))
    if len(epubs) != 1:
        raise FileNotFoundError(f"expected one EPUB in {epub_dir}, found {len(epubs)}")
    folder = site / "_downloads" / OFFLINE
    folder.mkdir(parents=True, exist_ok=True)
    zip_path = folder / offline_name(language, "zip")
    partial = zip_path.with_suffix(".zip.partial")
    count = write_zip(site, language, partial)
    partial.replace(zip_path)
    epub_path = folder / offline_name(language, "epub")
    shutil.copyfile(epubs[0], epub_path)
    print(
        f"offline ({language}): {zip_path} ({count} files, {zip_path.stat().st_size >> 10} kB), "
        f"{epub_path} ({epub_path.stat().st_size >> 10} kB)"
    )
    return zip_path, epub_path
