"""Character checks: the files of a guideline -> what a reader could not see, and names nobody can print.

A bidirectional control (U+202E around "0,5" prints "5,0") or an invisible
format character (U+200B inside a word) makes the text a reader sees differ
from the text the checks compare; each is an error at its position in the
YAML (S017) and in every catalog's msgstr (T114), unless the language's
profile allows it (``allowed_format_characters`` in data/languages.yaml).
A file name that is not UTF-8 (S019) cannot be printed, zipped or shared: it
is named, escaped, and never read (issue 17).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..grading import BUILTIN
from ..i18n.catalogs import catalog_dir, catalog_language, checked_catalog, po_path, target_languages
from ..i18n.labels import override_po
from ..i18n.languages import profile
from ..load import shown_path
from ..model import Guideline
from ..problems import Position, Problem, error, warning
from ..yamlsrc import REORDERING, invisible, printable, read_text

# YAML's double-quoted escapes that can write any character (\u202e), besides the character itself
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")
# Past this many in one file the rest are counted, not listed: one pasted web page can hold thousands.
LISTED = 20


def _allowed(lang: str) -> frozenset[str]:
    language = profile(lang)
    return language.allowed_format_characters if language else frozenset()


def describe(char: str) -> str:
    name = unicodedata.name(char, "")
    if char in REORDERING or char in "\u061c\u200e\u200f":
        return f"U+{ord(char):04X} {name}, a bidirectional control: it reorders what the reader sees"
    if not name:
        return f"U+{ord(char):04X}, a control character"
    return f"U+{ord(char):04X} {name}, an invisible character"


def _position(shown: str, text: str, offset: int) -> Position:
    line_start = text.rfind("\n", 0, offset) + 1
    return Position(shown, text.count("\n", 0, offset) + 1, offset - line_start + 1)


def _hits(text: str, allowed: frozenset[str]) -> Iterator[tuple[int, str]]:
    """(offset, character) of each refused character, written as itself or as a YAML escape."""
    refused = invisible(allowed)
    yield from refused.find(text)
    if "\\" not in text:
        return
    for match in _ESCAPE.finditer(text):
        code = int(next(group for group in match.groups() if group), 16)
        if code > 0x10FFFF or chr(code) not in refused:
            continue
        before = match.start()
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (match.start() - before) % 2 == 0:  # "\\u202e" is a backslash and the text u202e
            yield match.start(), chr(code)


def _report(code: str, prefix: str, hits: list[tuple[Position, str]], shown: str) -> Iterator[Problem]:
    for where, char in hits[:LISTED]:
        yield error(code, f"{prefix}{describe(char)}; delete it", where)
    if len(hits) > LISTED:
        more = f"{prefix}{len(hits) - LISTED} more invisible characters in this file, not listed"
        yield error(code, more, Position(shown))


def source_characters(guideline: Guideline) -> Iterator[Problem]:
    """S017: every YAML file of the guideline, comments and keys included (a comment can hide a reordering too)."""
    allowed = _allowed(guideline.meta.source_language)
    files = list(guideline.files)
    if guideline.meta.grading not in BUILTIN:
        files.append(guideline.root / guideline.meta.grading)
    for path in dict.fromkeys(files):
        shown = shown_path(path)
        text, _ = read_text(path, shown)
        if text is None:
            continue  # the loader reported it
        hits = sorted((offset, char) for offset, char in _hits(text, allowed))
        yield from _report("S017", "", [(_position(shown, text, offset), char) for offset, char in hits], shown)


def _msgstr_hits(text: str, shown: str, allowed: frozenset[str]) -> list[tuple[Position, str]]:
    """Refused characters in the msgstr lines of a .po file (msgids come from the YAML, checked there)."""
    refused = invisible(allowed)
    hits = []
    in_msgstr = False
    for n, line in enumerate(text.split("\n"), 1):
        if line.startswith("msgstr"):
            in_msgstr = True
        elif not line.startswith('"'):
            in_msgstr = False
        if in_msgstr:
            hits += [(Position(shown, n, offset + 1), char) for offset, char in refused.find(line)]
    return hits


def catalog_characters(guideline: Guideline) -> Iterator[Problem]:
    """T114: the translations and label overrides of every language with a catalog."""
    catalogs = [(lang, po_path(guideline, lang)) for lang in target_languages(guideline)]
    for lang in dict.fromkeys(catalog_language(guideline, lang) for lang in guideline.meta.languages):
        catalogs.append((lang, override_po(guideline, lang)))
    for lang, path in catalogs:
        shown = shown_path(path)
        catalog, problems = checked_catalog(path, shown, lang)  # parsed once for all the checks
        if catalog is None or problems:
            continue  # missing or unreadable: T110 and T111 say so
        allowed = _allowed(lang)
        if not invisible(allowed).search(catalog.characters):
            continue  # nearly always: the file need not be read again for positions
        text = path.read_text(encoding="utf-8")
        yield from _report("T114", f"{lang}: ", _msgstr_hits(text, shown, allowed), shown)


def _undecodable(folder: Path) -> Iterator[tuple[Path, list[str]]]:
    """(folder, names in it that are not UTF-8), below ``folder``; hidden folders (.git) are not entered."""
    for top, dirs, files in os.walk(folder):
        bad = []
        for name in [*dirs, *files]:
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:
                bad.append(name)
        dirs[:] = [d for d in dirs if d not in bad and not d.startswith(".")]
        if bad:
            yield Path(top), bad


def file_names(guideline: Guideline) -> Iterator[Problem]:
    """S019: a name the file system holds in another encoding, e.g. a Windows 'протокол.docx' in Windows-1251."""
    walked: list[Path] = []
    for folder in sorted({guideline.root.resolve(), catalog_dir(guideline)}, key=lambda p: len(p.parts)):
        if any(folder.is_relative_to(done) for done in walked):
            continue  # translations inside the guideline folder, or the guideline inside translations: ..
        walked.append(folder)
        for top, names in _undecodable(folder):
            listed = ", ".join(f"'{printable(name)}'" for name in sorted(names))
            message = f"file names that are not UTF-8, which guidegen never reads: {listed}; rename them"
            yield warning("S019", message, Position(printable(shown_path(top))))


CHECKS = [source_characters, catalog_characters, file_names]
