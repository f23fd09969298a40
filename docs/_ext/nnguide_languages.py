"""The site's languages: the one definition that the build, the extensions and the tests read.

Not a Sphinx extension, and it imports nothing of Sphinx: ``tools/build_site.py`` (which
languages to build), ``tools/site_checks.py`` (the local server's 404 pages), the
extensions (``nnguide_hosting``, ``nnguide_meta``, ``nnguide_sitemap``) and the tests
all import :data:`LANGUAGES` from here. English, the source, comes first; the others are
translations, built from ``docs/locales/<code>/``.

Adding a language means adding one :class:`Language` here and its catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One language of the site, under each of the names that a tool gives it.

    Attributes:
        code: Sphinx's language code (``zh_CN``): ``-D language=``, the folder under
            ``docs/locales/`` and the folder it is built into (``_build/html/zh_CN/``).
        tag: its BCP 47 tag (``zh-CN``), for ``<html lang>`` and ``hreflang``.
        rtd: Read the Docs' slug for it (``zh-cn``), the first part of its hosted path.
        name: its name written in itself (``简体中文``), for the language switcher.
        og_locale: its Open Graph locale (``zh_CN``), for ``og:locale``.
    """

    code: str
    tag: str
    rtd: str
    name: str
    og_locale: str


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language(code="en", tag="en", rtd="en", name="English", og_locale="en_US"),
        Language(code="zh_CN", tag="zh-CN", rtd="zh-cn", name="简体中文", og_locale="zh_CN"),
    )
}
SOURCE = next(iter(LANGUAGES))  # English: the pages are written in it
TRANSLATIONS = tuple(code for code in LANGUAGES if code != SOURCE)


def language_from_rtd(rtd_language: str) -> str:
    """Map Read the Docs' language (``zh-cn``) onto Sphinx's code (``zh_CN``).

    Raises:
        ValueError: for a slug that no language of the site has.
    """
    for code, language in LANGUAGES.items():
        if language.rtd == rtd_language.lower():
            return code
    expected = ", ".join(language.rtd for language in LANGUAGES.values())
    raise ValueError(f"unknown READTHEDOCS_LANGUAGE {rtd_language!r}; expected one of {expected}")
