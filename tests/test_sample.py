"""The sample guideline: it checks clean and is as rich as the foundation issue asks."""

from __future__ import annotations

import re

import pytest

from guidegen.checks import check_guideline
from guidegen.problems import Severity

from .conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    guideline, problems = check_guideline(SAMPLE)
    assert guideline is not None
    return guideline, problems


def test_sample_has_no_errors_and_warns_only_of_undeclared_interests(sample) -> None:  # type: ignore[no-untyped-def]
    """The committee is role placeholders whose interests nobody has declared: the check says so (E126), and nothing
    else."""
    g, problems = sample
    warned = [p for p in problems if p.severity is not Severity.INFO]
    assert [p.code for p in warned] == ["E126"] * len(warned)
    undeclared = [m for m in g.meta.committee if m.interests == "[To be declared]"]
    assert len(warned) == len(undeclared) and all(p.position.file.endswith("guideline.yaml") for p in warned)


def test_every_graded_recommendation_has_a_whole_etd_and_absolute_effects_where_evidence_md_gives_risks(sample) -> None:  # type: ignore[no-untyped-def]
    g, _ = sample
    graded = [r for _, r in g.recommendations() if r.type == "recommendation"]
    assert graded and all(r.etd is not None and all(j is not None for _, j in r.etd.criteria()) for r in graded)
    risks = {o.name: o.assumed_risk for p in g.profiles for o in p.outcomes if o.assumed_risk is not None}
    # SUSTAIN-1's placebo arms: the only comparison-group risks it gives for a ratio
    assert sorted(str(v) for v in risks.values()) == ["0.453", "0.576"]
    assert g.meta.funding


def test_sample_is_complete(sample) -> None:  # type: ignore[no-untyped-def]
    g, _ = sample
    recs = [r for _, r in g.recommendations()]
    assert len(g.sections) >= 4
    assert len(recs) >= 10
    assert sum(r.type == "good-practice" for r in recs) >= 3
    assert any(r.strength == "strong" for r in recs)
    assert any(r.direction == "against" for r in recs)
    assert any(r.type == "research" for r in recs)
    assert len(g.profiles) >= 5
    assert len(g.references) >= 20
    assert g.meta.languages == ("uz", "ru", "en") and g.meta.source_language == "en"


def test_committee_uses_role_placeholders(sample) -> None:  # type: ignore[no-untyped-def]
    g, _ = sample
    assert all(m.name.startswith("[") and m.name.endswith("]") for m in g.meta.committee)


EVIDENCE = ROOT.parent / "shared" / "domain" / "evidence.md"


@pytest.mark.skipif(not EVIDENCE.is_file(), reason="shared/domain/evidence.md not beside the checkout")
def test_identifiers_come_from_the_evidence_base(sample) -> None:  # type: ignore[no-untyped-def]
    """Every DOI, PMID and PMCID of the sample appears in the verified evidence base: none is invented."""
    g, _ = sample
    evidence = EVIDENCE.read_text()
    for ref in g.references:
        for key in ("DOI", "PMID", "PMCID"):
            value = ref.get(key)
            if value:
                assert value in evidence, f"{ref.id} {key} {value}"


@pytest.mark.skipif(not EVIDENCE.is_file(), reason="shared/domain/evidence.md not beside the checkout")
def test_effect_figures_come_from_the_evidence_base(sample) -> None:  # type: ignore[no-untyped-def]
    g, _ = sample
    text = EVIDENCE.read_text().replace("−", "-")
    for profile in g.profiles:
        for outcome in profile.outcomes:
            if outcome.effect is None:
                continue
            for number in (outcome.effect.value, *(outcome.effect.ci or ())):
                shown = str(number)
                assert re.search(rf"(?<![\d.]){re.escape(shown)}(?!\d)", text), (
                    f"{profile.id}: {shown} not in evidence.md"
                )
