"""The glossary (translations/glossary.yaml): terms each language must render one way.

    terms:
      - en: treatment-resistant depression
        ru: "резистентн* депресси*"     # * stands for any word ending (Russian and Uzbek inflect)
        uz: "terapiyaga rezistent depressiya*"
        note: guessed term, review

A term found in a source paragraph must appear in its translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..load import shown_path
from ..model import Guideline
from ..problems import Problem, error
from ..yamlsrc import Mapping, Scalar, Sequence, load

GLOSSARY = "glossary.yaml"


def _pattern(term: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in term.split("*")]
    return re.compile(r"(?<!\w)" + r"\w*".join(parts) + ("" if term.endswith("*") else r"(?!\w)"), re.I)


@dataclass(frozen=True)
class Term:
    source: str
    targets: dict[str, str]
    patterns: dict[str, re.Pattern[str]] = field(compare=False)


@dataclass(frozen=True)
class Glossary:
    source_language: str
    terms: tuple[Term, ...] = ()

    def missing(self, source: str, target: str, lang: str) -> list[Term]:
        out = []
        for term in self.terms:
            if (
                lang in term.targets
                and term.patterns[self.source_language].search(source)
                and not term.patterns[lang].search(target)
            ):
                out.append(term)
        return out


def load_glossary(guideline: Guideline) -> tuple[Glossary, list[Problem]]:
    """The guideline's glossary and its library's shared one, together (the library's terms apply library-wide)."""
    from ..i18n.catalogs import catalog_dir

    src = guideline.meta.source_language
    paths = [catalog_dir(guideline) / GLOSSARY]
    library = guideline.library
    if library is not None and library.meta.glossary:
        shared = (library.root / library.meta.glossary).resolve()
        if shared not in [p.resolve() for p in paths]:
            paths.append(shared)
    terms: list[Term] = []
    problems: list[Problem] = []
    for path in paths:
        found, more = _glossary_file(path, src)
        terms += found
        problems += more
    return Glossary(src, tuple(terms)), problems


def _glossary_file(path: Path, src: str) -> tuple[list[Term], list[Problem]]:
    if not path.is_file():
        return [], []
    node, problems = load(path, shown_path(path))
    if node is None:
        return [], problems
    items = node.get("terms") if isinstance(node, Mapping) else None
    if not isinstance(items, Sequence):
        return [], [*problems, error("S006", "a glossary is a mapping with a 'terms:' list", node.pos)]
    terms = []
    for item in items.items:
        if not isinstance(item, Mapping):
            problems.append(error("S006", "a glossary term is a mapping of language to term", item.pos))
            continue
        values = {k.value: v.value for k, v in item.items if isinstance(v, Scalar) and k.value != "note"}
        if src not in values:
            problems.append(error("S008", f"glossary term needs its '{src}' form", item.pos))
            continue
        terms.append(Term(values[src], values, {lang: _pattern(value) for lang, value in values.items()}))
    return terms, problems
