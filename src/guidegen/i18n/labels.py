"""The tool's own labels ("References", "Table of contents", …) in the output language.

They live in the package's catalogs (src/guidegen/locale/<lang>/LC_MESSAGES/
guidegen.po); a guideline may override any of them with its own
translations/<lang>/LC_MESSAGES/guidegen.po.  Catalogs are compiled in memory,
so nothing needs ``msgfmt`` at install time.

A derived language (uz-Cyrl) has no label catalog of its own: its source
language's (uz) are transliterated.  Where the transliteration is wrong, the
package's hand-written corrections (src/guidegen/locale/uz_Cyrl/LC_MESSAGES/
guidegen.po, named by the profile's CLDR locale) are used as written.
"""

from __future__ import annotations

import gettext
import io
import itertools
from functools import cache
from importlib import resources
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..model import Guideline
from .catalogs import catalog_language
from .languages import Derived, profile

DOMAIN = "guidegen"


def package_po(lang: str) -> Path:
    return Path(str(resources.files("guidegen") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"))


@cache
def _compiled(path: Path, mtime: float, derived: Derived | None) -> bytes | None:
    """The .mo bytes of a .po file, transliterated for a derived language (cached; a fresh translations
    object is built per call, since ``add_fallback`` mutates it)."""
    if not path.is_file():
        return None
    with path.open("rb") as f:
        catalog = read_po(f, abort_invalid=True, charset="utf-8")  # the check refuses any other
    for message in list(catalog):
        if not message.id:
            continue
        strings = (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        if message.fuzzy or not all(strings):  # a fuzzy label is not a translation, nor an empty plural form
            message.string = ""
        elif derived is not None:
            converted = tuple(derived.convert(text) for text in strings)
            message.string = converted[0] if isinstance(message.string, str) else converted
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _load(path: Path, derived: Derived | None) -> gettext.GNUTranslations | None:
    data = _compiled(path, path.stat().st_mtime if path.is_file() else 0.0, derived)
    return gettext.GNUTranslations(io.BytesIO(data)) if data is not None else None


def override_po(guideline: Guideline, lang: str) -> Path:
    """Where a guideline keeps its own labels for ``lang``, overriding the package's."""
    return (guideline.root / guideline.meta.translations / lang / "LC_MESSAGES" / f"{DOMAIN}.po").resolve()


def label_sources(lang: str, guideline: Guideline | None = None) -> list[tuple[Path, Derived | None]]:
    """The label catalogs for ``lang``, the first that has a label wins, each with the derivation applied to it.

    The guideline's overrides, then the package's catalog.  For a derived language both are its source
    language's, transliterated; between them come the package's hand-written corrections, as written (the
    guideline's own label still wins, as it does over the package's in every language)."""
    language = profile(lang)
    if language is None or language.derived is None:
        own: list[tuple[Path, Derived | None]] = (
            [] if guideline is None else [(p, None) for p in _overrides(guideline, lang)]
        )
        return [*own, (package_po(language.tag if language else lang), None)]
    derived = language.derived
    own = [] if guideline is None else [(p, derived) for p in _overrides(guideline, catalog_language(guideline, lang))]
    return [*own, (package_po(language.locale), None), (package_po(derived.source), derived)]


def _overrides(guideline: Guideline, lang: str) -> list[Path]:
    """The guideline's own label overrides, then its library's shared ones."""
    paths = [override_po(guideline, lang)]
    library = guideline.library
    if library is not None and library.meta.labels:
        paths.append((library.root / library.meta.labels / lang / "LC_MESSAGES" / f"{DOMAIN}.po").resolve())
    return paths


def label_translations(lang: str, guideline: Guideline | None = None) -> gettext.NullTranslations:
    """The labels of ``label_sources``, chained."""
    chain = [found for path, derived in label_sources(lang, guideline) if (found := _load(path, derived)) is not None]
    if not chain:
        return gettext.NullTranslations()
    for first, second in itertools.pairwise(chain):
        first.add_fallback(second)
    return chain[0]
