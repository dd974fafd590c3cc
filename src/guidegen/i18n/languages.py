"""Language profiles: a BCP 47 tag -> everything guidegen needs to render that language.

The profiles are data (``guidegen/data/languages.yaml``); this module reads
them and answers through one helper, ``profile()``, so no other module keeps
its own table of decimal commas, plural counts or CSL locales.  A derived
language (uz-Cyrl) has no catalogs: it is made from another's by a
transliteration named in its profile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from babel import Locale

from ..yamlsrc import REORDERING, is_invisible
from . import translit

# The transliterations a derived language may name: (convert a text, the words it may convert wrongly).
TRANSLITERATIONS: dict[str, tuple[Callable[[str], str], Callable[[str], list[tuple[int, str]]]]] = {
    "uz-cyrl": (translit.to_cyrillic, translit.unresolved),  # issue 18
}


@dataclass(frozen=True)
class Derived:
    """A language made at build time from another's catalogs, so that translators keep one catalog (uz-Cyrl)."""

    source: str  # the tag whose catalogs are read: uz
    by: str  # the transliteration, a key of TRANSLITERATIONS: uz-cyrl

    def convert(self, text: str) -> str:
        return TRANSLITERATIONS[self.by][0](text)

    def unresolved(self, text: str) -> list[tuple[int, str]]:
        """(offset, word) of each word the transliteration may get wrong, for a reviewer to settle."""
        return TRANSLITERATIONS[self.by][1](text)


@dataclass(frozen=True)
class Language:
    tag: str
    aliases: tuple[str, ...]
    locale: str
    csl: str
    script: str
    decimal: str
    nplurals: int
    quotes: tuple[str, str]
    date: str
    fallback: tuple[str, ...]
    derived: Derived | None = None  # None: the language has catalogs of its own
    # invisible characters its text may hold (the S017 and T114 checks refuse all others), e.g. U+00AD
    allowed_format_characters: frozenset[str] = frozenset()
    name: str = ""  # in the language itself

    @property
    def decimal_comma(self) -> bool:
        return self.decimal == ","

    def babel_locale(self) -> Locale:
        return Locale.parse(self.locale)


@cache
def profiles() -> dict[str, Language]:
    """Every profile, under its tag and each alias (tags compared case-insensitively)."""
    text = (resources.files("guidegen") / "data" / "languages.yaml").read_text(encoding="utf-8")
    found: dict[str, Language] = {}
    for tag, entry in yaml.safe_load(text).items():
        derived = entry.get("derived")
        if derived is not None and derived["by"] not in TRANSLITERATIONS:
            raise ValueError(f"languages.yaml: {tag} is derived by '{derived['by']}', which guidegen does not have")
        language = Language(
            tag=tag,
            aliases=tuple(entry.get("aliases", ())),
            locale=entry["locale"],
            csl=entry["csl"],
            script=entry["script"],
            decimal=entry["decimal"],
            nplurals=int(entry["nplurals"]),
            quotes=(entry["quotes"][0], entry["quotes"][1]),
            date=entry["date"],
            fallback=tuple(entry.get("fallback", ())),
            derived=Derived(source=derived["from"], by=derived["by"]) if derived is not None else None,
            name=entry.get("name", tag),
            allowed_format_characters=_characters(tag, entry.get("allowed_format_characters", ())),
        )
        for name in (tag, *language.aliases):
            found[name.lower()] = language
    return found


def _characters(tag: str, codes: list[str]) -> frozenset[str]:
    """``[U+00AD, ...]`` as characters; only invisible ones, and never one that reorders text."""
    chars = set()
    for code in codes:
        char = chr(int(code.removeprefix("U+"), 16))
        if not is_invisible(char) or char in REORDERING:
            raise ValueError(f"languages.yaml: {tag} cannot allow {code}: only invisible, non-reordering ones")
        chars.add(char)
    return frozenset(chars)


def profile(tag: str) -> Language | None:
    """The profile for ``tag`` (``uz``, ``uz-Latn``, ``ru``…), or None if guidegen cannot render it."""
    return profiles().get(tag.replace("_", "-").lower())


def known_tags() -> list[str]:
    """The tags of every profile, each with its aliases, for messages: ``uz (uz-Latn), ru (ru-RU), …``."""
    seen = dict.fromkeys(profiles().values())
    return [f"{p.tag} ({', '.join(p.aliases)})" if p.aliases else p.tag for p in seen]
