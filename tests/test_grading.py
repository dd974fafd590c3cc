"""Grading schemes as data: GRADE's Evidence-to-Decision criteria and informative statements, and bad scheme files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guidegen.grading import STATEMENT_EFFECTS, load_scheme, statement_for
from guidegen.model import Scheme
from guidegen.problems import Position

LANGUAGES = {"en", "ru", "uz"}
# GRADE EtD for clinical recommendations (Alonso-Coello et al., BMJ 2016), in the framework's order
CRITERIA = [
    "problem",
    "desirable",
    "undesirable",
    "certainty",
    "values",
    "balance",
    "resources",
    "resources-certainty",
    "cost-effectiveness",
    "equity",
    "acceptability",
    "feasibility",
]
YES_NO = ["no", "probably-no", "probably-yes", "yes", "varies", "dont-know"]
FAVOURS = [
    "favors-comparison",
    "probably-favors-comparison",
    "favors-neither",
    "probably-favors-intervention",
    "favors-intervention",
    "varies",
]
CERTAINTY = ["very-low", "low", "moderate", "high", "no-included-studies"]


def builtin(name: str) -> Scheme:
    scheme, problems = load_scheme(name, Path("."), "", Position("guideline.yaml", 3, 10))
    assert problems == [] and scheme is not None
    return scheme


def from_file(tmp_path: Path, text: str) -> tuple[Scheme | None, list[str]]:
    (tmp_path / "scheme.yaml").write_text(text, encoding="utf-8")
    scheme, problems = load_scheme("scheme.yaml", tmp_path, "g", Position("g/guideline.yaml", 3, 10))
    return scheme, [f"{p.code} {p.position}" for p in problems]


def test_grade_has_the_twelve_etd_criteria_in_order_with_their_scales() -> None:
    etd = {c.id: [j.id for j in c.scale] for c in builtin("grade").etd}
    assert list(etd) == CRITERIA
    assert etd["problem"] == etd["acceptability"] == etd["feasibility"] == YES_NO
    assert etd["desirable"] == ["trivial", "small", "moderate", "large", "varies", "dont-know"]
    assert etd["undesirable"] == ["large", "moderate", "small", "trivial", "varies", "dont-know"]
    assert etd["certainty"] == etd["resources-certainty"] == CERTAINTY
    assert etd["values"] == [
        "important-uncertainty",
        "possibly-important-uncertainty",
        "probably-no-important-uncertainty",
        "no-important-uncertainty",
    ]
    assert etd["balance"] == [*FAVOURS, "dont-know"]
    assert etd["cost-effectiveness"] == [*FAVOURS, "no-included-studies"]
    assert etd["resources"] == [
        "large-costs",
        "moderate-costs",
        "negligible",
        "moderate-savings",
        "large-savings",
        "varies",
        "dont-know",
    ]
    assert etd["equity"] == [
        "reduced",
        "probably-reduced",
        "probably-no-impact",
        "probably-increased",
        "increased",
        "varies",
        "dont-know",
    ]


def test_every_criterion_and_judgement_is_labelled_in_three_languages() -> None:
    scheme = builtin("grade")
    for criterion in scheme.etd:
        assert set(criterion.label) == LANGUAGES and all(criterion.label.values()), criterion.id
        assert criterion.label["en"].endswith("?")
        for judgement in criterion.scale:
            assert set(judgement.label) == LANGUAGES and all(judgement.label.values()), (criterion.id, judgement.id)


def test_uzbek_uses_the_modifier_letters_never_apostrophes() -> None:
    """oʻ gʻ take U+02BB and the tutuq U+02BC: never ', ‘, ’ or ` in Uzbek text."""
    scheme = builtin("grade")
    texts = [c.label["uz"] for c in scheme.etd] + [j.label["uz"] for c in scheme.etd for j in c.scale]
    texts += [s.text["uz"] for s in scheme.statements]
    for text in texts:
        assert not re.search("['‘’`]", text), text
        assert all(ch in "oOgG" for ch in re.findall("(.)\u02bb", text)), text


def test_the_etd_certainty_judgements_name_the_recommendation_certainties() -> None:
    scheme = builtin("grade")
    [certainty] = [c for c in scheme.etd if c.id == "certainty"]
    mapped = {j.id: j.certainty for j in certainty.scale if j.certainty}
    assert mapped == {"very-low": "very-low", "low": "low", "moderate": "moderate", "high": "high"}
    assert set(mapped.values()) == {level.id for level in scheme.certainty}
    judgement = certainty.judgement("no-included-studies")
    assert judgement is not None and judgement.certainty == ""
    assert certainty.judgement("unknown") is None
    [costs] = [c for c in scheme.etd if c.id == "resources-certainty"]
    assert all(j.certainty == "" for j in costs.scale)


