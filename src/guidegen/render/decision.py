"""What the decision tables show, in the reader's language: absolute effects, what happens, EtD rows, interests.

The summary-of-findings table takes GRADE's layout (relative effect, risk with
the comparator, risk difference, what happens); the Evidence-to-Decision annex
shows every level of each criterion's scale with the committee's judgement
marked, as GRADEpro does.  Numbers come from ``guidegen.effects``; words from
the tool's label catalogs and the grading scheme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..effects import RATIO_MEASURES, absolute_effect, is_continuous, within_range
from ..grading import statement_for
from ..model import Declaration, Effect, Guideline, Member, Outcome, Recommendation, Scheme


@dataclass(frozen=True)
class Absolute:
    """The two absolute cells of a summary-of-findings row."""

    comparator: str  # "453 per 1,000"
    difference: str  # "197 fewer per 1,000 (from 292 fewer to 55 fewer)"


@dataclass(frozen=True)
class EtdRow:
    criterion: str  # the criterion's id
    question: str
    scale: list[tuple[str, bool]]  # every level's label, and whether it is the judgement
    judgement: str  # the chosen level's label
    evidence: str  # markdown
    considerations: str  # markdown


class Words:
    """Labels and numbers for one language, as the decision tables need them."""

    def __init__(
        self,
        lang: str,
        gettext: Callable[[str], str],
        pgettext: Callable[[str, str], str],
        number: Callable[[Decimal | int], str],
        word: Callable[[dict[str, str], str], str],
    ):
        self.lang, self.t, self.pt, self.number, self.word = lang, gettext, pgettext, number, word

    # absolute effects ------------------------------------------------------
    def _amount(self, value: int, end: bool = False) -> str:
        """ "197 fewer"; a limit of the interval may be worded apart (ru "на 197 меньше", "от 292 меньше")."""
        values = {"count": self.number(abs(value))}
        if end:
            return (
                self.pt("interval limit", "%(count)s fewer")
                if value < 0
                else self.pt("interval limit", "%(count)s more")
            ) % values
        return (self.t("%(count)s fewer") if value < 0 else self.t("%(count)s more")) % values

    def absolute(self, outcome: Outcome) -> Absolute | None:
        """GRADEpro's absolute effects for a ratio with an assumed risk; None where there are none to show."""
        effect, p0 = outcome.effect, outcome.assumed_risk
        if (
            effect is None
            or p0 is None
            or effect.measure not in RATIO_MEASURES
            or not 0 <= p0 <= 1
            or effect.value <= 0
        ):
            return None
        if effect.ci is not None and min(effect.ci) <= 0:
            return None
        result = absolute_effect(p0, effect.measure, effect.value, effect.ci)
        if not within_range(result):
            return None  # E121 refuses such a document; a draft shows the relative effect only
        comparator = self.t("%(risk)s per 1,000") % {"risk": self.number(result.comparator_per_1000)}
        point = self._amount(result.difference_per_1000)
        ci = result.difference_ci_per_1000
        if ci is None:
            difference = self.t("%(difference)s per 1,000") % {"difference": point}
        else:
            low, high = ci
            values = {"difference": point, "low": self._amount(low, end=True), "high": self._amount(high, end=True)}
            difference = self.t("%(difference)s per 1,000 (from %(low)s to %(high)s)") % values
        return Absolute(comparator, difference)

    def relative(self, effect: Effect | None) -> str:
        """The relative-effect column: a ratio with its CI, or a dash for a difference measure."""
        if effect is None or effect.measure not in RATIO_MEASURES:
            return "—"
        return self._with_ci(effect)

    def continuous(self, outcome: Outcome) -> str:
        """A mean or standardised mean difference, with units, for the absolute column."""
        effect = outcome.effect
        if effect is None or not is_continuous(effect.measure):
            return ""
        text = self._with_ci(effect)
        return f"{text} {outcome.units}".strip() if outcome.units else text

    def _with_ci(self, effect: Effect) -> str:
        value = self.number(effect.value)
        if effect.ci is None:
            return f"{effect.measure} {value}"
        low, high = (self.number(x) for x in effect.ci)
        return self.t("%(measure)s %(value)s (%(low)s to %(high)s)") % {
            "measure": effect.measure,
            "value": value,
            "low": low,
            "high": high,
        }

    # what happens -----------------------------------------------------------
    def what_happens(self, outcome: Outcome, scheme: Scheme) -> str:
        """The GRADE informative statement for the outcome's certainty and effect (empty if none applies).

        Without an importance threshold per outcome, the effect's kind is read from
        its confidence interval against no effect (1 for a ratio, 0 for a
        difference): wholly below is a reduction, wholly above an increase, across
        it little or no difference.  A profile words its own with ``what_happens``.
        """
        effect = outcome.effect
        if effect is None or effect.ci is None:
            return ""
        null = Decimal(1) if effect.measure in RATIO_MEASURES else Decimal(0)
        low, high = effect.ci
        kind = "reduction" if high < null else "increase" if low > null else "little-or-no-difference"
        statement = statement_for(scheme, outcome.certainty, kind)
        return self.word(statement.text, kind) if statement is not None else ""

    # evidence to decision -----------------------------------------------------
    def etd_rows(self, rec: Recommendation, scheme: Scheme) -> list[EtdRow]:
        if rec.etd is None:
            return []
        judged = dict(rec.etd.criteria())
        rows = []
        for criterion in scheme.etd:
            entry = judged.get(criterion.id)
            if entry is None:
                continue
            scale = [(self.word(j.label, j.id), j.id == entry.judgement) for j in criterion.scale]
            chosen = criterion.judgement(entry.judgement)
            label = self.word(chosen.label, chosen.id) if chosen else entry.judgement
            rows.append(
                EtdRow(
                    criterion.id,
                    self.word(criterion.label, criterion.id),
                    scale,
                    label,
                    entry.evidence,
                    entry.considerations,
                )
            )
        return rows

    # interests and votes --------------------------------------------------------
    def declaration(self, declaration: Declaration, numbers: dict[str, str]) -> str:
        kinds = {
            "financial": self.t("Financial"),
            "non-financial": self.t("Non-financial"),
            "none": self.t("None declared"),
        }
        text = kinds[declaration.type]
        if declaration.description:
            text = f"{text}: {declaration.description}"
        if declaration.management == "exclusion":
            text += " — " + self.t("excluded from the decisions")
        elif declaration.management == "partial-recusal":
            recs = ", ".join(numbers.get(r, r) for r in declaration.recommendations)
            text += " — " + self.t("did not take part in the decisions on recommendations %(numbers)s") % {
                "numbers": recs
            }
        return text

    def recused(self, rec: Recommendation, committee: tuple[Member, ...]) -> list[str]:
        return [m.name for m in committee if m.recused_from(rec.id)]

    def vote(self, rec: Recommendation) -> str:
        if rec.vote is None:
            return ""
        counts = {
            "for": self.number(rec.vote.for_),
            "against": self.number(rec.vote.against),
            "abstain": self.number(rec.vote.abstain),
        }
        return self.t("Vote: %(for)s for, %(against)s against, %(abstain)s abstained") % counts


def etd_recommendations(guideline: Guideline) -> list[tuple[str, Recommendation]]:
    """The recommendations whose EtD the annex shows, numbered as in the text."""
    if not guideline.scheme.etd:
        return []
    return [(n, r) for n, r in guideline.recommendations() if r.type == "recommendation" and r.etd is not None]


__all__ = ["Absolute", "EtdRow", "Words", "etd_recommendations"]
