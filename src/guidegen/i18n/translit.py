"""Uzbek Latin text (1995 alphabet) -> Uzbek Cyrillic text, markdown and citations left intact (issue 18).

The rules are those of the 1995 spelling rules ("Oʻzbek tilining asosiy imlo
qoidalari"): oʻ gʻ sh ch -> ў ғ ш ч; ng stays н+г; the tutuq ʼ -> ъ, but sʼh -> сҳ (Isʼhoq -> Исҳоқ, rule 17);
e -> э at the start of a word and after a vowel, else е; yo yu ya ye -> ё ю я е, but y before oʻ is й
(yoʻl -> йўл). What no rule decides (ц written s or ts, a lost ь or ъ, й+vowel in rayon -> район, э after a
consonant in mer -> мэр) comes from the reviewed file ``guidegen/data/uz-cyrl-exceptions.yaml``;
``unresolved()`` names the words that may need an entry there, for ``guidegen check``: those matching
``DOUBTS`` and the guesses below (a word kept for its foreign letters, a word in capitals transliterated for
its sh or ch, or kept though six letters long or more).

Decisions where the spelling rules are silent or open:
* Apostrophes: after o or g, U+02BB and the look-alikes ' ‘ ’ ` make oʻ/gʻ; at the end of a word only after g
  (not ng), since a final ’ after o closes a quotation. Between other letters any of them is the tutuq, and so
  is U+02BC everywhere.
* Units are Uzbek words and are transliterated (mg/kg -> мг/кг, mm sim. ust. -> мм сим. уст.), as Uzbek
  Cyrillic medical text writes them. Digits are never changed, but the hyphen the 1995 rules put after a year
  or day numeral is dropped, as Cyrillic writes dates: 2019-yil 5-martda -> 2019 йил
  5 мартда; other ordinals keep it (8-haftada -> 8-ҳафтада).
* Capitals: a word of two or more capitals is a Latin abbreviation and is kept (MADRS, SSRI), unless it is an
  Uzbek abbreviation of the data file (AQSh -> АҚШ), a word the data file lists, a word with sh, ch or oʻ/gʻ
  (SHAHAR, OʻZBEK), or one of three or more capitalised words in a row (a heading set in capitals). An
  abbreviation keeps its letters and its Uzbek suffix is transliterated (ECTga -> ECTга); so do the capitalised
  parts of a compound with one (HAM-D, KARMA-Dep). A single letter is a symbol (P, d) unless the data file
  lists it as a word (u -> у). A word with a letter the Uzbek alphabet lacks (c, w, é) is kept.
* Never touched: citation keys (``guidegen.cite``), URLs, DOIs, e-mail addresses, inline code, link targets,
  HTML tags and entities, %(name)s and {name} placeholders, and the data file's ``keep`` names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from ..cite import KEY

OKINA, TUTUQ = "\u02bb", "\u02bc"  # the letters of oʻ/gʻ and of the tutuq belgisi
LOOKALIKES = "'‘’`"
LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"  # Latin letters; those outside ASCII mark a foreign word
APOSTROPHE = rf"[{LOOKALIKES}](?=[{LETTER}])|(?<![nN][gG])(?<=[gG])[{LOOKALIKES}]"  # inside a word, or final gʻ
WORD = re.compile(rf"[{LETTER}](?:[{LETTER}{OKINA}{TUTUQ}]|{APOSTROPHE})*")
CAPITALS = rf"[A-Z][A-Z{OKINA}{TUTUQ}{LOOKALIKES}]+"
CAPS_RUN = re.compile(rf"{CAPITALS}(?:[\s—–-]+{CAPITALS}){{2,}}")
COMPOUND = re.compile(rf"[\w{OKINA}{TUTUQ}]+(?:-[\w{OKINA}{TUTUQ}]+)+")
FOREIGN = re.compile(r"[cC](?![hH])|[wW]|[^\x00-\x7f\u02bb\u02bc]")  # letters the Uzbek alphabet lacks
CODE = re.compile(r"(?P<head>[A-Za-z]*[A-Z])(?P<tail>[a-z]*)")  # an abbreviation, maybe with an Uzbek suffix

PROTECTED = [
    r"(?<![\w'‘’ʻʼ])`[^`\n]+`",  # inline code; a backtick after a letter is an apostrophe (o`zbek)
    r"<!--.*?-->",  # HTML comments, tags and entities
    r"</?[A-Za-z][^<>]*>",
    r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);",
    r"\]\([^)]*\)",  # link targets, reference links, footnotes
    r"\]\[[^\]]*\]",
    r"\[\^[^\]]+\]",
    r"(?:https?|ftp)://[^\s<>\]]+",  # URLs
    r"\bwww\.[^\s<>\]]+",
    r"\b(?:doi:\s*)?10\.\d{4,9}/[^\s<>\]]+",  # DOIs
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses, before KEY: their @ follows a letter
    KEY.pattern,  # citation keys, bracketed or not
    r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]",  # the label catalogs' %(name)s; not %d: "5%da"
    r"\{[^{}\n]*\}",  # brace placeholders and attributes
]

PLAIN = dict(zip("abdfghijklmnopqrstuvxz", "абдфгҳижклмнопқрстувхз", strict=True))
Y_VOWEL = {"o": "ё", "u": "ю", "a": "я", "e": "е"}
VOWELS = set("aeiou")


@dataclass(frozen=True)
class Exceptions:
    """The reviewed data file (its header says how to add to it)."""

    words: dict[str, str]  # whole words
    stems: dict[str, str]  # stems, maybe followed by suffixes
    patterns: dict[str, str]  # letter groups decided wherever they occur, longest first
    abbreviations: dict[str, str]  # Uzbek abbreviations in capitals, longest first
    keep: tuple[str, ...]  # names and phrases left in Latin
    suffixes: tuple[str, ...]  # the beginnings of Uzbek suffixes, where a stem may end
    date_words: tuple[str, ...]  # yil and the months: no hyphen after their numeral in Cyrillic

    def suffix_follows(self, rest: str) -> bool:
        """True if ``rest`` is empty or starts with an Uzbek suffix, so that a stem may end where it starts."""
        return not rest or rest.lower().startswith(self.suffixes)

    def lookup(self, word: str) -> tuple[str, str] | None:
        """(Latin, Cyrillic) of the entry deciding the start of ``word`` (lower case): the word, else the longest
        stem followed by a suffix."""
        if word in self.words:
            return word, self.words[word]
        for end in range(len(word), 1, -1):
            if word[:end] in self.stems and self.suffix_follows(word[end:]):
                return word[:end], self.stems[word[:end]]
        return None

    @property
    def protected(self) -> re.Pattern[str]:
        return _protected(self.keep)


@cache
def _protected(keep: tuple[str, ...]) -> re.Pattern[str]:
    names = [rf"(?i:(?<![\w{OKINA}{TUTUQ}]){re.escape(name)}(?![\w{OKINA}{TUTUQ}]))" for name in keep]
    return re.compile("|".join(PROTECTED + names), re.S)


def _longest_first(entries: dict[str, str] | None) -> dict[str, str]:
    return dict(sorted((entries or {}).items(), key=lambda entry: -len(entry[0])))


@cache
def exceptions() -> Exceptions:
    """The exceptions file shipped with guidegen, read once."""
    text = (resources.files("guidegen") / "data" / "uz-cyrl-exceptions.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return Exceptions(
        words={_canonical(k).lower(): v for k, v in (data.get("words") or {}).items()},
        stems={_canonical(k).lower(): v for k, v in (data.get("stems") or {}).items()},
        patterns=_longest_first(data.get("patterns")),
        abbreviations=_longest_first(data.get("abbreviations")),
        keep=tuple(data.get("keep") or ()),
        suffixes=tuple(data.get("suffixes") or ()),
        date_words=tuple(data.get("date_words") or ()),
    )


def _canonical(word: str) -> str:
    """The word with U+02BB after o/g and U+02BC for every other apostrophe."""
    chars = list(word)
    for i, char in enumerate(chars):
        if char in LOOKALIKES or char == OKINA:
            chars[i] = OKINA if i and chars[i - 1] in "oOgG" else TUTUQ
    return "".join(chars)


def _cased(cyrillic: str, latin: str, caps: bool) -> str:
    if caps:
        return cyrillic.upper()
    return cyrillic[:1].upper() + cyrillic[1:] if latin[:1].isupper() else cyrillic


def _rules(word: str, ex: Exceptions, *, start: bool, caps: bool, after: str = "") -> str:
    """Letter by letter; ``after`` is the Latin letter before ``word`` when it continues a listed stem."""
    low, out, i = word.lower(), [], 0
    vowel_before = after in VOWELS
    while i < len(low):
        unit = low[i]
        pattern = next((p for p in ex.patterns if low.startswith(p, i)), None)
        if pattern:
            unit, cyrillic = pattern, ex.patterns[pattern]
        elif low[i : i + 2] in ("o" + OKINA, "g" + OKINA):
            unit, cyrillic = low[i : i + 2], "ў" if unit == "o" else "ғ"
        elif unit == TUTUQ:  # it keeps s and h apart with no sign of its own: Isʼhoq -> Исҳоқ (rule 17)
            cyrillic = "" if low[i - 1 : i] == "s" and low[i + 1 : i + 2] == "h" else "ъ"
        elif low[i : i + 2] in ("sh", "ch"):
            unit, cyrillic = low[i : i + 2], "ш" if unit == "s" else "ч"
        elif unit == "y" and low[i + 1 : i + 2] in Y_VOWEL and low[i + 2 : i + 3] != OKINA:
            unit, cyrillic = low[i : i + 2], Y_VOWEL[low[i + 1]]
        elif unit == "y":
            cyrillic = "й"
        elif unit == "e":
            cyrillic = "э" if (start and i == 0) or vowel_before else "е"
        else:
            cyrillic = PLAIN.get(unit, word[i])
        out.append(_cased(cyrillic, word[i : i + len(unit)], caps))
        vowel_before = unit[-1] in VOWELS or unit == "o" + OKINA
        i += len(unit)
    return "".join(out)


def _word(word: str, ex: Exceptions, caps: bool = False) -> str:
    """One Uzbek word (canonical apostrophes): a listed word or stem, then the rules for what follows it."""
    entry = ex.lookup(word.lower())
    if entry is None:
        return _rules(word, ex, start=True, caps=caps)
    latin, cyrillic = entry
    head = _cased(cyrillic, word, caps or (len(latin) > 1 and word[: len(latin)].isupper()))
    return head + _rules(word[len(latin) :], ex, start=False, caps=caps, after=latin[-1])


def _token(token: str, ex: Exceptions, in_caps_run: bool) -> tuple[str, str]:
    """(Cyrillic, how): how is "listed" or "rules" (transliterated), "kept" (Latin on purpose), or "caps" and
    "foreign" (a guess that ``unresolved`` reports)."""
    word = _canonical(token)
    for abbreviation, cyrillic in ex.abbreviations.items():
        for form in (abbreviation, abbreviation.upper()):
            if word.startswith(form) and (word == form or word[len(form)].islower()):
                return cyrillic + _rules(word[len(form) :], ex, start=False, caps=False), "listed"
    if len(word) == 1:
        return (_word(word, ex), "listed") if word.lower() in ex.words else (token, "kept")
    if word.isupper():
        if in_caps_run or ex.lookup(word.lower()):
            return _word(word, ex, caps=True), "listed"
        if OKINA in word or "SH" in word or "CH" in word:
            return _word(word, ex, caps=True), "caps"
        # A long word in capitals may be Uzbek set in capitals (NAMUNAVIY) rather than a name (CANMAT): ask.
        return token, "caps" if len(word) > 5 else "kept"
    code = CODE.fullmatch(word)
    if code and (sum(c.isupper() for c in code["head"]) > 1 or re.search("[a-z][A-Z]", code["head"])):
        if ex.suffix_follows(code["tail"]):
            return code["head"] + _rules(code["tail"], ex, start=False, caps=False), "kept"
        return token, "caps"  # no suffix where the capitals end: an Uzbek abbreviation with a digraph (AQShda)?
    if ex.lookup(word.lower()):
        return _word(word, ex), "listed"
    return (token, "foreign") if FOREIGN.search(word) else (_word(word, ex), "rules")


def _words(text: str, ex: Exceptions) -> Iterator[tuple[re.Match[str], str, str]]:
    """Each word outside protected spans, with its Cyrillic and how it was decided (see ``_token``)."""
    protected = [m.span() for m in ex.protected.finditer(text)]
    caps_runs = [m.span() for m in CAPS_RUN.finditer(text)]

    def inside(spans: list[tuple[int, int]], offset: int) -> bool:
        return any(start <= offset < end for start, end in spans)

    kept: set[int] = set()  # the capitalised parts of a compound that holds an abbreviation
    for compound in COMPOUND.finditer(text):
        parts = list(WORD.finditer(compound.group()))
        if not inside(caps_runs, compound.start()) and any(len(p[0]) > 1 and p[0].isupper() for p in parts):
            kept.update(compound.start() + p.start() for p in parts if p[0][:1].isupper())
    for match in WORD.finditer(text):
        if inside(protected, match.start()):
            continue
        if match.start() in kept:
            yield match, match.group(), "kept"
        else:
            yield match, *_token(match.group(), ex, inside(caps_runs, match.start()))


def _after_date_numeral(text: str, match: re.Match[str], ex: Exceptions) -> bool:
    """True for yil or a month joined to a numeral by a hyphen: 2019-yil, 5-martda."""
    before = text[max(match.start() - 2, 0) : match.start()]
    if len(before) < 2 or not before[0].isdigit() or before[1] != "-":
        return False
    word = match.group().lower()
    return any(word.startswith(w) and ex.suffix_follows(word[len(w) :]) for w in ex.date_words)


def to_cyrillic(text: str) -> str:
    """Uzbek Latin text, which may hold markdown, citations and placeholders, in Uzbek Cyrillic."""
    ex = exceptions()
    out, last = [], 0
    for match, cyrillic, _ in _words(text, ex):
        start = match.start()
        if _after_date_numeral(text, match, ex):
            out += [text[last : start - 1], " "]
        else:
            out.append(text[last:start])
        out.append(cyrillic)
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def unresolved(text: str) -> list[tuple[int, str]]:
    """(offset, word) of each Latin word the rules may transliterate wrongly and the data file does not list."""
    ex = exceptions()
    return [
        (match.start(), match.group())
        for match, _, how in _words(text, ex)
        if how in ("caps", "foreign") or (how == "rules" and _doubtful(_canonical(match.group()).lower(), ex))
    ]


# What makes a word doubtful; each can only be settled by a dictionary.
DOUBTS = [
    re.compile(r"ts(?!a|in|iz|imon)"),  # ц, unless t + a native suffix in s: ketsa, ketsin, sifatsiz
    re.compile(r"[kn]si(?=[aeiouy])"),  # ц or с: funksiya -> функция but pensiya -> пенсия, gipoksiya -> гипоксия
    re.compile(r"(?<=[b-df-hj-np-tv-xz])y[eou]"),  # ъ or ь lost before it: obyekt -> объект, kompyuter -> компьютер
    re.compile(r"gh|ph|th|ou"),  # not Uzbek: a foreign name spelt as in its own language (Murrough)
    re.compile("ie"),  # иэ by the rules, but 1995 spelling writes iye: ierarxiya for iyerarxiya -> иерархия
    re.compile(f"[og]{TUTUQ}"),  # oʼ/gʼ typed with the tutuq where oʻ/gʻ was meant
]


def _doubtful(word: str, ex: Exceptions) -> bool:
    masked = word
    for pattern in ex.patterns:  # what a reviewed pattern decides is not in doubt
        masked = masked.replace(pattern, "_" * len(pattern))
    return any(doubt.search(masked) for doubt in DOUBTS)
