"""No term drift: every glossary term is rendered one way in every message (issue 18, item 4).

`guidegen check` enforces translations/glossary.yaml through ``Glossary.missing`` (T108), paragraph
by paragraph.  This test uses the same glossary and the same matcher, but walks the catalogs
themselves: every message of the sample's guideline catalogs and of the tool's label catalogs
(which T108 never sees), and it also applies the glossary's ``avoid:`` lists, variants that must
not appear anywhere in a language's catalogs.  It proves the sample is clean, and that a drifted
message is caught both here and by the T check.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

from guidegen.checks import check_guideline
from guidegen.i18n.catalogs import po_path, read_catalog
from guidegen.i18n.glossary import GLOSSARY, Glossary, _pattern, load_glossary
from guidegen.i18n.labels import package_po
from guidegen.load import load_guideline
from guidegen.yamlsrc import Mapping, Scalar, Sequence, load

from .conftest import SAMPLE

LANGS = ("ru", "uz")
# the effect measures the tables print by their code, and the label each code is explained by
MEASURES = {
    "MD": "mean difference",
    "SMD": "standardised mean difference",
    "RR": "risk ratio",
    "OR": "odds ratio",
    "HR": "hazard ratio",
    "RD": "risk difference",
}


def sample_glossary() -> Glossary:
    guideline, _ = load_guideline(SAMPLE)
    assert guideline is not None
    glossary, problems = load_glossary(guideline)
    assert problems == []
    return glossary


def avoid_lists(glossary_file: Path) -> dict[str, list[re.Pattern[str]]]:
    """lang -> the variants to avoid, as whole-word patterns ('*' = any ending), case-sensitive:
    "СО" (standard error misread as standard deviation) is not the preposition "со"."""
    node, problems = load(glossary_file, str(glossary_file))
    assert problems == [] and isinstance(node, Mapping)
    terms = node.get("terms")
    assert isinstance(terms, Sequence)
    out: dict[str, list[re.Pattern[str]]] = {}
    for item in terms.items:
        avoid = item.get("avoid") if isinstance(item, Mapping) else None
        if not isinstance(avoid, Mapping):
            continue
        for lang, variants in avoid.items:
            assert isinstance(variants, Sequence), f"avoid.{lang.value} is a list"
            for variant in variants.items:
                assert isinstance(variant, Scalar)
                out.setdefault(lang.value, []).append(re.compile(_pattern(variant.value).pattern))
    return out


def drift(
    glossary: Glossary, avoid: dict[str, list[re.Pattern[str]]], source: str, target: str, lang: str
) -> list[str]:
    found = [f"'{t.source}' should be rendered as '{t.targets[lang]}'" for t in glossary.missing(source, target, lang)]
    found += [f"'{m.group()}' is a variant to avoid" for p in avoid.get(lang, []) for m in p.finditer(target)]
    return found


def texts(message: Message) -> tuple[str, str]:
    """A message's source and translation; a plural message's forms joined."""
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return "\n".join(ids), "\n".join(s for s in strings if s)


def catalog(path: Path, lang: str) -> Catalog:
    cat, problems = read_catalog(path, str(path), lang)
    assert cat is not None and problems == [], problems
    return cat


def catalogs(lang: str) -> list[tuple[str, Catalog]]:
    guideline, _ = load_guideline(SAMPLE)
    assert guideline is not None
    return [
        (name, catalog(path, lang))
        for name, path in (("guideline", po_path(guideline, lang)), ("labels", package_po(lang)))
    ]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return sample_glossary()


@pytest.fixture(scope="module")
def avoid() -> dict[str, list[re.Pattern[str]]]:
    return avoid_lists(SAMPLE.parent / "translations" / GLOSSARY)


def test_each_ratio_has_its_own_term_in_each_language(glossary: Glossary) -> None:
    by_source = {t.source: t.targets for t in glossary.terms}
    for lang in LANGS:
        ratios = [by_source[name][lang] for name in ("hazard ratio", "risk ratio", "odds ratio")]
        assert len(set(ratios)) == 3, f"{lang}: HR, RR and OR share a name: {ratios}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_term_drift_in_any_message(glossary: Glossary, avoid: dict[str, list[re.Pattern[str]]], lang: str) -> None:
    problems = []
    walked = 0
    for name, cat in catalogs(lang):
        for message in cat:
            source, target = texts(message)
            if not message.id or not target:
                continue
            walked += 1
            problems += [
                f"{name} {message.context or ''} '{source[:40]}': {d}"
                for d in drift(glossary, avoid, source, target, lang)
            ]
    assert walked > 300
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_abbreviations_are_the_codes_and_the_labels_the_tables_print(lang: str) -> None:
    """The abbreviation list explains HR, OR… with the words of the tool's 'Effect measures' labels."""
    guide, labels = (cat for _, cat in catalogs(lang))
    listed = [code for code in MEASURES if guide.get(code, context=f"abbr-{code}:term") is not None]
    assert {"HR", "OR", "MD", "SMD", "RD"} <= set(listed)
    for code in listed:
        term = guide.get(code, context=f"abbr-{code}:term")
        meaning = next(m for m in guide if m.context == f"abbr-{code}:meaning")
        label = labels.get(MEASURES[code])
        assert term is not None and label is not None
        assert term.string == code, f"{lang}: the tables print {code}, the abbreviation list '{term.string}'"
        assert str(meaning.string).casefold() == str(label.string).casefold(), (
            f"{lang} {code}: '{meaning.string}' vs label '{label.string}'"
        )


