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


def _lacking(texts: list[str], covered: frozenset[str]) -> Iterator[tuple[int, list[str]]]:
    """(index, missing characters) of each text that has any; all the text is tested at once first, since nearly always none has."""
    if not _missing("".join(texts), covered):
        return
    for i, text in enumerate(texts):
        chars = _missing(text, covered)
        if chars:
            yield i, chars


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars)


def font_coverage(guideline: Guideline) -> Iterator[Problem]:
    fonts = theme_dir(guideline.root / "theme") / "fonts"
    covered = coverage(fonts)
    if not covered:
        return
    unit_list = units(guideline)
    for i, chars in _lacking([unit.text for unit in unit_list], covered):
        yield warning("T112", f"the theme's fonts lack {_describe(chars)}", unit_list[i].position)
    for lang in target_languages(guideline):
        path = po_path(guideline, lang)
        catalog, problems = cached_catalog(path, shown_path(path), lang)
        if catalog is None or problems:
            continue  # the translation checks report unreadable catalogs
        translated = [message for message in catalog if message.id and message.string]
        for i, chars in _lacking([str(message.string) for message in translated], covered):
            yield warning("T112", f"{lang}: the theme's fonts lack {_describe(chars)}", Position(shown_path(path), translated[i].lineno or 0, 1))


CHECKS = [font_coverage]
