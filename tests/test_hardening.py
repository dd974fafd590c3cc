"""Issue 17, hardening round 2: what a careless or hostile file can still do, refused with a code and a position.

The inputs that fit a case file live in tests/cases/invalid/ (S006-version-path, S006-date-shape,
S011-path-shape, S011-translations-outside, S013-id-newline, S017-invisible, S018-deep-list,
E109-doi-markup); the hostile ones that need symlinks or odd bytes in tests/test_hostile.py.  Here:
what needs a catalog, a command line or a unit of its own.  Building outputs is in tests/test_wrapping.py.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from guidegen import model
from guidegen.checks import check_guideline
from guidegen.cli import main
from guidegen.i18n import languages
from guidegen.render.markdown import dropped_lines, render
from guidegen.typed import Converter, FieldSpec, Invalid
from guidegen.yamlsrc import Mapping, parse, printable

from .conftest import ROOT
from .test_catalogs import guideline_with_languages, translate_all, update
from .test_translation_checks import RU, line_of, setup

# -- 1. paths from data: every pattern is matched in full ------------------------------------------------


def pattern_fields() -> list[tuple[type, str]]:
    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    return [(c, f.name) for c in classes for f in dataclasses.fields(c) if f.metadata.get("pattern")]


GOOD = {"vote_threshold": "2/3", "version": "1.0.0", "languages": "en", "source_language": "en"}


@pytest.mark.parametrize(("cls", "name"), pattern_fields(), ids=lambda v: getattr(v, "__name__", str(v)))
def test_patterns_refuse_a_trailing_newline(cls: type, name: str) -> None:
    """`$` matches before a final newline: `id: "esk-add-on\\n"` passed S013 and renamed its block's messages."""
    good = GOOD.get(name, "esk-add-on")
    node, _ = parse(f'{name}: "{good}\\n"\n', "f.yaml")
    assert node is not None
    convert = Converter()
    with pytest.raises(Invalid):
        convert.record(node, cls)
    assert any(p.code in ("S006", "S013") and p.position.line == 1 for p in convert.problems), convert.problems
    assert all("\n" not in p.message for p in convert.problems)  # the newline is shown as \n


DATE = FieldSpec("date", "date", datetime.date, True, model.Metadata.__dataclass_fields__["date"].metadata)


BAD_DATES = ["2026-W48-2", "2026-W48", "20261201", "2026-12-1", "2026-02-30", "2108-01-01", "1899-12-31", "+2026-12-01"]


@pytest.mark.parametrize("value", BAD_DATES)
def test_dates_are_yyyy_mm_dd_in_a_sane_range(value: str) -> None:
    """date.fromisoformat reads ISO week and basic dates; a year after 2107 cannot be a DOCX (ZIP) timestamp."""
    node, _ = parse(f"date: {value}\n", "f.yaml")
    assert isinstance(node, Mapping)
    convert = Converter()
    with pytest.raises(Invalid):
        convert.value(node.items[0][1], datetime.date, DATE)
    assert [(p.code, p.position.line, p.position.column) for p in convert.problems] == [("S006", 1, 7)]


def test_a_good_date_and_version_still_load(base_guideline: Path) -> None:
    meta = base_guideline / "guideline.yaml"
    text = meta.read_text().replace("version: 1.0.0", "version: 2.0.1-rc1+build.5")
    meta.write_text(text.replace("2026-11-27", "2099-12-31"))
    _, problems = check_guideline(base_guideline)
    assert problems == []


def test_update_writes_no_catalog_outside_the_repository(tmp_path: Path) -> None:
    """`translations: <a folder outside>` made `update` write catalogs there (`/` as well)."""
    root = guideline_with_languages(tmp_path / "repo", "[ru, en]")
    outside = tmp_path / "elsewhere"
    meta = root / "guideline.yaml"
    meta.write_text(meta.read_text().replace("translations: translations", "translations: ../../elsewhere"))
    err = io.StringIO()
    assert main(["update", str(root)], io.StringIO(), err) == 1
    assert "S011" in err.getvalue() and not outside.exists()


