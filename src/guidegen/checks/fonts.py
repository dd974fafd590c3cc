"""Font coverage: every character of the localized text must be in the theme's fonts.

WeasyPrint falls back silently to whatever the machine has (or to a blank box);
a guideline must look the same everywhere, so a character the theme's fonts
lack is reported (T112) with the message it stands in.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ..i18n.catalogs import cached_catalog, po_path, target_languages
from ..i18n.messages import units
from ..load import shown_path
from ..model import Guideline
from ..problems import Position, Problem, warning
from ..render.theme import theme_dir

# Characters that are layout, not glyphs: the renderer never draws them.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@cache
def coverage(fonts: Path) -> frozenset[str]:
    chars: set[str] = set()
    for path in sorted(fonts.glob("*.[ot]tf")):
        chars |= {chr(c) for c in TTFont(str(path), lazy=True).getBestCmap()}
    return frozenset(chars)


def _missing(text: str, covered: frozenset[str]) -> list[str]:
    return sorted(c for c in set(text) - covered if c not in _INVISIBLE and not unicodedata.category(c).startswith("C"))


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars)


def font_coverage(guideline: Guideline) -> Iterator[Problem]:
    fonts = theme_dir(guideline.root / "theme") / "fonts"
    covered = coverage(fonts)
    if not covered:
        return
    texts = [unit.text for unit in units(guideline)]
    if _missing("".join(texts), covered):  # one pass over all the text first: nearly always nothing is missing
        for unit in units(guideline):
            chars = _missing(unit.text, covered)
            if chars:
                yield warning("T112", f"the theme's fonts lack {_describe(chars)}", unit.position)
    for lang in target_languages(guideline):
        path = po_path(guideline, lang)
        catalog, problems = cached_catalog(path, shown_path(path), lang)
        if catalog is None or problems:
            continue  # the translation checks report unreadable catalogs
        translated = [message for message in catalog if message.id and message.string]
        if not _missing("".join(str(message.string) for message in translated), covered):
            continue
        for message in translated:
            chars = _missing(str(message.string), covered)
            if chars:
                yield warning("T112", f"{lang}: the theme's fonts lack {_describe(chars)}", Position(shown_path(path), message.lineno or 0, 1))


CHECKS = [font_coverage]
