"""Anticipated absolute effects: a comparison group's risk and a relative effect -> risks per 1,000.

A GRADE summary-of-findings table shows, beside the relative effect, the risk
with the comparator, the risk with the intervention and their difference per
1,000 people, as GRADEpro prints them.
guidegen computes them, never lets them be typed in, in exact decimal
arithmetic so that a value lands on the same whole number on every machine.

Only numbers live here: "197 fewer per 1,000 (from 292 fewer to 55 fewer)"
is worded elsewhere, through the catalogs, from ``AbsoluteEffect`` and
``change()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from typing import Literal

# The effect measures of ``model.Effect.measure``, by what they compare.  A
# ratio (risk, odds or hazard ratio) turns into absolute effects once the
# comparison group's risk is known; a difference already is one (a mean
# difference in the outcome's units, a standardised mean difference, or a
# risk difference), so there is nothing to compute.
RATIO_MEASURES = frozenset({"RR", "OR", "HR"})
DIFFERENCE_MEASURES = frozenset({"MD", "SMD", "RD"})
# Continuous outcomes: a comparison group's risk means nothing for them.
CONTINUOUS_MEASURES = frozenset({"MD", "SMD"})

MeasureKind = Literal["ratio", "difference"]
Change = Literal["fewer", "more", "same"]

# 40 significant digits: HR's fractional power goes through ln and exp, and
# must be exact far beyond the third decimal of a proportion that rounding
# per 1,000 looks at.
PRECISION = 40
PER_1000 = Decimal(1000)


def measure_kind(measure: str) -> MeasureKind:
    """Whether ``measure`` is a ratio (RR, OR, HR) or a difference (MD, SMD, RD)."""
    if measure in RATIO_MEASURES:
        return "ratio"
    if measure in DIFFERENCE_MEASURES:
        return "difference"
    raise ValueError(f"unknown effect measure {measure!r}")


def is_continuous(measure: str) -> bool:
    """True for measures of continuous outcomes (MD, SMD), which take no comparison group risk."""
    measure_kind(measure)  # refuses an unknown measure
    return measure in CONTINUOUS_MEASURES


def risk_with_intervention(assumed_risk: Decimal, measure: str, ratio: Decimal) -> Decimal:
    """The risk with the intervention, as a proportion, from the comparison group's risk and a ratio.

    RR: p1 = p0·RR.  OR: p1 = p0·OR / (1 − p0 + p0·OR).  HR, for the event
    (GRADEpro's summary-of-findings formula): p1 = 1 − (1 − p0)^HR.
    The result may exceed 1 for RR; ``within_range`` tells.
    """
    if measure not in RATIO_MEASURES:
        raise ValueError(f"{measure!r} is not a ratio measure; only RR, OR and HR have absolute effects to compute")
    if not 0 <= assumed_risk <= 1:
        raise ValueError(f"assumed risk {assumed_risk} is not a proportion between 0 and 1")
    if ratio <= 0:
        raise ValueError(f"a {measure} must be greater than 0, not {ratio}")
    with localcontext() as ctx:
        ctx.prec = PRECISION
        ctx.rounding = ROUND_HALF_EVEN
        if measure == "RR":
            return assumed_risk * ratio
        if measure == "OR":
            return assumed_risk * ratio / (1 - assumed_risk + assumed_risk * ratio)
        survival = 1 - assumed_risk
        return 1 - (survival**ratio if survival else Decimal(0))


def per_1000(proportion: Decimal) -> int:
    """A proportion as a whole number per 1,000, ties rounded away from zero.

    The GRADE handbook computes the absolute effect from the unrounded risks
    (1,000 × |CER × (1 − RR)|) and prints whole numbers; how it breaks a tie
    at exactly .5 is not documented in the sources we have.  We round half
    away from zero (Decimal's ROUND_HALF_UP, which acts on the absolute
    value): "0.5 more" and "0.5 fewer" then round alike, to 1, which a
    half-to-even or half-towards-+∞ rule would not guarantee.
    """
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return int((proportion * PER_1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class AbsoluteEffect:
    """The anticipated absolute effects of one dichotomous outcome, as exact proportions.

    Confidence limits are ordered low to high, as GRADEpro prints them: with a
    ratio below 1 the lower limit of the ratio gives the largest reduction,
    so the difference reads "from 292 fewer to 55 fewer".
    """

    comparator_risk: Decimal  # p0: the comparison group's (assumed) risk
    intervention_risk: Decimal  # p1 at the point estimate of the ratio
    intervention_risk_ci: tuple[Decimal, Decimal] | None  # p1 at the ratio's 95% confidence limits

    @property
    def comparator_per_1000(self) -> int:
        """Risk with the comparator, per 1,000."""
        return per_1000(self.comparator_risk)

    @property
    def intervention_per_1000(self) -> int:
        """Risk with the intervention, per 1,000."""
        return per_1000(self.intervention_risk)

    @property
    def intervention_ci_per_1000(self) -> tuple[int, int] | None:
        if self.intervention_risk_ci is None:
            return None
        low, high = self.intervention_risk_ci
        return per_1000(low), per_1000(high)

    @property
    def difference_per_1000(self) -> int:
        """Risk difference per 1,000: negative is fewer, positive more.

        Rounded once from the exact difference, as the GRADE handbook does, so
        it may differ by one from ``intervention_per_1000 − comparator_per_1000``.
        """
        return per_1000(self._difference(self.intervention_risk))

    @property
    def difference_ci_per_1000(self) -> tuple[int, int] | None:
        if self.intervention_risk_ci is None:
            return None
        low, high = self.intervention_risk_ci
        return per_1000(self._difference(low)), per_1000(self._difference(high))

    def _difference(self, risk: Decimal) -> Decimal:
        with localcontext() as ctx:
            ctx.prec = PRECISION
            return risk - self.comparator_risk


def absolute_effect(
    assumed_risk: Decimal, measure: str, value: Decimal, ci: tuple[Decimal, Decimal] | None = None
) -> AbsoluteEffect:
    """The absolute effects of a relative effect (RR, OR or HR, with its 95% CI) at ``assumed_risk``.

    Raises ValueError for a difference measure, a risk outside 0–1 or a ratio
    that is not positive: checks report those to the committee first.
    """
    point = risk_with_intervention(assumed_risk, measure, value)
    limits: tuple[Decimal, Decimal] | None = None
    if ci is not None:
        # All three formulas increase with the ratio, so the limits stay in order.
        low, high = sorted(ci)
        limits = risk_with_intervention(assumed_risk, measure, low), risk_with_intervention(assumed_risk, measure, high)
    return AbsoluteEffect(comparator_risk=assumed_risk, intervention_risk=point, intervention_risk_ci=limits)


def within_range(effect: AbsoluteEffect) -> bool:
    """Whether every risk, point and limits, is a possible one: 0 to 1,000 per 1,000.

    Judged on the exact proportions, so 1,000.4 per 1,000 (which would print
    as 1,000) is still out of range.  Only RR can leave it: p0·RR exceeds 1
    when RR > 1/p0; OR and HR map 0–1 onto 0–1.
    """
    risks = [effect.comparator_risk, effect.intervention_risk, *(effect.intervention_risk_ci or ())]
    return all(0 <= risk <= 1 for risk in risks)


def change(difference: int) -> Change:
    """How a rounded difference per 1,000 is worded: "fewer", "more", or "same" for 0."""
    if difference < 0:
        return "fewer"
    if difference > 0:
        return "more"
    return "same"
