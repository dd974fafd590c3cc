"""Translation checks (T): every catalog current, complete and faithful to the source.

A translation may change words, never facts: numbers and doses (with the
locale's decimal comma), citations, links and emphasis must survive.  Uzbek
text uses U+02BB for oʻ/gʻ and U+02BC for the tutuq; glossary terms are used.
A derived language (uz-Cyrl) has no catalog to check: the words of its source
catalog that its transliteration cannot settle are named for a reviewer.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from ..cite import GROUP, citations
from ..i18n.catalogs import (
    Entries,
    catalog_language,
    checked_catalog,
    po_path,
    target_languages,
)
from ..i18n.glossary import Glossary, load_glossary
from ..i18n.labels import override_po
from ..i18n.languages import Derived, profile
from ..i18n.messages import Unit, units
from ..kept import code_stamp, keep, kept
from ..load import shown_path
from ..model import Guideline
from ..problems import Position, Problem, Severity, warning

# a number, or a decimal written without its leading zero (P = .003): what [.,]?\d+(?:[.,\u00a0\u202f\u2009 ]\d+)*
# finds, written to open with one class, which lets re skip through prose to the next candidate character
_NUMBER = re.compile(r"[.,\d](?:(?<=\d)|(?=\d))\d*(?:[.,\u00a0\u202f\u2009 ]\d+)*")
# o/g followed by anything that looks like an apostrophe but is not U+02BB
_UZ_OKINA = re.compile(r"(?<=[OoGg])['‘’`´ʼ]")
# a letter, an apostrophe-like mark that is not U+02BC, a letter: the tutuq (ta'sir, ma'lumot)
_UZ_TUTUQ = re.compile(r"(?<=[A-Za-zʻ])(?<![OoGg])['’`´‘](?=[a-z])")
_APOSTROPHE_LIKE = re.compile("['‘’`´ʼ]")
ERROR, WARNING = Severity.ERROR, Severity.WARNING
_SCHEMES = r"mailto:|file:|data:|javascript:"
_URL = re.compile(rf"(?:[A-Za-z][A-Za-z0-9+.-]*://|{_SCHEMES})[^\s)\]>\"']+")
# what a URL needs before _URL is worth running: most colons are prose ("Note: ...")
_SCHEME = re.compile(rf"://|{_SCHEMES}")
LONG = 40


@cache
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable(["html_block", "html_inline", "image"])


_GROUPING = str.maketrans("", "", "\u00a0\u202f\u2009 ")


@lru_cache(maxsize=65536)
def numbers(text: str, decimal_comma: bool) -> tuple[str, ...]:
    """Numbers as values, sorted, so that 0.5 (en) and 0,5 (ru) are the same number and 1 500 is 1500."""
    if "@" in text:
        text = GROUP.sub(" ", text)
    if ":" in text and _SCHEME.search(text):
        text = _URL.sub(" ", text)  # a link may point at a page in the reader's language
    values = []
    for raw in _NUMBER.findall(text):
        if raw.isdecimal():  # digits only (\d is the class Nd, as for isdecimal): already a value
            values.append(raw)
            continue
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


# What markdown needs to make emphasis, code, a link or a list: one of these characters, or a line that starts
# like a list item.  Searched apart: the class alone lets re skip quickly through prose.
_MARKUP_CHARS = re.compile(r"[*_`\[\]<]")
_LIST_ITEM = re.compile(r"^\s*(?:[-+]|\d+[.)])\s", re.M)


def _may_have_markup(text: str) -> bool:
    if _MARKUP_CHARS.search(text):
        return True
    # a line can only start at the beginning of a text without a line break
    return bool(_LIST_ITEM.search(text) if "\n" in text else _LIST_ITEM.match(text))


@lru_cache(maxsize=65536)
def markup(text: str) -> tuple[str, ...]:
    """What markdown makes of a text, minus the words: emphasis, links (with targets), lists."""
    out: list[str] = []
    if not _may_have_markup(GROUP.sub(" ", text) if "@" in text else text):
        return ()  # plain prose: nothing for the parser to find (most paragraphs; it is the slow part)
    for token in _md().parse(text):
        for t in [token, *(token.children or [])]:
            if t.type in (
                "em_open",
                "strong_open",
                "bullet_list_open",
                "ordered_list_open",
                "list_item_open",
                "code_inline",
            ):
                out.append(t.type)
            elif t.type == "link_open":
                out.append(f"link {t.attrGet('href')}")
    return tuple(sorted(out))


def _severity(guideline: Guideline) -> Severity:
    """Missing and fuzzy messages: expected while drafting, a blocker for consultation and final."""
    return Severity.WARNING if guideline.meta.status == "draft" else Severity.ERROR


def _where(message_line: int | None, po_shown: str, unit: Unit) -> Position:
    return Position(po_shown, message_line, 1) if message_line else unit.position


def check_language(
    guideline: Guideline, lang: str, catalog: Entries, po_shown: str, glossary: Glossary
) -> Iterator[Problem]:
    severity = _severity(guideline)
    language = profile(lang)
    decimal_comma = language is not None and language.decimal_comma
    uzbek_latin = lang.split("_")[0] == "uz" and "Cyrl" not in lang
    compared = _Compared(catalog, f"{lang} {decimal_comma} {uzbek_latin}", glossary)
    seen: set[tuple[str, str]] = set()
    for unit in units(guideline):
        key = (unit.context, unit.text)
        if key in seen:
            continue
        seen.add(key)
        index = catalog.index(unit.text, context=unit.context)
        message = None if index is None else catalog.messages[index]
        if index is None or message is None or not message.string:
            where = _where(message.lineno if message else None, po_shown, unit)
            yield Problem("T101", severity, f"{lang}: no translation for {_what(unit)}", where)
            continue
        if message.fuzzy:
            where = Position(po_shown, message.lineno or 0, 1)
            fuzzy = f"{lang}: translation of {_what(unit)} is fuzzy (the source changed)"
            yield Problem("T102", severity, f"{fuzzy}; review it and remove the fuzzy flag", where)
            continue
        found = compared.get(index, unit.markdown)
        if found is None:
            found = compare(unit, str(message.string), lang, decimal_comma, uzbek_latin, glossary)
            compared.add(index, unit.markdown, found)
        if found:  # rarely: the position is made only then
            where = Position(po_shown, message.lineno or 0, 1)
            yield from (Problem(code, level, text, where) for code, level, text in found)
    compared.keep()
    for message in catalog.obsolete:
        where = Position(po_shown, message.lineno or 0, 1)
        obsolete = f"{lang}: obsolete entry '{_short(str(message.id))}' (its source text is gone)"
        yield warning("T103", f"{obsolete}; delete it once no longer useful", where)


class _Compared:
    """What ``compare`` found in each message of a large catalog, kept between runs beside its messages.

    A message's findings depend on its source text (its msgid), its translation, whether it is markdown, the
    language, the glossary and this code, and on nothing else; with all of them in the key, the messages of a
    catalog kept before (``checked_catalog``) are not compared again while the glossary and the code stay as
    they were.  Only the positions of what was found are made, as for a message compared now.
    """

    def __init__(self, catalog: Entries, language: str, glossary: Glossary) -> None:
        self.key = None if catalog.key is None else f"{catalog.key} {language} {_glossary_key(glossary)} {_code()}"
        stored = kept("findings", self.key) if self.key else None
        # two places per message: its findings as plain text and as markdown (the model says which a field is)
        self.found: list[tuple[tuple[str, str, str], ...] | None] = stored or [None] * (2 * len(catalog.messages))
        self.added = False

    def get(self, index: int, markdown: bool) -> list[Finding] | None:
        found = self.found[2 * index + markdown]
        return None if found is None else [(code, Severity(level), text) for code, level, text in found]

    def add(self, index: int, markdown: bool, found: list[Finding]) -> None:
        self.found[2 * index + markdown] = tuple((code, level.value, text) for code, level, text in found)
        self.added = True

    def keep(self) -> None:
        if self.key and self.added:
            keep("findings", self.key, self.found)


def _glossary_key(glossary: Glossary) -> str:
    terms = [(term.source, sorted(term.targets.items())) for term in glossary.terms]
    return hashlib.sha256(repr((glossary.source_language, terms)).encode()).hexdigest()


@cache
def _code() -> str:
    """The code ``compare`` runs: this module, the citation syntax, the glossary's matching, markdown-it."""
    import markdown_it

    from .. import cite
    from ..i18n import glossary

    return f"{code_stamp(__file__, cite.__file__, glossary.__file__)} markdown-it-py {markdown_it.__version__}"


