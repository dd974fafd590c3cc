"""Translation checks (T): every catalog current, complete and faithful to the source.

A translation may change words, never facts: numbers and doses (with the
locale's decimal comma), citations, links and emphasis must survive.  Uzbek
text uses U+02BB for oʻ/gʻ and U+02BC for the tutuq; glossary terms are used.
A derived language (uz-Cyrl) has no catalog to check: the words of its source
catalog that its transliteration cannot settle are named for a reviewer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from ..cite import GROUP, citations
from ..i18n.catalogs import Entries, checked_catalog, catalog_language, po_path, target_languages
from ..i18n.glossary import Glossary, load_glossary
from ..i18n.labels import override_po
from ..i18n.languages import Derived, profile
from ..i18n.messages import Unit, units
from ..load import shown_path
from ..model import Guideline
from ..problems import Position, Problem, Severity, error, warning

# a number, or a decimal written without its leading zero (P = .003)
_NUMBER = re.compile(r"[.,]?\d+(?:[.,\u00a0\u202f\u2009 ]\d+)*")
# o/g followed by anything that looks like an apostrophe but is not U+02BB
_UZ_OKINA = re.compile(r"(?<=[OoGg])['‘’`´ʼ]")
# a letter, an apostrophe-like mark that is not U+02BC, a letter: the tutuq (ta'sir, ma'lumot)
_UZ_TUTUQ = re.compile(r"(?<=[A-Za-zʻ])(?<![OoGg])['’`´‘](?=[a-z])")
_SCHEMES = r"mailto:|file:|data:|javascript:"
_URL = re.compile(rf"(?:[A-Za-z][A-Za-z0-9+.-]*://|{_SCHEMES})[^\s)\]>\"']+")
# what a URL needs before _URL is worth running: most colons are prose ("Note: ...")
_SCHEME = re.compile(rf"://|{_SCHEMES}")
LONG = 40


@cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable(["html_block", "html_inline", "image"])


_DIGIT = re.compile(r"\d")
_GROUPING = str.maketrans("", "", "\u00a0\u202f\u2009 ")


@lru_cache(maxsize=65536)
def numbers(text: str, decimal_comma: bool) -> tuple[str, ...]:
    """Numbers as values, sorted, so that 0.5 (en) and 0,5 (ru) are the same number and 1 500 is 1500."""
    if not _DIGIT.search(text):
        return ()
    if "@" in text:
        text = GROUP.sub(" ", text)
    if ":" in text and _SCHEME.search(text):
        text = _URL.sub(" ", text)  # a link may point at a page in the reader's language
    values = []
    for raw in _NUMBER.findall(text):
        raw = raw.translate(_GROUPING)
        if raw[0] in ".,":
            raw = "0" + raw
        if decimal_comma:
            if "," in raw:
                raw = raw.replace(".", "").replace(",", ".")
        elif "," in raw:
            raw = re.sub(r",(?=\d{3}\b)", "", raw).replace(",", ".")
        values.append(raw.rstrip("0").rstrip(".") if "." in raw else raw)
    return tuple(sorted(values))


@lru_cache(maxsize=65536)
def cited(text: str) -> tuple[str, ...]:
    return tuple(sorted(k for k, _ in citations(text))) if "@" in text else ()


_MARKUP_CHARS = re.compile(r"[*_`\[\]<]|^\s*(?:[-+]|\d+[.)])\s", re.M)


@lru_cache(maxsize=65536)
def markup(text: str) -> tuple[str, ...]:
    """What markdown makes of a text, minus the words: emphasis, links (with targets), lists."""
    out: list[str] = []
    if not _MARKUP_CHARS.search(GROUP.sub(" ", text) if "@" in text else text):
        return ()  # plain prose: nothing for the parser to find (most paragraphs; it is the slow part)
    for token in _md().parse(text):
        for t in [token, *(token.children or [])]:
            if t.type in ("em_open", "strong_open", "bullet_list_open", "ordered_list_open", "list_item_open", "code_inline"):
                out.append(t.type)
            elif t.type == "link_open":
                out.append(f"link {t.attrGet('href')}")
    return tuple(sorted(out))


def _severity(guideline: Guideline) -> Severity:
    """Missing and fuzzy messages: expected while drafting, a blocker for consultation and final."""
    return Severity.WARNING if guideline.meta.status == "draft" else Severity.ERROR


def _where(message_line: int | None, po_shown: str, unit: Unit) -> Position:
    return Position(po_shown, message_line, 1) if message_line else unit.position


def check_language(guideline: Guideline, lang: str, catalog: Entries, po_shown: str, glossary: Glossary) -> Iterator[Problem]:
    severity = _severity(guideline)
    language = profile(lang)
    decimal_comma = language is not None and language.decimal_comma
    seen: set[tuple[str, str]] = set()
    for unit in units(guideline):
        key = (unit.context, unit.text)
        if key in seen:
            continue
        seen.add(key)
        message = catalog.get(unit.text, context=unit.context)
        what = unit.comment.split(" (markdown")[0]
        if message is None or not message.string:
            where = _where(message.lineno if message else None, po_shown, unit)
            yield Problem("T101", severity, f"{lang}: no translation for {what}", where)
            continue
        where = Position(po_shown, message.lineno or 0, 1)
        if message.fuzzy:
            yield Problem("T102", severity, f"{lang}: translation of {what} is fuzzy (the source changed); review it and remove the fuzzy flag", where)
            continue
        yield from compare(unit, str(message.string), lang, decimal_comma, where, glossary)
    for message in catalog.obsolete:
        where = Position(po_shown, message.lineno or 0, 1)
        yield warning("T103", f"{lang}: obsolete entry '{_short(str(message.id))}' (its source text is gone); delete it once no longer useful", where)


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def compare(unit: Unit, target: str, lang: str, decimal_comma: bool, where: Position, glossary: Glossary) -> Iterator[Problem]:
    uzbek_latin = lang.split("_")[0] == "uz" and "Cyrl" not in lang
    source = unit.text
    if cited(source) != cited(target):
        src, dst = Counter(cited(source)), Counter(cited(target))
        diff = sorted((src - dst) + (dst - src))
        yield error("T104", f"{lang}: citations differ from the source ({', '.join('@' + d for d in diff)})", where)
    if numbers(source, False) != numbers(target, decimal_comma):
        src, dst = Counter(numbers(source, False)), Counter(numbers(target, decimal_comma))
        lost = sorted((src - dst).elements())
        added = sorted((dst - src).elements())
        detail = "; ".join(part for part in (f"missing {', '.join(lost)}" if lost else "", f"not in source {', '.join(added)}" if added else "") if part)
        yield error("T105", f"{lang}: numbers differ from the source ({detail})", where)
    if unit.markdown and markup(source) != markup(target):
        yield warning("T106", f"{lang}: markup (emphasis, links, lists) differs from the source", where)
    if uzbek_latin and any(mark in target for mark in "'‘’`´ʼ"):
        for match in _UZ_OKINA.finditer(target):
            word = target[max(0, match.start() - 1) : match.end() + 3]
            yield error("T107", f"uz: '{word}' uses U+{ord(match.group()):04X} for oʻ/gʻ; write U+02BB: '{word[0]}ʻ{word[2:]}'", where)
        for match in _UZ_TUTUQ.finditer(target):
            word = target[max(0, match.start() - 2) : match.end() + 3]
            yield error("T107", f"uz: '{word}' uses U+{ord(match.group()):04X} for the tutuq; write U+02BC (ʼ)", where)
    for term in glossary.missing(source, target, lang):
        yield warning("T108", f"{lang}: glossary term '{term.source}' should be rendered as '{term.targets[lang]}'", where)
    if len(source) >= LONG and source.strip() == target.strip() and re.search(r"[^\W\d_]{4}", source):
        yield warning("T109", f"{lang}: translation is identical to the source", where)


def translations(guideline: Guideline) -> Iterator[Problem]:
    glossary, problems = load_glossary(guideline)
    yield from problems
    for lang in target_languages(guideline):
        if profile(lang) is None:
            continue  # S007 already says guidegen cannot render it
        path = po_path(guideline, lang)
        shown = shown_path(path)
        catalog, problems = checked_catalog(path, shown, lang)
        yield from problems
        if problems:
            continue
        if catalog is None:
            # the first language made from this catalog: itself, or a derived one (uz-Cyrl) when it is not listed
            languages = guideline.meta.languages
            i, named = next((i, n) for i, n in enumerate(languages) if catalog_language(guideline, n) == lang)
            made = "" if named == lang else f" ('{named}' is made from it)"
            message = f"no catalog for '{lang}' at {shown}{made}; run 'make update'"
            yield Problem("T111", _severity(guideline), message, guideline.meta.where(f"languages[{i}]"))
            continue
        yield from check_language(guideline, lang, catalog, shown, glossary)


def label_overrides(guideline: Guideline) -> Iterator[Problem]:
    """The guideline's own label catalogs (translations/<lang>/LC_MESSAGES/guidegen.po) read as strictly as its text's."""
    for lang in dict.fromkeys(catalog_language(guideline, lang) for lang in guideline.meta.languages):
        path = override_po(guideline, lang)
        if path.is_file():
            _, problems = checked_catalog(path, shown_path(path), lang)
            yield from problems


def transliteration(guideline: Guideline) -> Iterator[Problem]:
    """T113: each word of a derived language's source that its transliteration may get wrong (issue 18), where
    it is written, so that a reviewer can settle it in the exceptions file (guidegen/data/uz-cyrl-exceptions.yaml)."""
    derived_from: dict[str, tuple[str, Derived]] = {}  # source catalog -> (derived language, derivation)
    for lang in guideline.meta.languages:
        language = profile(lang)
        if language is not None and language.derived is not None:
            derived_from.setdefault(catalog_language(guideline, lang), (lang, language.derived))
    for source, (lang, derived) in derived_from.items():
        if source == guideline.meta.source_language:  # written in uz: the guideline's own text is transliterated
            for unit in units(guideline):
                for _, word in derived.unresolved(unit.text):
                    yield _unresolved(lang, word, unit.position)
            continue
        for path in (po_path(guideline, source), override_po(guideline, source)):
            yield from _catalog_words(lang, source, derived, path)


def _catalog_words(lang: str, source: str, derived: Derived, path: Path) -> Iterator[Problem]:
    shown = shown_path(path)
    catalog, problems = checked_catalog(path, shown, source)
    if catalog is None or problems:
        return  # T110 and T111 report it
    lines = path.read_text(encoding="utf-8").splitlines()
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue  # a fuzzy translation is not shown: the source text is
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        seen: Counter[str] = Counter()  # occurrences of each word in the message so far, to find the n-th
        for form in forms:
            for _, word in derived.unresolved(form):
                seen[word] += 1
                line, column = _locate(lines, message.lineno or 0, word, seen[word])
                yield _unresolved(lang, word, Position(shown, line, column))


def _unresolved(lang: str, word: str, where: Position) -> Problem:
    message = f"{lang}: '{word}' may be transliterated wrongly; if so, add it to guidegen/data/uz-cyrl-exceptions.yaml"
    return warning("T113", message, where)


def _locate(lines: list[str], msgid_line: int, word: str, nth: int) -> tuple[int, int]:
    """(line, column) of the ``nth`` ``word`` in the msgstr lines of the entry whose msgid is on ``msgid_line``."""
    n = max(msgid_line - 1, 0)
    while n < len(lines) and not lines[n].startswith("msgstr"):
        n += 1
    first = n
    while n < len(lines) and lines[n].startswith(("msgstr", '"')):
        column = -1
        while (column := lines[n].find(word, column + 1)) >= 0:
            nth -= 1
            if nth == 0:
                return n + 1, column + 1
        n += 1
    return (first + 1 if first < len(lines) else msgid_line), 1


CHECKS = [translations, label_overrides, transliteration]
