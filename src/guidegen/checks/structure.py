"""Structure checks (S) that need the whole model: unique ids, the grading scheme's words."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import languages
from ..model import EvidenceProfile, Guideline, Node, Recommendation, Reference, Section
from ..problems import Problem, error, warning
from ..typed import one_of, suggest


def duplicate_ids(guideline: Guideline) -> Iterator[Problem]:
    """Ids key translations (msgctxt) and evidence links, so they are unique across the guideline."""
    seen: dict[str, Node] = {}
    nodes: list[Section | Recommendation | EvidenceProfile | Reference] = [s for _, s in guideline.walk()]
    nodes += [r for _, r in guideline.recommendations()]
    nodes += list(guideline.profiles) + list(guideline.references)
    for node in nodes:
        ident = node.id
        if ident in seen:
            first = seen[ident].where("id")
            yield error("S009", f"duplicate id '{ident}' (first used at {first})", node.where("id"))
        else:
            seen[ident] = node


def duplicate_languages(guideline: Guideline) -> Iterator[Problem]:
    """A language listed twice, also under another of its tags (uz and uz-Latn)."""
    seen: dict[str, str] = {}
    for i, lang in enumerate(guideline.meta.languages):
        language = languages.profile(lang)
        key = language.tag if language else lang
        if key in seen:
            also = "" if seen[key] == lang else f" (as '{seen[key]}')"
            yield error("S009", f"language '{lang}' is listed twice{also}", guideline.meta.where(f"languages[{i}]"))
        else:
            seen[key] = lang


def _scheme_value(node: Node, name: str, value: str | None, allowed: list[str], scheme: str) -> Iterator[Problem]:
    if value is not None and value not in allowed:
        yield error(
            "S007",
            f"'{name}' cannot be '{value}' in {scheme}{suggest(value, allowed)} (one of: {one_of(allowed)})",
            node.where(name),
        )


def scheme_values(guideline: Guideline) -> Iterator[Problem]:
    """Strength, direction, certainty and justification take the grading scheme's values."""
    scheme = guideline.scheme
    name = scheme.name.get("en", scheme.id)
    strengths = [level.id for level in scheme.strength]
    directions = [level.id for level in scheme.direction]
    certainties = [level.id for level in scheme.certainty]
    justifications = [level.id for level in scheme.justification]
    for _number, rec in guideline.recommendations():
        yield from _scheme_value(rec, "strength", rec.strength, strengths, name)
        yield from _scheme_value(rec, "direction", rec.direction, directions, name)
        yield from _scheme_value(rec, "certainty", rec.certainty, certainties, name)
        yield from _scheme_value(rec, "justification", rec.justification, justifications, name)
        if rec.type == "recommendation":
            for key in ("direction", "strength", "certainty"):
                if getattr(rec, key) is None:
                    yield error("S008", f"recommendation '{rec.id}' needs '{key}'", rec.pos)
    for profile in guideline.profiles:
        yield from _scheme_value(profile, "certainty", profile.certainty, certainties, name)
        for outcome in profile.outcomes:
            yield from _scheme_value(outcome, "certainty", outcome.certainty, certainties, name)


def previous_version(guideline: Guideline) -> Iterator[Problem]:
    """``previous`` names a revision git knows: the change annex and [new]/[amended] tags are made from it."""
    from ..revision import RevisionError, commit, repository

    if not guideline.meta.previous:
        return
    where = guideline.meta.where("previous")
    try:
        repository(guideline.root)
    except RevisionError:
        # a copy without its history (a downloaded archive) still builds, without the change annex
        yield warning(
            "S020",
            "the guideline is not in a git repository here: no 'Changes since' annex or [new]/[amended] tags",
            where,
        )
        return
    try:
        commit(guideline.root, guideline.meta.previous)
    except RevisionError as exc:
        yield error("S020", f"previous: {exc}", where)


CHECKS = [duplicate_ids, duplicate_languages, scheme_values, previous_version]