# -- 2. invisible and bidirectional characters in catalogs -----------------------------------------------


def test_bidi_override_in_a_translation_is_t114_at_its_column(tmp_path: Path) -> None:
    """U+202E ... U+202C around 0,5 prints "5,0 мг/кг" while T105 compares "0,5": refused where it stands."""
    source = "We suggest the intervention."
    root, po = setup(tmp_path, {source: "Мы предлагаем \u202e0,5\u202c вмешательство."})
    _, problems = check_guideline(root)
    found = [p for p in problems if p.code == "T114"]
    line = line_of(po, source) + 1  # the msgstr line
    text = po.read_text(encoding="utf-8").splitlines()[line - 1]
    assert [(p.position.line, p.position.column) for p in found] == [
        (line, text.index("\u202e") + 1),
        (line, text.index("\u202c") + 1),
    ], [str(p) for p in problems]
    assert all(p.severity.value == "error" and "U+202E" in found[0].message for p in found)


def test_soft_hyphen_is_allowed_by_the_profile_and_zero_width_space_is_not(tmp_path: Path) -> None:
    root, po = setup(tmp_path, {"Adults": "Взрос\u00adлые", "Placebo": "Пла\u200bцебо"})
    _, problems = check_guideline(root)
    assert [(p.code, p.position.line) for p in problems if p.code == "T114"] == [("T114", line_of(po, "Placebo") + 1)]


def test_a_profile_cannot_allow_a_reordering_control_or_a_visible_letter() -> None:
    russian = languages.profile("ru")
    assert russian is not None and russian.allowed_format_characters == {"\u00ad"}
    for code in ("U+202E", "U+2066", "U+0041"):
        with pytest.raises(ValueError, match=re.escape(code)):
            languages._characters("xx", [code])
    assert languages._characters("fa", ["U+200C", "U+200F"]) == {"\u200c", "\u200f"}


def test_messages_never_print_invisible_characters() -> None:
    shown = printable("a\u202eb\x1b[2J\nc\u200b" + os.fsdecode(b"\xcf\xf0"))
    assert shown == "a\\u202eb\\x1b[2J\\nc\\u200b\\xcf\\xf0"
    shown.encode("ascii")


# -- 3. never a traceback, never silent success: limits and stdout ---------------------------------------


LIMITS = [("--max-depth", "0"), ("--max-text", "-1"), ("--max-file-bytes", "0"), ("--max-depth", "x")]


@pytest.mark.parametrize(("flag", "value"), LIMITS)
def test_limits_below_one_are_a_usage_error(base_guideline: Path, flag: str, value: str) -> None:
    err = io.StringIO()
    assert main(["check", str(base_guideline), flag, value], io.StringIO(), err) == 2
    assert flag in err.getvalue() and "Traceback" not in err.getvalue()


def test_negative_jobs_is_a_usage_error(base_guideline: Path, tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["build", str(base_guideline), "--jobs", "-2", "--out", str(tmp_path / "out")], io.StringIO(), err) == 2
    assert "--jobs" in err.getvalue() and not (tmp_path / "out").exists()


class FullDisk(io.StringIO):
    def flush(self) -> None:
        raise OSError(28, "No space left on device")


def test_a_failed_write_is_an_error_with_a_message(base_guideline: Path) -> None:
    err = io.StringIO()
    assert main(["check", str(base_guideline)], FullDisk(), err) == 2
    assert "No space left on device" in err.getvalue()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("unbuffered", [True, False])
