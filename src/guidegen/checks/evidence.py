"""Evidence checks (E): every recommendation rests on evidence that exists and supports its grade."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..cite import citations
from ..i18n.messages import markdown_texts, once
from ..model import Guideline
from ..problems import Position, Problem, error, info, warning
from ..typed import suggest
from ..yamlsrc import invisible, printable

# Matched in full (re.fullmatch).  A DOI's suffix may hold any printable character, but a quote, an angle
# bracket or a space is never needed in a link and is how markup is smuggled in (issue 17); the old
# Wiley SICI DOIs that hold < and > are written percent-encoded (%3C, %3E), as doi.org reads them.
DOI = re.compile(r"10\.[0-9]{4,9}/[^\s\"'<>\\]+")
PMID = re.compile(r"[1-9][0-9]{0,8}")
PMCID = re.compile(r"PMC[0-9]+")


def cited_keys(guideline: Guideline) -> set[str]:
    keys = {key for _, _, found in _citing(guideline) for key, _ in found}
    keys |= {item for _, rec in guideline.recommendations() for item in rec.evidence}
    keys |= {study for profile in guideline.profiles for study in profile.studies}
    return keys


Citing = list[tuple[str, Position, list[tuple[str, int]]]]  # (text, its position, its citations: key, offset)
_CITING: dict[int, tuple[Guideline, Citing]] = {}


def _citing(guideline: Guideline) -> Citing:
    """Each markdown text that cites, with its citations: found once for the two checks that read them."""

    def find(g: Guideline) -> Citing:
        return [(text, at, keys) for text, at in markdown_texts(g) if (keys := list(citations(text)))]

    return once(_CITING, guideline, find)


def evidence_links(guideline: Guideline) -> Iterator[Problem]:
    profiles = {p.id for p in guideline.profiles}
    references = {r.id for r in guideline.references}
    for _number, rec in guideline.recommendations():
        if rec.type == "recommendation" and not rec.evidence:
            yield error("E101", f"recommendation '{rec.id}' links to no evidence", rec.where("id"))
        for i, item in enumerate(rec.evidence):
            if item not in profiles and item not in references:
                hint = suggest(item, sorted(profiles | references))
                yield error(
                    "E102",
                    f"'{item}' is neither an evidence profile nor a reference{hint}",
                    rec.where(f"evidence[{i}]"),
                )
        if rec.type == "recommendation" and rec.evidence and not any(item in profiles for item in rec.evidence):
            yield warning(
                "E114",
                f"recommendation '{rec.id}' links no evidence profile, so its certainty cannot be checked",
                rec.where("evidence"),
            )
    for profile in guideline.profiles:
        for i, study in enumerate(profile.studies):
            if study not in references:
                yield error(
                    "E102",
                    f"study '{study}' is not in the references{suggest(study, sorted(references))}",
                    profile.where(f"studies[{i}]"),
                )


def inline_citations(guideline: Guideline) -> Iterator[Problem]:
    references = {r.id for r in guideline.references}
    for text, position, found in _citing(guideline):
        for key, offset in found:
            if key not in references:
                hint = suggest(key, sorted(references))
                yield error("E103", f"citation '@{key}' is not in the references{hint}", position.within(text, offset))


def certainty_support(guideline: Guideline) -> Iterator[Problem]:
    """A recommendation is no more certain than the best evidence profile it rests on."""
    scheme = guideline.scheme
    levels = [level.id for level in scheme.certainty]
    profiles = {p.id: p for p in guideline.profiles}
    for _, rec in guideline.recommendations():
        if rec.type != "recommendation" or rec.certainty not in levels:
            continue
        linked = [profiles[i].certainty for i in rec.evidence if i in profiles and profiles[i].certainty in levels]
        if linked:
            best = min(linked, key=scheme.rank)
            if scheme.rank(rec.certainty) < scheme.rank(best):
                yield error(
                    "E104",
                    f"certainty '{rec.certainty}' is above that of its evidence (at best '{best}')",
                    rec.where("certainty"),
                )
        # GRADE's strong-on-low situations also justify a strong recommendation on an uncertain balance (E123)
        uncertain = (
            rec.etd is not None and rec.etd.balance is not None and rec.etd.balance.judgement in ("varies", "dont-know")
        )
        on_low = rec.strength in scheme.justify_strength and rec.certainty in scheme.justify_certainty
        needs = on_low or (rec.strength in scheme.justify_strength and uncertain)
        if on_low and rec.justification is None:
            options = ", ".join(j.id for j in scheme.justification)
            yield error(
                "E105",
                f"'{rec.strength}' recommendation on '{rec.certainty}' certainty "
                f"needs a 'justification' (one of: {options})",
                rec.where("strength"),
            )
        elif rec.justification is not None and not needs:
            strengths = "/".join(scheme.justify_strength) or "no"
            certainties = "/".join(scheme.justify_certainty) or "no"
            only = f"{strengths} recommendations on {certainties} certainty"
            yield warning("E115", f"justification '{rec.justification}' is only for {only}", rec.where("justification"))


def ungraded_statements(guideline: Guideline) -> Iterator[Problem]:
    """Good-practice and research statements are not graded; good practice says why (GRADE's rule)."""
    for _, rec in guideline.recommendations():
        if rec.type == "recommendation":
            continue
        for key in ("strength", "certainty", "direction", "justification", "etd"):
            if getattr(rec, key) is not None:
                yield error("E106", f"a {rec.type} statement is not graded: remove '{key}'", rec.where(key))
        if rec.type == "good-practice" and not rec.rationale.strip():
            yield error("E107", f"good-practice statement '{rec.id}' needs a 'rationale'", rec.where("id"))


def profile_certainty(guideline: Guideline) -> Iterator[Problem]:
    scheme = guideline.scheme
    levels = [level.id for level in scheme.certainty]
    for profile in guideline.profiles:
        for outcome in profile.outcomes:
            effect = outcome.effect
            if effect is not None and effect.ci is not None:
                low, high = effect.ci
                if low > high:
                    yield error("E116", f"confidence interval [{low}, {high}] is reversed", effect.where("ci"))
                elif not low <= effect.value <= high:
                    yield error(
                        "E116",
                        f"estimate {effect.value} lies outside its confidence interval [{low}, {high}]",
                        effect.where("value"),
                    )
        if scheme.profile_rule != "lowest-critical":
            continue
        critical = [o.certainty for o in profile.outcomes if o.importance == "critical" and o.certainty in levels]
        if not critical:
            yield warning("E117", f"evidence profile '{profile.id}' has no critical outcome", profile.where("outcomes"))
            continue
        lowest = max(critical, key=scheme.rank)
        if profile.certainty in levels and profile.certainty != lowest:
            yield error(
                "E108",
                f"overall certainty '{profile.certainty}' should be '{lowest}', the lowest among critical outcomes",
                profile.where("certainty"),
            )


def identifiers(guideline: Guideline) -> Iterator[Problem]:
    seen: dict[tuple[str, str], str] = {}
    for ref in guideline.references:
        for key, pattern, code in (("DOI", DOI, "E109"), ("PMID", PMID, "E110"), ("PMCID", PMCID, "E110")):
            value = ref.data.get(key)
            if value is None:
                continue
            if not isinstance(value, str) or not pattern.fullmatch(value) or invisible().search(value):
                yield error(code, f"malformed {key} '{printable(str(value))}' in '{ref.id}'", ref.where(key))
                continue
            norm = value.strip().lower()
            if (key, norm) in seen:
                yield error("E111", f"'{ref.id}' duplicates '{seen[key, norm]}' (same {key})", ref.where(key))
            else:
                seen[key, norm] = ref.id
        if ref.type == "article-journal" and "DOI" not in ref.data and "PMID" not in ref.data:
            yield info("E118", f"journal article '{ref.id}' has neither DOI nor PMID", ref.where("id"))


def unused(guideline: Guideline) -> Iterator[Problem]:
    keys = cited_keys(guideline)
    shared = set(map(id, guideline.library.references)) if guideline.library is not None else set()
    for ref in guideline.references:
        if (
            ref.id not in keys and id(ref) not in shared
        ):  # a library's shared reference need not be cited by every guideline
            yield warning("E112", f"reference '{ref.id}' is never cited", ref.where("id"))
    for profile in guideline.profiles:
        if profile.id not in keys:
            yield warning("E113", f"evidence profile '{profile.id}' supports no recommendation", profile.where("id"))


CHECKS = [
    evidence_links,
    inline_citations,
    certainty_support,
    ungraded_statements,
    profile_certainty,
    identifiers,
    unused,
]
