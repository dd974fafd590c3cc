"""Localizing: (guideline, language, catalog) -> a new, translated guideline.

Never a silent fallback (docs/format.md, README: for translators): a message with no translation, or only
a fuzzy one, keeps its source text and is listed in ``fallback_units``, so the
renderer marks it in a draft and the build refuses it in consultation/final.
The guideline given is not changed; a new one is built with
``dataclasses.replace``.

A derived language (uz-Cyrl) is localized with its source language's catalog
(uz), and every translated text is then transliterated; source-language
fallbacks are left as they are, still marked.
"""

from __future__ import annotations

import dataclasses
import typing
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from babel.messages.catalog import Catalog

from ..model import Guideline, Metadata, Node
from .languages import profile
from .messages import Unit, join_paragraphs, units


@dataclass(frozen=True)
class Localized:
    guideline: Guideline
    language: str
    fallback_units: tuple[Unit, ...]  # every message shown in the source language


def localize(guideline: Guideline, language: str, catalog: Catalog | None) -> Localized:
    """``catalog`` is ``language``'s own, or a derived language's source's (``catalogs.catalog_language``)."""
    if language == guideline.meta.source_language:
        return Localized(guideline, language, ())
    found, source = profile(language), profile(guideline.meta.source_language)
    derived = found.derived if found is not None else None
    # uz-Cyrl of a guideline written in uz: the source text itself is what is transliterated
    from_source = derived is not None and source is not None and source.tag == derived.source
    fallbacks: list[Unit] = []
    # new text per node and field: {id(node): {field: {index: [paragraphs]}}}
    texts: dict[int, dict[str, dict[int | None, list[str]]]] = defaultdict(lambda: defaultdict(dict))

    def translation(unit: Unit) -> str | None:
        if from_source:
            return unit.text
        message = catalog.get(unit.text, context=unit.context) if catalog is not None else None
        return None if message is None or not message.string or message.fuzzy else str(message.string)

    for unit in units(guideline):
        translated = translation(unit)
        if translated is None:
            fallbacks.append(unit)
            text = unit.text
        else:
            text = derived.convert(translated) if derived is not None else translated
        texts[id(unit.node)][unit.field].setdefault(unit.index, []).append(text)

    def rebuild(value: Any) -> Any:
        if isinstance(value, Node):
            return _node(value)
        if isinstance(value, tuple):
            return tuple(rebuild(v) for v in value)
        return value

    def _node(node: Node) -> Node:
        changes: dict[str, Any] = {}
        own = texts.get(id(node), {})
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if f.name in own:
                parts = own[f.name]
                if isinstance(value, str):
                    changes[f.name] = join_paragraphs(parts[None]) if f.metadata.get("markdown") else parts[None][0]
                else:
                    changes[f.name] = tuple(
                        join_paragraphs(parts[i]) if i in parts else item for i, item in enumerate(value)
                    )
            elif isinstance(value, (Node, tuple)) and f.metadata.get("source") is not False:
                changes[f.name] = rebuild(value)
        return dataclasses.replace(node, **changes)

    result = dataclasses.replace(
        guideline,
        meta=typing.cast(Metadata, _node(guideline.meta)),
        sections=rebuild(guideline.sections),
        profiles=rebuild(guideline.profiles),
        consultation=rebuild(guideline.consultation) if guideline.consultation is not None else None,
    )
    return Localized(result, language, tuple(fallbacks))
