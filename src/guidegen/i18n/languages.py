"""Language profiles: a BCP 47 tag -> everything guidegen needs to render that language.

The profiles are data (``guidegen/data/languages.yaml``); this module reads
them and answers through one helper, ``profile()``, so no other module keeps
its own table of decimal commas, plural counts or CSL locales.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from babel import Locale


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
    fallback: tuple[str, ...]

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
        language = Language(
            tag=tag,
            aliases=tuple(entry.get("aliases", ())),
            locale=entry["locale"],
            csl=entry["csl"],
            script=entry["script"],
            decimal=entry["decimal"],
            nplurals=int(entry["nplurals"]),
            quotes=(entry["quotes"][0], entry["quotes"][1]),
            fallback=tuple(entry.get("fallback", ())),
        )
        for name in (tag, *language.aliases):
            found[name.lower()] = language
    return found


def profile(tag: str) -> Language | None:
    """The profile for ``tag`` (``uz``, ``uz-Latn``, ``ru``…), or None if guidegen cannot render it."""
    return profiles().get(tag.replace("_", "-").lower())


def known_tags() -> list[str]:
    """The tags of every profile, each with its aliases, for messages: ``uz (uz-Latn), ru (ru-RU), …``."""
    seen = dict.fromkeys(profiles().values())
    return [f"{p.tag} ({', '.join(p.aliases)})" if p.aliases else p.tag for p in seen]
