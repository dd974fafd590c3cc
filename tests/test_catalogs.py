"""Catalogs: extraction, merge that never loses a translation, stats, localizing, T checks."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.atomic import write_atomic
from guidegen.checks import check_guideline
from guidegen.i18n import catalogs
from guidegen.i18n.localize import localize
from guidegen.load import load_guideline

from .conftest import CASES, ROOT


def guideline_with_languages(tmp: Path, languages: str = "[ru, uz, en]") -> Path:
    root = tmp / "g"
    shutil.copytree(CASES / "base", root)
    meta = root / "guideline.yaml"
    meta.write_text(
        meta.read_text()
        .replace("languages: [en]", f"languages: {languages}")
        .replace("evidence: evidence", "evidence: evidence\ntranslations: translations")
    )
    return root


def translate_all(root: Path, lang: str, fn=lambda s: "ПЕРЕВОД " + s) -> Path:  # type: ignore[no-untyped-def]
    g, _ = load_guideline(root)
    assert g is not None
    pot = catalogs.template(g)
    cat = catalogs.new_catalog(pot, lang)
    for m in cat:
        if m.id:
            m.string = fn(str(m.id))
    path = catalogs.po_path(g, lang)
    write_atomic(path, catalogs.dumps(cat))
    return path


def update(root: Path) -> None:
    from guidegen.cli import main

    assert main(["update", str(root)], open("/dev/null", "w"), sys.stderr) == 0


def entries(path: Path) -> Catalog:
    lang = path.parent.parent.name
    cat, problems = catalogs.read_catalog(path, str(path), lang)
    assert cat is not None and problems == [], problems
    return cat


def test_pybabel_extract_uses_our_extractor_and_agrees_with_update(tmp_path: Path) -> None:
    out = tmp_path / "x.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o", str(out), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with out.open("rb") as f:
        pot = read_po(f)
    extracted = {(m.context, m.id) for m in pot if m.id}
    g, _ = load_guideline(ROOT / "guideline")
    assert g is not None
    ours = {(m.context, m.id) for m in catalogs.template(g) if m.id}
    assert extracted == ours
    rationale = next(m for m in pot if m.context == "esk-add-on:rationale")
    assert rationale.auto_comments[0].startswith("Recommendation 2.1 — rationale, paragraph 1 of 2")
    assert rationale.locations[0][0].endswith("sections/02-esketamine.yaml")


def test_one_message_per_paragraph_with_field_context(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path)
    g, _ = load_guideline(root)
    pot = catalogs.template(g)  # type: ignore[arg-type]
    assert pot.get("Background with a citation [@smith2020].", context="base-section:text") is not None
    assert pot.get("Benefits probably outweigh harms.", context="base-rec:rationale") is not None


def test_update_marks_changed_text_fuzzy_with_previous_and_keeps_removed_as_obsolete(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path)
    update(root)
    po = translate_all(root, "ru")
    section = root / "sections" / "01-base.yaml"
    text = section.read_text()
    text = text.replace("Benefits probably outweigh harms.", "Benefits clearly outweigh harms.")
    text = text.replace("      Informed consent is a duty.\n", "      Consent matters.\n")
    section.write_text(text)
    update(root)
    cat = entries(po)
    changed = cat.get("Benefits clearly outweigh harms.", context="base-rec:rationale")
    assert changed is not None and changed.fuzzy
    assert changed.previous_id == ["Benefits probably outweigh harms."]
    assert changed.string == "ПЕРЕВОД Benefits probably outweigh harms."
    raw = po.read_text()
    assert '#| msgid "Benefits probably outweigh harms."' in raw
    # a removed recommendation's messages become obsolete, with their translations
    section.write_text(text.split("  - id: base-gps")[0])
    update(root)
    raw = po.read_text()
    assert '#~ msgid "Explain the treatment to the patient."' in raw
    assert '#~ msgstr "ПЕРЕВОД Explain the treatment to the patient."' in raw


def test_restored_text_gets_its_translation_back(tmp_path: Path) -> None:
    """Found by the property test: a block removed (obsolete) then restored must not come back untranslated."""
    root = guideline_with_languages(tmp_path)
    update(root)
    po = translate_all(root, "ru")
    section = root / "sections" / "01-base.yaml"
    original = section.read_text()
    section.write_text(original.split("  - id: base-gps")[0])
    update(root)
    section.write_text(original)
    update(root)
    message = entries(po).get("Explain the treatment to the patient.", context="base-gps:text")
    assert (
        message is not None and message.string == "ПЕРЕВОД Explain the treatment to the patient." and not message.fuzzy
    )
    assert "#~" not in po.read_text()


def test_translator_comments_survive_update(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path)
    update(root)
    po = translate_all(root, "ru")
    po.write_text(po.read_text().replace("#. Guideline — title", "# Checked with the committee.\n#. Guideline — title"))
    update(root)
    assert "# Checked with the committee." in po.read_text()


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["edit", "add", "remove", "drop-rec", "restore"]),
        st.integers(0, 5),
        st.text("abcdefghij klmnop", min_size=1, max_size=30),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_no_translation_is_ever_lost(edits: list[tuple[str, int, str]]) -> None:
    """Whatever the committee does to the YAML, an update keeps every translation the catalog held: active, fuzzy or
    obsolete."""
    with tempfile.TemporaryDirectory() as tmp:
        root = guideline_with_languages(Path(tmp), "[ru, en]")
        update(root)
        po = translate_all(root, "ru")
        ever = {str(m.string) for m in entries(po) if m.id}
        section = root / "sections" / "01-base.yaml"
        original = section.read_text()
        paragraphs = ["Benefits probably outweigh harms."]
        for action, index, words in edits:
            text = section.read_text()
            if action == "edit" and paragraphs:
                old = paragraphs[index % len(paragraphs)]
                new = f"{old} {words.strip() or 'x'}"
                text = text.replace(f"      {old}\n", f"      {new}\n", 1)
                paragraphs[index % len(paragraphs)] = new
            elif action == "add":
                new = f"Added {words.strip() or 'x'} {index}."
                text = text.replace("    rationale: |\n", f"    rationale: |\n      {new}\n\n", 1)
                paragraphs.insert(0, new)
            elif action == "remove" and len(paragraphs) > 1:
                gone = paragraphs.pop(index % len(paragraphs))
                text = text.replace(f"      {gone}\n\n", "", 1).replace(f"\n\n      {gone}\n", "\n", 1)
            elif action == "drop-rec":
                text = text.split("  - id: base-gps")[0]
            elif action == "restore":
                text, paragraphs = original, ["Benefits probably outweigh harms."]
            section.write_text(text)
            g, _problems = load_guideline(root)
            if g is None:
                continue
            update(root)
            now = entries(po)
            kept = {str(m.string) for m in now if m.id} | {str(m.string) for m in now.obsolete.values()}
            assert ever <= kept
            # a translator's work on the fuzzy entries counts too
            for m in now:
                if m.id and m.string and m.fuzzy:
                    m.string = f"{m.string} (reviewed)"
                    m.flags.discard("fuzzy")
            write_atomic(po, catalogs.dumps(now))
            # what the catalog holds now (the translator replaced fuzzy strings by reviewing them) must survive the
            # next update
            ever = {str(m.string) for m in now if m.id and m.string} | {str(m.string) for m in now.obsolete.values()}


def test_stats_counts(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path)
    update(root)
    translate_all(root, "ru")
    g, _ = load_guideline(root)
    assert g is not None
    ru = catalogs.statistics(g, "ru", entries(catalogs.po_path(g, "ru")))
    uz = catalogs.statistics(g, "uz", entries(catalogs.po_path(g, "uz")))
    assert (ru.translated, ru.missing, ru.percent) == (ru.total, 0, 100.0)
    assert (uz.translated, uz.missing) == (0, uz.total)


def test_localize_returns_a_new_model_and_marks_fallbacks(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path)
    update(root)
    po = translate_all(root, "ru")
    cat = entries(po)
    cat.get("Explain the treatment to the patient.", context="base-gps:text").string = ""  # type: ignore[union-attr]
    cat.get("We suggest the intervention.", context="base-rec:text").flags.add("fuzzy")  # type: ignore[union-attr]
    g, _ = load_guideline(root)
    assert g is not None
    before = dataclasses.asdict(g.sections[0])
    loc = localize(g, "ru", cat)
    assert dataclasses.asdict(g.sections[0]) == before  # nothing mutated
    assert loc.guideline.sections[0].title == "ПЕРЕВОД Base section"
    assert {u.text for u in loc.fallback_units} == {
        "Explain the treatment to the patient.",
        "We suggest the intervention.",
    }
    assert loc.guideline.sections[0].recommendations[1].text == "Explain the treatment to the patient."
    with pytest.raises(dataclasses.FrozenInstanceError):
        loc.guideline.sections[0].title = "x"  # type: ignore[misc]


def test_consultation_refuses_missing_translations(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path)
    update(root)
    translate_all(root, "ru")
    meta = root / "guideline.yaml"
    meta.write_text(meta.read_text().replace("status: draft", "status: consultation"))
    _, problems = check_guideline(root)
    errors = {(p.code, p.severity.value) for p in problems if "uz:" in p.message}
    assert errors == {("T101", "error")}


def test_every_catalog_passes_msgfmt() -> None:
    if shutil.which("msgfmt") is None:
        pytest.fail("GNU gettext's msgfmt is not installed (.ci/run installs it)")
    paths = [*(ROOT / "translations").rglob("*.po"), *(ROOT / "src" / "guidegen" / "locale").rglob("*.po")]
    assert len(paths) >= 5
    for path in paths:
        proc = subprocess.run(["msgfmt", "--check", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{path}: {proc.stderr}"


def test_package_label_catalogs_are_complete() -> None:
    for lang in ("ru", "uz"):
        cat = entries(ROOT / "src" / "guidegen" / "locale" / lang / "LC_MESSAGES" / "guidegen.po")
        assert [m.id for m in cat if m.id and (not m.string or m.fuzzy)] == []


def test_update_of_an_up_to_date_tree_changes_nothing(tmp_path: Path) -> None:
    """`make update` on the repository's own catalogs is a no-op: no churn for translators' diffs."""
    shutil.copytree(ROOT / "guideline", tmp_path / "guideline")
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    before = {p.name + p.parent.parent.name: p.read_bytes() for p in (tmp_path / "translations").rglob("*.po*")}
    update(tmp_path / "guideline")
    after = {p.name + p.parent.parent.name: p.read_bytes() for p in (tmp_path / "translations").rglob("*.po*")}
    assert after == before
