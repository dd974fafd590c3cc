"""T checks: each finds what a reviewer would, at the catalog line where it stands."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidegen.atomic import write_atomic
from guidegen.checks import check_guideline
from guidegen.i18n import catalogs

from .test_catalogs import entries, guideline_with_languages, translate_all, update

RU = {
    "Base guideline for test cases": "Базовое руководство для тестов",
    "Test issuer": "Тестовый издатель",
    "[Institution]": "[Учреждение]",
    "Test funder; it had no role in the recommendations.": (
        "Тестовый спонсор; он не участвовал в подготовке рекомендаций."
    ),
    "Benefit in one trial [@smith2020].": "Польза в одном исследовании [@smith2020].",
    "Costs are not known.": "Затраты неизвестны.",
    "A minimal, valid guideline that test cases add to or replace.": (
        "Минимальное корректное руководство, которое тесты дополняют или заменяют."
    ),
    "TRD": "TRD",
    "treatment-resistant depression": "резистентная депрессия",
    "Base section": "Базовый раздел",
    "Background with a citation [@smith2020].": "Общие сведения со ссылкой [@smith2020].",
    "We suggest the intervention.": "Мы предлагаем вмешательство.",
    "Benefits probably outweigh harms.": "Польза, вероятно, перевешивает вред.",
    "Explain the treatment to the patient.": "Объясните пациенту лечение.",
    "Informed consent is a duty.": "Информированное согласие — обязанность.",
    "Should the intervention be used?": "Следует ли применять вмешательство?",
    "Adults": "Взрослые",
    "Intervention": "Вмешательство",
    "Placebo": "Плацебо",
    "Response": "Ответ",
}


def setup(tmp_path: Path, changes: dict[str, str], lang: str = "ru") -> tuple[Path, Path]:
    root = guideline_with_languages(tmp_path, f"[{lang}, en]")
    update(root)
    po = translate_all(root, lang, lambda s: changes.get(s, RU[s]))
    return root, po


def found(root: Path) -> set[tuple[str, int]]:
    _, problems = check_guideline(root)
    return {(p.code, p.position.line) for p in problems if p.code.startswith("T")}


def line_of(po: Path, msgid: str) -> int:
    cat = entries(po)
    return next(m.lineno for m in cat if m.id == msgid)  # type: ignore[return-value]


def test_faithful_translation_is_clean(tmp_path: Path) -> None:
    root, _ = setup(tmp_path, {})
    assert found(root) == set()


@pytest.mark.parametrize(
    ("msgid", "translation", "code"),
    [
        ("Background with a citation [@smith2020].", "Общие сведения со ссылкой.", "T104"),
        ("Background with a citation [@smith2020].", "Общие сведения [@smith2020; @smith2020].", "T104"),
        ("We suggest the intervention.", "Мы предлагаем *вмешательство*.", "T106"),
        ("Informed consent is a duty.", "Информированное согласие — обязанность 2.", "T105"),
        (
            "A minimal, valid guideline that test cases add to or replace.",
            "A minimal, valid guideline that test cases add to or replace.",
            "T109",
        ),
        ("treatment-resistant depression", "депрессия", "T108"),
    ],
)
def test_unfaithful_translation(tmp_path: Path, msgid: str, translation: str, code: str) -> None:
    glossary = tmp_path / "g" / "translations" / "glossary.yaml"
    root, po = setup(tmp_path, {msgid: translation})
    glossary.write_text('terms:\n  - en: treatment-resistant depression\n    ru: "резистентн* депресси*"\n')
    assert found(root) == {(code, line_of(po, msgid))}


def test_doses_survive_with_a_decimal_comma(tmp_path: Path) -> None:
    root, po = setup(tmp_path, {})
    section = root / "sections" / "01-base.yaml"
    section.write_text(
        section.read_text().replace("We suggest the intervention.", "We suggest 0.5 mg/kg over 40 minutes.")
    )
    update(root)
    cat = entries(po)
    message = cat.get("We suggest 0.5 mg/kg over 40 minutes.", context="base-rec:text")
    assert message is not None and message.fuzzy
    message.flags.discard("fuzzy")
    message.string = "Предлагаем 0,5 мг/кг в течение 40 минут."
    write_atomic(po, catalogs.dumps(cat))
    assert found(root) == set()
    message.string = "Предлагаем 5 мг/кг в течение 40 минут."
    write_atomic(po, catalogs.dumps(cat))
    assert found(root) == {("T105", line_of(po, "We suggest 0.5 mg/kg over 40 minutes."))}


def test_missing_fuzzy_and_obsolete(tmp_path: Path) -> None:
    root, _po = setup(tmp_path, {"Adults": ""})
    section = root / "sections" / "01-base.yaml"
    section.write_text(
        section.read_text().replace("Benefits probably outweigh harms.", "Benefits clearly outweigh harms.")
    )
    update(root)
    codes = {code for code, _ in found(root)}
    assert codes == {"T101", "T102"}
    section.write_text(section.read_text().split("  - id: base-gps")[0])
    update(root)
    codes = {code for code, _ in found(root)}
    assert codes == {"T101", "T102", "T103"}


@pytest.mark.parametrize(
    ("word", "code"),
    [("o'zbek", "T107"), ("gʻoʻza", None), ("o‘zbek", "T107"), ("ta'sir", "T107"), ("taʼsir", None), ("o`rta", "T107")],
)
def test_uzbek_apostrophes(tmp_path: Path, word: str, code: str | None) -> None:
    def uz(s: str) -> str:
        return f"{word} {RU[s]}" if s == "Informed consent is a duty." else RU[s]

    root = guideline_with_languages(tmp_path, "[uz, en]")
    update(root)
    po = translate_all(root, "uz", uz)
    problems = [p for p in check_guideline(root)[1] if p.code == "T107"]
    if code is None:
        assert problems == []
    else:
        assert [(p.code, p.position.line) for p in problems] == [(code, line_of(po, "Informed consent is a duty."))]
        assert "U+02BB" in problems[0].message or "U+02BC" in problems[0].message


@pytest.mark.parametrize(
    ("damage", "line"),
    [
        (lambda t: t.replace('msgstr "Базовый раздел"', 'msgstr "Базовый раздел'), None),
        (lambda t: t.replace("charset=utf-8", "charset=KOI8-R"), None),
        (lambda t: t.replace("nplurals=3", "nplurals=x"), None),
        (lambda t: t + '\nmsgctxt "base-section:title"\nmsgid "Base section"\nmsgstr "Дубль"\n', None),
    ],
    ids=["syntax", "charset", "plural-forms", "duplicate"],
)
def test_broken_catalog_is_a_clear_error_not_a_traceback(tmp_path: Path, damage, line) -> None:  # type: ignore[no-untyped-def]
    root, po = setup(tmp_path, {})
    po.write_text(damage(po.read_text()))
    _, problems = check_guideline(root)
    t110 = [p for p in problems if p.code == "T110"]
    assert len(t110) >= 1 and t110[0].position.line > 0, problems
    assert t110[0].position.file.endswith("guideline.po")


def test_characters_missing_from_the_theme_fonts_are_named(tmp_path: Path) -> None:
    root, po = setup(tmp_path, {"Adults": "Взрослые 漢"})
    problems = [p for p in check_guideline(root)[1] if p.code == "T112"]
    assert [(p.position.line, "U+6F22" in p.message) for p in problems] == [(line_of(po, "Adults"), True)]