def test_a_drifted_message_is_caught(glossary: Glossary, avoid: dict[str, list[re.Pattern[str]]]) -> None:
    source = "Relapse was less frequent (hazard ratio 0.49)."
    assert drift(glossary, avoid, source, "Рецидивы возникали реже (отношение рисков 0,49).", "ru") == []
    found = drift(glossary, avoid, source, "Рецидивы возникали реже (отношение интенсивностей 0,49).", "ru")
    assert any("'hazard ratio'" in d for d in found) and any("отношение интенсивностей" in d for d in found)
    # the tool's labels: a second name for the odds ratio, a left-over calque, SE read as SD
    assert drift(glossary, avoid, "odds ratio", "imkoniyatlar nisbati", "uz")
    assert drift(glossary, avoid, "Nausea and vertigo", "Koʻngil aynishi va vertigo", "uz")
    assert drift(glossary, avoid, "SE", "СО", "ru")
    assert drift(glossary, avoid, "(95% CI 56.9–92.2)", "(95% CI 56,9–92,2)", "uz")
    assert not drift(glossary, avoid, "(95% CI 56.9–92.2)", "(95% IO 56,9–92,2)", "uz")


def test_the_t_check_reports_a_drifted_paragraph(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path / "guideline")
    shutil.copytree(SAMPLE.parent / "translations", tmp_path / "translations")
    po = tmp_path / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    text = po.read_text(encoding="utf-8")
    assert text.count("отношение рисков") >= 3  # the abbreviation list, and HR 0.49 and 0.30 in one rationale, at least
    po.write_text(text.replace("отношение рисков", "отношение интенсивностей"), encoding="utf-8")
    _, problems = check_guideline(tmp_path / "guideline")
    t108 = [(p.position.line, p.message) for p in problems if p.code == "T108"]
    assert t108 and {m for _, m in t108} == {
        "ru: glossary term 'hazard ratio' should be rendered as 'отношени* рисков'"
    }
    lines = text.splitlines()
    contexts = {next(s for s in reversed(lines[:line]) if s.startswith("msgctxt")) for line, _ in t108}
    assert {'msgctxt "abbr-HR:meaning"', 'msgctxt "esk-continuation:rationale"'} <= contexts
