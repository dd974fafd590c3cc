"""Decision checks (E119–E130): absolute effects, Evidence-to-Decision frameworks, interests and votes.

They make a recommendation's EtD mean something: the judgements come from the
scheme's scales, the direction follows the balance, a strong recommendation
on an uncertain balance says why, the EtD's certainty is the recommendation's,
and the people who decided declared their interests and voted as required.
What a draft may still lack is a warning; consultation and final refuse it.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from ..effects import RATIO_MEASURES, absolute_effect, is_continuous, within_range
from ..model import Guideline, Judged, Member, Recommendation
from ..problems import Problem, Severity, error, warning
from ..typed import one_of, suggest

# Balance judgements that say which way the evidence points (GRADE EtD scale ids)
_FAVOURS_COMPARISON = ("favors-comparison", "probably-favors-comparison")
_FAVOURS_INTERVENTION = ("favors-intervention", "probably-favors-intervention")
_UNCERTAIN = ("varies", "dont-know")


def _required(guideline: Guideline) -> Severity:
    """What a draft may still lack is a warning; a document for consultation or final approval needs it."""
    return Severity.WARNING if guideline.meta.status == "draft" else Severity.ERROR


def absolute_effects(guideline: Guideline) -> Iterator[Problem]:
    """An assumed risk is a proportion, belongs to a ratio measure, and gives risks a reader can believe."""
    for profile in guideline.profiles:
        for outcome in profile.outcomes:
            p0 = outcome.assumed_risk
            if p0 is None:
                continue
            where = outcome.where("assumed_risk")
            effect = outcome.effect
            if not 0 <= p0 <= 1:
                yield error(
                    "E119", f"assumed risk {p0} is not a proportion between 0 and 1 (write 45.3% as 0.453)", where
                )
                continue
            if effect is None:
                yield error("E120", "an assumed risk needs the outcome's relative effect (RR, OR or HR)", where)
                continue
            if effect.measure not in RATIO_MEASURES:
                kind = "a continuous measure" if is_continuous(effect.measure) else "an absolute measure"
                yield error("E120", f"an assumed risk means nothing for {effect.measure}, {kind}; remove it", where)
                continue
            if effect.value <= 0 or (effect.ci is not None and min(effect.ci) <= 0):
                continue  # a ratio of 0 or below is already wrong (E116 or the reader's eye); nothing to compute
            result = absolute_effect(p0, effect.measure, effect.value, effect.ci)
            if not within_range(result):
                yield error(
                    "E121",
                    f"with assumed risk {p0}, {effect.measure} {effect.value} gives risks outside 0–1,000 per 1,000: "
                    "check the risk and the effect",
                    where,
                )


def _judgements(guideline: Guideline, rec: Recommendation) -> Iterator[Problem]:
    """Every judgement is a value of its criterion's scale in the grading scheme."""
    assert rec.etd is not None
    scales = {c.id: c for c in guideline.scheme.etd}
    for criterion, judged in rec.etd.criteria():
        if judged is None or criterion not in scales:
            continue
        allowed = [j.id for j in scales[criterion].scale]
        if judged.judgement not in allowed:
            yield error(
                "S007",
                f"'{criterion}' cannot be judged '{judged.judgement}'{suggest(judged.judgement, allowed)}"
                f" (one of: {one_of(allowed)})",
                judged.where("judgement"),
            )


def _judged(rec: Recommendation, criterion: str) -> Judged | None:
    assert rec.etd is not None
    return dict(rec.etd.criteria()).get(criterion)


def evidence_to_decision(guideline: Guideline) -> Iterator[Problem]:
    """A graded recommendation has an EtD whose judgements agree with what it says."""
    scheme = guideline.scheme
    for number, rec in guideline.recommendations():
        if rec.type != "recommendation":
            continue
        if not scheme.etd:
            if rec.etd is not None:
                yield warning(
                    "E130",
                    f"the grading scheme '{scheme.id}' has no Evidence-to-Decision framework: this 'etd' is not shown",
                    rec.where("etd"),
                )
            continue
        if rec.etd is None:
            yield Problem(
                "E125",
                _required(guideline),
                f"recommendation {number} '{rec.id}' has no Evidence-to-Decision framework ('etd')",
                rec.where("id"),
            )
            continue
        yield from _judgements(guideline, rec)
        missing = [criterion for criterion, judged in rec.etd.criteria() if judged is None]
        if missing:
            yield Problem(
                "E125",
                _required(guideline),
                f"the EtD of '{rec.id}' does not judge: {', '.join(missing)}",
                rec.where("etd"),
            )
        balance = _judged(rec, "balance")
        if balance is not None:
            if rec.direction == "for" and balance.judgement in _FAVOURS_COMPARISON:
                yield error(
                    "E122",
                    f"recommendation for the intervention while the balance {balance.judgement.replace('-', ' ')}",
                    balance.where("judgement"),
                )
            if rec.direction == "against" and balance.judgement in _FAVOURS_INTERVENTION:
                yield error(
                    "E122",
                    f"recommendation against the intervention while the balance {balance.judgement.replace('-', ' ')}",
                    balance.where("judgement"),
                )
            if (
                rec.strength in scheme.justify_strength
                and balance.judgement in _UNCERTAIN
                and rec.justification is None
            ):
                options = ", ".join(j.id for j in scheme.justification)
                yield error(
                    "E123",
                    f"a {rec.strength} recommendation on a balance judged '{balance.judgement}' "
                    f"needs a 'justification' ({options})",
                    balance.where("judgement"),
                )
        certainty = _judged(rec, "certainty")
        criterion = next((c for c in scheme.etd if c.id == "certainty"), None)
        if certainty is not None and criterion is not None and rec.certainty is not None:
            stated = criterion.judgement(certainty.judgement)
            if stated is not None and stated.certainty and stated.certainty != rec.certainty:
                yield error(
                    "E124",
                    f"the EtD judges the certainty '{certainty.judgement}' "
                    f"but the recommendation states '{rec.certainty}'",
                    certainty.where("judgement"),
                )