def _what(unit: Unit) -> str:
    return unit.comment.split(" (markdown")[0]


def _short(text: str, n: int = 50) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


Finding = tuple[str, Severity, str]  # code, severity, message: a problem before its position is known


def compare(
    unit: Unit, target: str, lang: str, decimal_comma: bool, uzbek_latin: bool, glossary: Glossary
) -> list[Finding]:
    """What a translation lost or changed; ``uzbek_latin``: the apostrophes of Uzbek in the Latin script are checked."""
    found: list[Finding] = []
    source = unit.text
    if cited(source) != cited(target):
        src, dst = Counter(cited(source)), Counter(cited(target))
        diff = sorted((src - dst) + (dst - src))
        found.append(("T104", ERROR, f"{lang}: citations differ from the source ({', '.join('@' + d for d in diff)})"))
    if numbers(source, False) != numbers(target, decimal_comma):
        src, dst = Counter(numbers(source, False)), Counter(numbers(target, decimal_comma))
        lost = sorted((src - dst).elements())
        added = sorted((dst - src).elements())
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(lost)}" if lost else "",
                f"not in source {', '.join(added)}" if added else "",
            )
            if part
        )
        found.append(("T105", ERROR, f"{lang}: numbers differ from the source ({detail})"))
    if unit.markdown and markup(source) != markup(target):
        found.append(("T106", WARNING, f"{lang}: markup (emphasis, links, lists) differs from the source"))
    if uzbek_latin and _APOSTROPHE_LIKE.search(target):
        for match in _UZ_OKINA.finditer(target):
            word = target[max(0, match.start() - 1) : match.end() + 3]
            mark = f"U+{ord(match.group()):04X}"
            found.append(("T107", ERROR, f"uz: '{word}' uses {mark} for oʻ/gʻ; write U+02BB: '{word[0]}ʻ{word[2:]}'"))
        for match in _UZ_TUTUQ.finditer(target):
            word = target[max(0, match.start() - 2) : match.end() + 3]
            mark = f"U+{ord(match.group()):04X}"
            found.append(("T107", ERROR, f"uz: '{word}' uses {mark} for the tutuq; write U+02BC (ʼ)"))
    for term in glossary.missing(source, target, lang):
        rendered = term.targets[lang]
        found.append(("T108", WARNING, f"{lang}: glossary term '{term.source}' should be rendered as '{rendered}'"))
    if len(source) >= LONG and source.strip() == target.strip() and re.search(r"[^\W\d_]{4}", source):
        found.append(("T109", WARNING, f"{lang}: translation is identical to the source"))
    return found


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
    """The guideline's own label catalogs (translations/<lang>/LC_MESSAGES/guidegen.po) read as strictly as its
    text's."""
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
