"""The guideline's translatable text as gettext messages, one per markdown paragraph.

Every translatable field of every node becomes messages keyed by
``msgctxt = <id>:<field>`` (docs/format.md, README: for translators), so moving a block changes nothing
and equal text in two places may be translated differently.  Markdown fields
are split into paragraphs, so editing one paragraph re-opens one message.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from ..model import (
    Abbreviation,
    EvidenceProfile,
    Guideline,
    Member,
    Node,
    Recommendation,
    Section,
    all_nodes,
    markdown_fields,
    parts,
)
from ..problems import Position

_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs(text: str) -> list[tuple[int, str]]:
    """Markdown paragraphs (split at blank lines) with their offsets in ``text``."""
    if text.count("\n") < 2:  # no blank line: one paragraph (a block scalar of one ends in its only line break)
        stripped = text.strip()
        return [(len(text) - len(text.lstrip()), stripped)] if stripped else []
    out = []
    start = 0
    for match in [*_BLANK_LINE.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            out.append((start + (len(chunk) - len(chunk.lstrip())), stripped))
        if match:
            start = match.end()
    return out


def join_paragraphs(parts: list[str]) -> str:
    return "\n\n".join(parts) + ("\n" if len(parts) > 1 else "")


@dataclass(slots=True)
class Unit:
    """One translatable message: where it comes from and what the translator is told.

    Not frozen: a guideline of 1,000 recommendations has 30,000 of them, and a frozen dataclass is made three
    times slower; nothing changes one after it is made.
    """

    context: str
    text: str
    position: Position
    comment: str
    node: Node
    field: str
    index: int | None  # item of a list field (remarks), else None
    markdown: bool


def _label(node: Node, numbers: dict[int, str], guideline_id: str) -> tuple[str, str]:
    """(msgctxt prefix, human description) of a node."""
    if isinstance(node, Recommendation):
        kind = {"good-practice": "Good practice statement", "research": "Research recommendation"}.get(
            node.type, "Recommendation"
        )
        return node.id, f"{kind} {numbers.get(id(node), '')}".strip()
    if isinstance(node, Section):
        return node.id, f"Section {numbers.get(id(node), '')}".strip()
    if isinstance(node, EvidenceProfile):
        return node.id, f"Evidence profile {node.id}"
    if isinstance(node, Abbreviation):
        return f"abbr-{node.term}", f"Abbreviation {node.term}"
    if isinstance(node, Member):
        return f"{guideline_id}:committee", "Committee member"
    return guideline_id, "Guideline"


_UNITS: dict[int, tuple[Guideline, list[Unit]]] = {}
_MARKDOWN: dict[int, tuple[Guideline, list[tuple[str, Position]]]] = {}
T = TypeVar("T")


def once(cache: dict[int, tuple[Guideline, T]], guideline: Guideline, make: Callable[[Guideline], T]) -> T:
    """``make(guideline)``, computed once per loaded guideline (a frozen guideline is too large to hash)."""
    cached = cache.get(id(guideline))
    if cached is None or cached[0] is not guideline:
        if len(cache) > 8:
            cache.clear()
        cached = cache[id(guideline)] = (guideline, make(guideline))
    return cached[1]


def units(guideline: Guideline) -> list[Unit]:
    """Every message of the guideline, in document order (computed once per loaded guideline)."""
    return once(_UNITS, guideline, lambda g: list(_units(g)))


def markdown_texts(guideline: Guideline) -> list[tuple[str, Position]]:
    """Every markdown text of every node with its position, in document order: listed once per loaded guideline
    for the checks that each read them all (citations, nesting)."""
    return once(_MARKDOWN, guideline, lambda g: [(t, at) for n in all_nodes(g) for _, t, at in markdown_fields(n)])


def _units(guideline: Guideline) -> Iterator[Unit]:
    numbers = {id(s): n for n, s in guideline.walk()}
    numbers |= {id(r): n for n, r in guideline.recommendations()}
    gid = guideline.meta.id
    labelled: list[tuple[Node, str, str]] = []  # (node, msgctxt prefix, what the translator is told)
    for node in [guideline.meta, *guideline.meta.committee, *guideline.meta.abbreviations]:
        labelled.append((node, *_label(node, numbers, gid)))
    for _, section in guideline.walk():
        for node in (section, *section.recommendations):
            labelled.append((node, *_label(node, numbers, gid)))
    for profile in guideline.profiles:
        labelled.append((profile, *_label(profile, numbers, gid)))
        labelled += [
            (o, f"{profile.id}:outcomes", f"Evidence profile {profile.id} — outcome") for o in profile.outcomes
        ]
    if guideline.consultation is not None:  # the committee's responses are translated; the comments stay as written
        labelled += [(c, c.id, f"Response to stakeholder comment {c.id}") for c in guideline.consultation.comments]
    for node, prefix, what in labelled:
        yield from _node_units(node, prefix, what)
        for name, part in parts(node):  # <rec>:etd.values.evidence, <guideline>:committee.interests.description
            yield from _node_units(
                part, f"{prefix}.{name}" if ":" in prefix else f"{prefix}:{name}", f"{what} — {name}"
            )


def _translatable(cls: type[Node]) -> tuple[tuple[str, bool], ...]:
    """(name, whether markdown) of each translatable field of a model class: read once, not for every node."""
    return _fields(typing.cast(Hashable, cls))


@cache
def _fields(cls: Any) -> tuple[tuple[str, bool], ...]:
    fields = (f for f in dataclasses.fields(cls) if f.metadata.get("translatable"))
    return tuple((f.name, bool(f.metadata.get("markdown"))) for f in fields)


def _node_units(node: Node, prefix: str, what: str) -> Iterator[Unit]:
    for name, markdown in _translatable(type(node)):
        value = getattr(node, name)
        # a list field holds texts (remarks) or blocks of their own (declarations), which parts() yields
        items: list[tuple[int | None, str]] = (
            [(None, value)] if isinstance(value, str) else [(i, v) for i, v in enumerate(value) if isinstance(v, str)]
        )
        context = f"{prefix}.{name}" if ":" in prefix else f"{prefix}:{name}"
        for index, text in items:
            if not text:
                continue
            where = node.where(name if index is None else f"{name}[{index}]")
            label = f"{what} — {name}" + ("" if index is None else f" {index + 1}")
            parts = paragraphs(text) if markdown else [(0, text.strip())]
            for n, (offset, para) in enumerate(parts, 1):
                comment = label if len(parts) == 1 else f"{label}, paragraph {n} of {len(parts)}"
                if markdown:
                    comment += " (markdown: keep [@citations], *emphasis* and links)"
                yield Unit(context, para, where.within(text, offset), comment, node, name, index, markdown)