def test_check_to_dev_full_exits_non_zero(base_guideline: Path, unbuffered: bool) -> None:
    """`guidegen check > /dev/full` exited 0: block-buffered stdout failed only in the flush after main()."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "guidegen", "check", str(base_guideline)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
    assert proc.returncode == 2, proc.stderr
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr


# -- 4. nothing silently lost in rendering ---------------------------------------------------------------


@pytest.mark.parametrize("levels", range(1, 13))
def test_the_nesting_check_flags_exactly_what_the_renderer_drops(levels: int) -> None:
    text = "".join(f"{'  ' * i}- level{i}\n" for i in range(levels))
    html = str(render(text, lambda keys: Markup("")))
    lost = [i for i in range(levels) if f"level{i}<" not in html and f"level{i}\n" not in html]
    assert bool(lost) == bool(dropped_lines(text)), (levels, lost)
    if lost:
        assert dropped_lines(text) == [lost[0]]


def test_deep_nesting_in_a_translation_is_t115(tmp_path: Path) -> None:
    source = "Background with a citation [@smith2020]."
    deep = "Общие сведения [@smith2020].\n\n" + "".join(f"{'  ' * i}- уровень {i}\n" for i in range(10))
    root, po = setup(tmp_path, {source: deep})
    _, problems = check_guideline(root)
    assert [(p.code, p.position.line) for p in problems if p.code == "T115"] == [("T115", line_of(po, source))]


def test_markdown_tables_are_rendered() -> None:
    html = str(render("| Dose | Route |\n|---:|---|\n| 0.5 mg/kg | IV |", lambda keys: Markup("")))
    assert "<table>" in html and '<td style="text-align:right">0.5 mg/kg</td>' in html and "|" not in html


# -- 5. glyph coverage covers everything rendered --------------------------------------------------------


def test_font_coverage_reads_names_references_and_label_overrides(base_guideline: Path) -> None:
    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace('name: "[Name]"', "name: 王小明").replace("{term: TRD,", "{term: 抑郁,"))
    refs = base_guideline / "references.yaml"
    refs.write_text(
        refs.read_text().replace("title: A trial", "title: 一项试验").replace("family: Smith", "family: 史密斯")
    )
    labels = base_guideline.parent / "translations" / "en" / "LC_MESSAGES" / "guidegen.po"
    labels.parent.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    labels.write_text(header + 'msgid "References"\nmsgstr "参考文献"\n')
    _, problems = check_guideline(base_guideline)
    found = {(Path(p.position.file).name, p.position.line) for p in problems if p.code == "T112"}
    assert found == {
        ("guideline.yaml", 11),
        ("guideline.yaml", 20),
        ("references.yaml", 5),
        ("references.yaml", 6),
        ("guidegen.po", 5),
    }, [str(p) for p in problems]


def test_a_broken_font_in_the_guideline_theme_is_a_warning_not_a_traceback(base_guideline: Path) -> None:
    fonts = base_guideline / "theme" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(ROOT / "src" / "guidegen" / "themes" / "default" / "print.css", fonts.parent)
    (fonts / "broken.ttf").write_bytes(b"not a font")
    _, problems = check_guideline(base_guideline)
    assert [(p.code, Path(p.position.file).name) for p in problems] == [("T112", "broken.ttf")]


# -- 6. identifiers and links ----------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "severity"), [("draft", "warning"), ("consultation", "error"), ("final", "error")])
def test_a_link_the_translator_added_is_t116(tmp_path: Path, status: str, severity: str) -> None:
    source = "Background with a citation [@smith2020]."
    added = "Общие сведения [@smith2020], см. [сайт](https://evil.example/ru) и <mailto:x@evil.example>."
    root, po = setup(tmp_path, {source: added})
    meta = root / "guideline.yaml"
    meta.write_text(meta.read_text().replace("status: draft", f"status: {status}"))
    _, problems = check_guideline(root)
    found = [p for p in problems if p.code == "T116"]
    assert [(p.position.line, p.severity.value) for p in found] == [(line_of(po, source), severity)] * 2, found


def test_a_link_the_source_has_may_be_kept(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path, "[ru, en]")
    section = root / "sections" / "01-base.yaml"
    linked = "We suggest the [intervention](https://www.who.int/x)."
    section.write_text(section.read_text().replace("We suggest the intervention.", linked))
    update(root)
    kept = "Мы предлагаем [вмешательство](https://www.who.int/x)."
    translate_all(root, "ru", lambda s: kept if s == linked else RU[s])
    _, problems = check_guideline(root)
    assert [str(p) for p in problems if p.code.startswith("T")] == []
