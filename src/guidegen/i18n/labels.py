"""The tool's own labels ("References", "Table of contents", …) in the output language.

They live in the package's catalogs (src/guidegen/locale/<lang>/LC_MESSAGES/
guidegen.po); a guideline may override any of them with its own
translations/<lang>/LC_MESSAGES/guidegen.po.  Catalogs are compiled in memory,
so nothing needs ``msgfmt`` at install time.
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

DOMAIN = "guidegen"


def package_po(lang: str) -> Path:
    return Path(str(resources.files("guidegen") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"))


@cache
def _compiled(path: Path, mtime: float) -> bytes | None:
    """The .mo bytes of a .po file (cached; a fresh translations object is built per call,
    since ``add_fallback`` mutates it)."""
    if not path.is_file():
        return None
    with path.open("rb") as f:
        catalog = read_po(f, abort_invalid=True, charset="utf-8")  # the check refuses any other
    for message in list(catalog):
        if message.fuzzy and message.id:  # a fuzzy label is not a translation
            message.string = ""
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _load(path: Path) -> gettext.GNUTranslations | None:
    data = _compiled(path, path.stat().st_mtime if path.is_file() else 0.0)
    return gettext.GNUTranslations(io.BytesIO(data)) if data is not None else None


def override_po(guideline: Guideline, lang: str) -> Path:
    """Where a guideline keeps its own labels for ``lang``, overriding the package's."""
    return (guideline.root / guideline.meta.translations / lang / "LC_MESSAGES" / f"{DOMAIN}.po").resolve()


def label_translations(lang: str, guideline: Guideline | None = None) -> gettext.NullTranslations:
    """The guideline's overrides first, then the package's catalog for ``lang``."""
    chain: list[gettext.NullTranslations] = []
    if guideline is not None:
        found = _load(override_po(guideline, lang))
        if found is not None:
            chain.append(found)
    found = _load(package_po(lang))
    if found is not None:
        chain.append(found)
    if not chain:
        return gettext.NullTranslations()
    for first, second in itertools.pairwise(chain):
        first.add_fallback(second)
    return chain[0]