def test_statements_exist_for_every_certainty_and_effect_in_three_languages() -> None:
    scheme = builtin("grade")
    assert len(scheme.statements) == len(scheme.certainty) * len(STATEMENT_EFFECTS)
    for level in scheme.certainty:
        for effect in STATEMENT_EFFECTS:
            statement = statement_for(scheme, level.id, effect)
            assert statement is not None, (level.id, effect)
            assert set(statement.text) == LANGUAGES and all(statement.text.values())
    words = {(s.certainty, s.effect): s.text["en"] for s in scheme.statements}
    assert words["high", "reduction"] == "Reduces"
    assert words["moderate", "reduction"] == "Probably reduces"
    assert words["low", "reduction"] == "May reduce"
    assert words["low", "little-or-no-difference"] == "May result in little to no difference"
    assert words["very-low", "reduction"].startswith("It is uncertain whether")
    assert words["very-low", "increase"].endswith("because the certainty of the evidence is very low")


def test_order_103n_has_no_etd_and_no_statements() -> None:
    scheme = builtin("ru-103n")
    assert scheme.etd == () and scheme.statements == ()
    assert statement_for(scheme, "1", "reduction") is None


def test_the_existing_fields_load_as_before() -> None:
    scheme = builtin("grade")
    assert [level.id for level in scheme.certainty] == ["high", "moderate", "low", "very-low"]
    assert scheme.profile_rule == "lowest-critical" and scheme.justify_strength == ("strong",)
    assert [level.id for level in builtin("ru-103n").strength] == ["A", "B", "C"]


MINIMAL = """\
id: mini
strength: [{id: strong}]
direction: [{id: for}]
certainty: [{id: high}, {id: low}]
"""


def test_a_scheme_without_decision_parts_still_loads(tmp_path: Path) -> None:
    scheme, problems = from_file(tmp_path, MINIMAL)
    assert problems == [] and scheme is not None and scheme.etd == () and scheme.statements == ()


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        # a criterion without a scale: reported at the criterion
        ("etd:\n  - id: problem\n    label: {en: Is the problem a priority?}\n", ["S008 g/scheme.yaml:6:5"]),
        # an empty scale
        ("etd:\n  - id: problem\n    label: {en: Q?}\n    scale: []\n", ["S006 g/scheme.yaml:8:12"]),
        # a judgement without an id, and one with a misspelt key
        (
            "etd:\n  - id: problem\n    label: {en: Q?}\n    scale:\n      - label: {en: 'No'}\n"
            "      - id: 'yes'\n        lable: {en: 'Yes'}\n",
            ["S008 g/scheme.yaml:9:9", "S005 g/scheme.yaml:11:9", "S008 g/scheme.yaml:10:9"],
        ),
        # etd that is not a list
        ("etd: {problem: yes}\n", ["S006 g/scheme.yaml:5:6"]),
        # a certainty mapping to no certainty of the scheme
        (
            "etd:\n  - id: certainty\n    label: {en: Q?}\n    scale:\n"
            "      - {id: low, certainty: lo, label: {en: Low}}\n",
            ["S007 g/scheme.yaml:9:30"],
        ),
        # the same criterion twice
        (
            "etd:\n  - {id: equity, label: {en: Q?}, scale: [{id: 'no', label: {en: 'No'}}]}\n"
            "  - {id: equity, label: {en: Q?}, scale: [{id: 'no', label: {en: 'No'}}]}\n",
            ["S009 g/scheme.yaml:7:5"],
        ),
        # statements: an unknown certainty, a misspelt effect, and what is then missing
        (
            "statements:\n  hihg: {}\n  low: {reduction: {en: May reduce}, increase: {en: May increase},"
            " little-or-no-diference: {en: x}}\n",
            [
                "S007 g/scheme.yaml:6:3",
                "S007 g/scheme.yaml:7:68",
                "S008 g/scheme.yaml:7:3",
                "S008 g/scheme.yaml:6:3",
            ],
        ),
        # a statement that is not a mapping of language to text
        (
            "statements:\n  high: {reduction: Reduces}\n",
            ["S006 g/scheme.yaml:6:21", "S008 g/scheme.yaml:6:3", "S008 g/scheme.yaml:6:3", "S008 g/scheme.yaml:6:3"],
        ),
    ],
)
def test_malformed_decision_parts_are_problems_with_positions(tmp_path: Path, yaml: str, expected: list[str]) -> None:
    scheme, problems = from_file(tmp_path, MINIMAL + yaml)
    assert scheme is None
    assert sorted(problems) == sorted(expected)
