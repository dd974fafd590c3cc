"""Font coverage: every character of the rendered text must be in the theme's fonts.

WeasyPrint falls back silently to whatever the machine has (or to a blank box);
a guideline must look the same everywhere, so a character the theme's fonts
lack is reported (T112) with the message it stands in.  Rendered text is more
than the translatable messages: committee names, the reference list's fields,
a guideline's own grading scheme and its label overrides are printed too
(issue 17).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ..grading import BUILTIN
from ..i18n.catalogs import catalog_language, checked_catalog, po_path, target_languages
from ..i18n.labels import override_po
from ..i18n.messages import units
from ..kept import code_stamp, keep, kept
from ..load import shown_path
from ..model import Guideline, Level
from ..problems import Position, Problem, warning
from ..render.theme import theme_dir
from ..yamlsrc import printable

# Characters that are layout, not glyphs: the renderer never draws them.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@cache
def read_fonts(fonts: Path) -> tuple[frozenset[str], tuple[tuple[Path, str], ...]]:
    """The characters the fonts in ``fonts`` cover, and (path, why) of each font file that cannot be read:
    a guideline's own theme is a folder like any other, and a broken file must not end ``check`` in a traceback.

    What fontTools reads is kept between runs under a hash of the fonts' bytes: importing it and reading the
    theme's fonts takes twenty times longer than hashing them (docs/design-notes.md)."""
    paths = sorted(fonts.glob("*.[ot]tf"))
    try:
        digests = [hashlib.sha256(path.read_bytes()).hexdigest() for path in paths]
    except OSError:
        return _read_fonts(paths)
    spec = importlib.util.find_spec("fontTools")  # its version, without the import this is meant to save
    where = spec.origin if spec is not None and spec.origin else __file__
    key = f"{' '.join(digests)} {code_stamp(__file__, where)}"
    found = kept("fonts", key, folder="fonts")
    if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], str):
        return frozenset(found[0]), tuple((Path(path), why) for path, why in found[1])
    chars, broken = _read_fonts(paths)
    keep("fonts", key, ("".join(sorted(chars)), tuple((str(path), why) for path, why in broken)), folder="fonts")
    return chars, broken


def _read_fonts(paths: list[Path]) -> tuple[frozenset[str], tuple[tuple[Path, str], ...]]:
    from fontTools.ttLib import TTFont  # imported only when the fonts are read

    chars: set[str] = set()
    broken = []
    for path in paths:
        try:
            chars |= {chr(c) for c in TTFont(str(path), lazy=True).getBestCmap() or {}}
        except Exception as exc:  # fontTools raises TTLibError, struct.error, AssertionError... on a bad file
            broken.append((path, f"{type(exc).__name__}: {exc}"))
    return frozenset(chars), tuple(broken)


def _missing(text: str, covered: frozenset[str]) -> list[str]:
    if not _uncovered(covered).search(text):
        return []  # nearly always; re finds that many times faster than a set of the text is made
    return sorted(c for c in set(text) - covered if c not in _INVISIBLE and not unicodedata.category(c).startswith("C"))


@cache
def _uncovered(covered: frozenset[str]) -> re.Pattern[str]:
    """A character neither in ``covered`` nor one of the layout characters: the only ones ``_missing`` may name."""
    codes = sorted(ord(c) for c in covered | _INVISIBLE)
    ranges: list[list[int]] = []
    for code in codes:  # consecutive characters as one range: the class compiles quickly
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


def _lacking(texts: list[str], covered: frozenset[str]) -> Iterator[tuple[int, list[str]]]:
    """(index, missing characters) of each text that has any; all the text is tested at once first, since nearly
    always none has."""
    if not _missing("".join(texts), covered):
        return
    for i, text in enumerate(texts):
        chars = _missing(text, covered)
        if chars:
            yield i, chars


def _describe(chars: list[str]) -> str:
    return ", ".join(f"'{c}' U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars)


def _strings(value: object) -> Iterator[str]:
    """Every text inside a CSL value: a title, each author's family and given names, a date's literal."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _scheme_texts(guideline: Guideline) -> list[str]:
    """The words of a guideline's own grading scheme (the built-in ones are tested with the theme)."""
    scheme = guideline.scheme
    levels: list[Level] = [*scheme.strength, *scheme.direction, *scheme.certainty, *scheme.justification]
    tables = [scheme.name, scheme.strength_label, scheme.certainty_label, scheme.methodology]
    tables += [table for level in levels for table in (level.label, level.wording, level.description)]
    tables += [statement.text for statement in scheme.statements]
    tables += [criterion.label for criterion in scheme.etd] + [j.label for c in scheme.etd for j in c.scale]
    return [text for table in tables for text in table.values()] + [level.symbol for level in levels]


def _plain_texts(guideline: Guideline) -> list[tuple[str, Position]]:
    """Printed text that is not a message: names, reference fields, a guideline's own scheme's words."""
    texts = [(member.name, member.where("name")) for member in guideline.meta.committee]
    for ref in guideline.references:
        texts += [(text, ref.where(key)) for key, value in ref.data.items() if key != "id" for text in _strings(value)]
    if guideline.meta.grading not in BUILTIN:
        texts += [(text, guideline.meta.where("grading")) for text in _scheme_texts(guideline)]
    return texts


def font_coverage(guideline: Guideline) -> Iterator[Problem]:
    fonts = theme_dir(guideline.theme) / "fonts"
    covered, broken = read_fonts(fonts)
    for path, why in broken:
        message = f"the theme's font cannot be read ({printable(why)}): its characters count as missing"
        yield warning("T112", message, Position(shown_path(path)))
    if not covered:
        return
    unit_list = units(guideline)
    for i, chars in _lacking([unit.text for unit in unit_list], covered):
        yield warning("T112", f"the theme's fonts lack {_describe(chars)}", unit_list[i].position)
    plain = _plain_texts(guideline)
    for i, chars in _lacking([text for text, _ in plain], covered):
        yield warning("T112", f"the theme's fonts lack {_describe(chars)}", plain[i][1])
    catalogs = [(lang, po_path(guideline, lang)) for lang in target_languages(guideline)]
    for lang in dict.fromkeys(catalog_language(guideline, lang) for lang in guideline.meta.languages):
        catalogs.append((lang, override_po(guideline, lang)))  # the guideline's own labels
    for lang, path in catalogs:
        catalog, problems = checked_catalog(path, shown_path(path), lang)
        if catalog is None or problems:
            continue  # the translation checks report unreadable catalogs
        if not _missing(catalog.characters, covered):
            continue  # nearly always: then no message need be looked at
        translated = [message for message in catalog if message.id and message.string]
        texts = [m.string if isinstance(m.string, str) else " ".join(m.string or ()) for m in translated]
        for i, chars in _lacking(texts, covered):
            where = Position(shown_path(path), translated[i].lineno or 0, 1)
            yield warning("T112", f"{lang}: the theme's fonts lack {_describe(chars)}", where)


CHECKS = [font_coverage]
