"""Absolute effects per 1,000: the arithmetic against cases computed by hand, and its properties."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guidegen.effects import (
    CONTINUOUS_MEASURES,
    DIFFERENCE_MEASURES,
    RATIO_MEASURES,
    absolute_effect,
    change,
    is_continuous,
    measure_kind,
    per_1000,
    risk_with_intervention,
    within_range,
)
from guidegen.model import Effect

D = Decimal
Limits = tuple[int, int] | None
Row = tuple[int, int, Limits, int, Limits]


def summary(p0: str, measure: str, value: str, ci: tuple[str, str]) -> Row:
    """Comparator, intervention (CI), difference (CI), per 1,000, as a summary-of-findings row shows them."""
    e = absolute_effect(D(p0), measure, D(value), (D(ci[0]), D(ci[1])))
    intervention = e.intervention_per_1000, e.intervention_ci_per_1000
    return e.comparator_per_1000, *intervention, e.difference_per_1000, e.difference_ci_per_1000


def test_rr_the_grade_handbook_example() -> None:
    """RR 0.83 (0.78 to 0.89) at a control event rate of 40%.

    p1 = 0.4 × 0.83 = 0.332 → 332; difference 0.4 × (0.83 − 1) = −0.068 → 68 fewer.
    CI: 0.4 × 0.78 = 0.312 → 312, −0.088 → 88 fewer; 0.4 × 0.89 = 0.356 → 356, −0.044 → 44 fewer.
    """
    assert summary("0.4", "RR", "0.83", ("0.78", "0.89")) == (400, 332, (312, 356), -68, (-88, -44))


def test_or_by_hand() -> None:
    """OR 2 (0.5 to 4) at p0 = 0.2.

    p1 = 0.2·2 / (1 − 0.2 + 0.2·2) = 0.4 / 1.2 = 1/3 → 333; difference 133.3… → 133 more.
    OR 0.5: 0.1 / 0.9 = 0.111… → 111, difference −88.9 → 89 fewer.
    OR 4: 0.8 / 1.6 = 0.5 → 500, difference +300.
    """
    assert summary("0.2", "OR", "2", ("0.5", "4")) == (200, 333, (111, 500), 133, (-89, 300))


def test_hr_by_hand() -> None:
    """HR 1 (0.5 to 1.5) at p0 = 0.36, where the powers come out exact.

    p1 = 1 − (1 − 0.36)^HR = 1 − 0.64^HR.
    HR 1:   1 − 0.64          = 0.36  → 360, difference 0.
    HR 0.5: 1 − √0.64 = 1 − 0.8 = 0.2 → 200, difference −160.
    HR 1.5: 1 − 0.64 × 0.8 = 1 − 0.512 = 0.488 → 488, difference +128.
    """
    assert summary("0.36", "HR", "1", ("0.5", "1.5")) == (360, 360, (200, 488), 0, (-160, 128))


def test_hr_sustain_1_stable_remitters() -> None:
    """SUSTAIN-1 (Daly et al., JAMA Psychiatry 2019): relapse 45.3% on placebo, HR 0.49 (0.29 to 0.84).

    p1 = 1 − 0.547^HR = 1 − exp(HR × ln 0.547), ln 0.547 = −0.603306…
    HR 0.49: exp(−0.295620…) = 0.744070… → p1 = 0.255930 → 256; difference −0.197070 → 197 fewer.
    HR 0.29: exp(−0.174959…) = 0.839492… → p1 = 0.160508 → 161; difference −0.292492 → 292 fewer.
    HR 0.84: exp(−0.506777…) = 0.602434… → p1 = 0.397566 → 398; difference −0.055434 → 55 fewer.
    GRADEpro's wording: "197 fewer per 1,000 (from 292 fewer to 55 fewer)".
    """
    assert summary("0.453", "HR", "0.49", ("0.29", "0.84")) == (453, 256, (161, 398), -197, (-292, -55))


def test_the_ci_may_be_given_in_either_order() -> None:
    assert summary("0.453", "HR", "0.49", ("0.84", "0.29")) == summary("0.453", "HR", "0.49", ("0.29", "0.84"))


@pytest.mark.parametrize(
    ("proportion", "expected"),
    [
        ("0.0105", 11),
        ("0.0115", 12),
        ("-0.0105", -11),
        ("-0.0005", -1),
        ("0.0005", 1),
        ("0.00049", 0),
        ("0.0104999", 10),
    ],
)
def test_per_1000_rounds_half_away_from_zero(proportion: str, expected: int) -> None:
    assert per_1000(D(proportion)) == expected


def test_rounding_at_exactly_half_per_1000() -> None:
    """p0 = 0.0105 is 10.5 per 1,000 → 11; with RR 1 nothing changes: 11 and 11, difference 0.

    p0 = 0.01 with RR 1.05 gives p1 = 0.0105 → 11, difference +0.5 → 1 more;
    with RR 0.95, p1 = 0.0095 → 10 (9.5 rounds up), difference −0.5 → 1 fewer, not 0.
    """
    e = absolute_effect(D("0.0105"), "RR", D("1"))
    assert (e.comparator_per_1000, e.intervention_per_1000, e.difference_per_1000) == (11, 11, 0)
    assert e.intervention_ci_per_1000 is None and e.difference_ci_per_1000 is None
    assert summary("0.01", "RR", "1.05", ("0.95", "1.05")) == (10, 11, (10, 11), 1, (-1, 1))


def test_difference_is_rounded_once_from_the_exact_values() -> None:
    """p0 = 0.0105 (10.5 → 11), RR 0.9524: p1 = 0.0100002 → 10; exact difference −0.4998 → 0, not 10 − 11."""
    e = absolute_effect(D("0.0105"), "RR", D("0.9524"))
    assert (e.comparator_per_1000, e.intervention_per_1000, e.difference_per_1000) == (11, 10, 0)


@pytest.mark.parametrize("measure", sorted(RATIO_MEASURES))
def test_no_risk_in_the_comparison_group(measure: str) -> None:
    assert summary("0", measure, "0.5", ("0.25", "4")) == (0, 0, (0, 0), 0, (0, 0))


def test_everyone_has_the_event_in_the_comparison_group() -> None:
    """p0 = 1: RR scales it (0.5 → 500, and 2 → 2000: out of range); OR and HR leave it at 1."""
    assert summary("1", "RR", "0.5", ("0.25", "0.75")) == (1000, 500, (250, 750), -500, (-750, -250))
    assert summary("1", "OR", "0.5", ("0.25", "4")) == (1000, 1000, (1000, 1000), 0, (0, 0))
    assert summary("1", "HR", "0.5", ("0.25", "4")) == (1000, 1000, (1000, 1000), 0, (0, 0))
    assert not within_range(absolute_effect(D("1"), "RR", D("2")))


def test_rr_beyond_1000_per_1000_is_detected() -> None:
    assert not within_range(absolute_effect(D("0.6"), "RR", D("1.5"), (D("1.2"), D("2.0"))))  # 900 (720 to 1200)
    assert not within_range(absolute_effect(D("0.6"), "RR", D("1.2"), (D("0.9"), D("1.6667"))))  # only the limit
    # 1000.4 per 1,000 prints as 1,000 yet is impossible: judged on the exact value
    assert not within_range(absolute_effect(D("0.5"), "RR", D("2.0008")))
    assert within_range(absolute_effect(D("0.5"), "RR", D("2")))


def test_refuses_what_has_no_absolute_effect() -> None:
    with pytest.raises(ValueError):
        risk_with_intervention(D("0.2"), "MD", D("-3"))
    with pytest.raises(ValueError):
        risk_with_intervention(D("1.2"), "RR", D("0.5"))
    with pytest.raises(ValueError):
        risk_with_intervention(D("-0.1"), "OR", D("0.5"))
    with pytest.raises(ValueError):
        risk_with_intervention(D("0.2"), "HR", D("0"))


def test_change_words_the_sign() -> None:
    assert [change(d) for d in (-197, 0, 3)] == ["fewer", "same", "more"]


def test_measure_kinds_cover_the_models_measures() -> None:
    [measure] = [f for f in dataclasses.fields(Effect) if f.name == "measure"]
    choices = set(measure.metadata["choices"])
    assert RATIO_MEASURES | DIFFERENCE_MEASURES == choices and not RATIO_MEASURES & DIFFERENCE_MEASURES
    assert CONTINUOUS_MEASURES < DIFFERENCE_MEASURES
    assert {m: measure_kind(m) for m in ("RR", "OR", "HR", "MD", "SMD", "RD")} == {
        "RR": "ratio",
        "OR": "ratio",
        "HR": "ratio",
        "MD": "difference",
        "SMD": "difference",
        "RD": "difference",
    }
    assert [is_continuous(m) for m in ("MD", "SMD", "RD", "RR")] == [True, True, False, False]
    with pytest.raises(ValueError):
        measure_kind("NNT")


proportions = st.decimals(min_value=0, max_value=1, places=4)
ratios = st.decimals(min_value=D("0.01"), max_value=D("50"), places=3)


@given(proportions, st.sampled_from(sorted(RATIO_MEASURES)), st.lists(ratios, min_size=3, max_size=3))
def test_the_difference_ci_contains_the_difference(p0: Decimal, measure: str, three: list[Decimal]) -> None:
    low, value, high = sorted(three)
    e = absolute_effect(p0, measure, value, (low, high))
    assert e.difference_ci_per_1000 is not None and e.intervention_ci_per_1000 is not None
    assert e.difference_ci_per_1000[0] <= e.difference_per_1000 <= e.difference_ci_per_1000[1]
    assert e.intervention_ci_per_1000[0] <= e.intervention_per_1000 <= e.intervention_ci_per_1000[1]


@given(proportions, st.sampled_from(["OR", "HR"]), ratios, ratios)
def test_or_and_hr_stay_within_0_to_1000(p0: Decimal, measure: str, a: Decimal, b: Decimal) -> None:
    e = absolute_effect(p0, measure, min(a, b), (min(a, b), max(a, b)))
    assert within_range(e)
    assert e.intervention_ci_per_1000 is not None
    assert all(0 <= v <= 1000 for v in (e.intervention_per_1000, *e.intervention_ci_per_1000))


@given(proportions, ratios)
def test_rr_leaves_the_range_exactly_when_p0_times_rr_exceeds_1(p0: Decimal, rr: Decimal) -> None:
    assert within_range(absolute_effect(p0, "RR", rr)) == (p0 * rr <= 1)
