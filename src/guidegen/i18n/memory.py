"""Translation memory: approved translations elsewhere in a library -> fuzzy suggestions for new messages.

Translators should not translate the same standard sentence a hundred times.
When ``guidegen update`` meets a message with no translation, it looks for the
same source text (then a close one, by RapidFuzz's similarity ratio) among the
approved translations of the library's other guidelines.  A suggestion goes in
as *fuzzy*, with a translator comment naming where it came from: never as
translated, so a person approves every one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from babel.messages.catalog import Catalog
from rapidfuzz import fuzz, process

from ..model import Guideline
from .catalogs import po_path, read_catalog
from .messages import units

MARK = "Translation memory:"  # the translator comment every suggestion carries; stats counts them
THRESHOLD = 85.0  # similarity (0-100) below which a close match is no help to a translator


@dataclass
class Memory:
    """Approved translations of one language: source text -> (translation, guideline id, message context)."""

    lang: str
    entries: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def add(self, guideline: Guideline, catalog: Catalog) -> None:
        for unit in units(guideline):
            message = catalog.get(unit.text, context=unit.context)
            if message is not None and message.string and not message.fuzzy and unit.text not in self.entries:
                self.entries[unit.text] = (str(message.string), guideline.meta.id, unit.context)

    def suggest(self, text: str) -> tuple[str, str, str, float] | None:
        """(translation, guideline id, context, similarity) for ``text``: the exact match, else the closest above
        THRESHOLD."""
        exact = self.entries.get(text)
        if exact is not None:
            return (*exact, 100.0)
        if not self.entries:
            return None
        found = process.extractOne(text, self.entries.keys(), scorer=fuzz.ratio, score_cutoff=THRESHOLD)
        if found is None:
            return None
        source, score, _ = found
        return (*self.entries[source], float(score))


def library_memory(guidelines: list[Guideline], lang: str, leave_out: Guideline) -> Memory:
    """The approved ``lang`` translations of every guideline of the library but ``leave_out``."""
    memory = Memory(lang)
    for guideline in guidelines:
        if guideline.root.resolve() == leave_out.root.resolve() or lang not in guideline.meta.languages:
            continue
        path = po_path(guideline, lang)
        catalog, problems = read_catalog(path, str(path), lang)
        if catalog is not None and not problems:
            memory.add(guideline, catalog)
    return memory


def prefill(catalog: Catalog, memory: Memory) -> int:
    """Fill each message that has no translation with the memory's suggestion, as fuzzy; return how many."""
    filled = 0
    for message in catalog:
        if not message.id or message.string:
            continue
        found = memory.suggest(str(message.id))
        if found is None:
            continue
        translation, origin, context, score = found
        message.string = translation
        message.flags.add("fuzzy")
        how = "same text" if score >= 100.0 else f"{score:.0f}% similar"
        message.user_comments = [*message.user_comments, f"{MARK} {origin}, {context} ({how}); check before approving"]
        filled += 1
    return filled