def _placeholder(text: str) -> bool:
    stripped = text.strip()
    return stripped.startswith("[") and stripped.endswith("]")


def interests(guideline: Guideline) -> Iterator[Problem]:
    """Every member has declared (a list of declarations, no placeholders); declarations name real recommendations."""
    severity = _required(guideline)
    ids = {rec.id for _, rec in guideline.recommendations()}
    for member in guideline.meta.committee:
        yield from _member_interests(member, ids, severity)
    if not guideline.meta.funding.strip():
        yield Problem(
            "E126", severity, "the guideline does not say who funded it ('funding')", guideline.meta.where("id")
        )
    elif _placeholder(guideline.meta.funding):
        yield Problem("E126", severity, "'funding' is still a placeholder", guideline.meta.where("funding"))


def _member_interests(member: Member, ids: set[str], severity: Severity) -> Iterator[Problem]:
    who = f"committee member '{member.name}'"
    if isinstance(member.interests, str):
        yield Problem(
            "E126",
            severity,
            f"{who}: write 'interests' as a list of declarations (type, description, management)",
            member.where("interests"),
        )
        return
    if not member.interests:
        yield Problem(
            "E126", severity, f"{who} has declared no interests (write '- type: none' if there are none)", member.pos
        )
        return
    for declaration in member.interests:
        if declaration.type != "none" and (
            not declaration.description.strip() or _placeholder(declaration.description)
        ):
            yield Problem(
                "E126",
                severity,
                f"{who}: a {declaration.type} interest needs a description",
                declaration.where("description"),
            )
        for i, rec_id in enumerate(declaration.recommendations):
            if rec_id not in ids:
                yield error(
                    "E129",
                    f"declaration names recommendation '{rec_id}', which does not exist{suggest(rec_id, sorted(ids))}",
                    declaration.where(f"recommendations[{i}]"),
                )
        if declaration.management == "partial-recusal" and not declaration.recommendations:
            yield error(
                "E129",
                f"{who}: a partial recusal names the recommendations it applies to",
                declaration.where("management"),
            )


def votes(guideline: Guideline) -> Iterator[Problem]:
    """A vote carries its recommendation by the guideline's threshold, and no more people vote than may."""
    threshold = Fraction(guideline.meta.vote_threshold) if guideline.meta.vote_threshold else None
    if threshold is not None and not 0 < threshold <= 1:
        yield error(
            "S007",
            f"vote_threshold {guideline.meta.vote_threshold} is not a share between 0 and 1",
            guideline.meta.where("vote_threshold"),
        )
        threshold = None
    committee = guideline.meta.committee
    for _, rec in guideline.recommendations():
        vote = rec.vote
        if vote is None:
            continue
        counts = (vote.for_, vote.against, vote.abstain)
        if min(counts) < 0:
            yield error("S006", "vote counts are whole numbers of 0 or more", vote.pos)
            continue
        eligible = sum(1 for m in committee if not m.recused_from(rec.id))
        if committee and sum(counts) > eligible:
            yield error(
                "E128",
                f"{sum(counts)} votes, but only {eligible} committee member(s) could vote on '{rec.id}'",
                vote.pos,
            )
        cast = vote.for_ + vote.against
        if threshold is not None and (cast == 0 or Fraction(vote.for_, cast) < threshold):
            yield error(
                "E127",
                f"{vote.for_} of {cast} votes cast is below the guideline's threshold "
                f"of {guideline.meta.vote_threshold}",
                vote.pos,
            )


def stakeholder_comments(guideline: Guideline) -> Iterator[Problem]:
    """Before a guideline is final, every stakeholder comment is answered, and its target still exists or its fate
    is noted."""
    if guideline.consultation is None:
        return
    final = guideline.meta.status == "final"
    ids = {rec.id for _, rec in guideline.recommendations()} | {s.id for _, s in guideline.walk()}
    for c in guideline.consultation.comments:
        if final and (not c.response.strip() or not c.action):
            missing = " and ".join(k for k, v in (("a response", c.response.strip()), ("an action", c.action)) if not v)
            yield error(
                "E131",
                f"comment {c.id} from {c.organisation} needs {missing} before the guideline is final",
                c.where("id"),
            )
        if c.target and c.target not in ids and not c.note.strip():
            yield Problem(
                "E132",
                Severity.ERROR if final else Severity.WARNING,
                f"comment {c.id} is on '{c.target}', which no longer exists{suggest(c.target, sorted(ids))}: "
                "say in 'note' where it went",
                c.where("target"),
            )


CHECKS = [absolute_effects, evidence_to_decision, interests, votes, stakeholder_comments]
