"""Features around the core: init, grading schemes by name or path, label overrides, themes, the pinned pandoc."""

from __future__ import annotations

import io
import os
import shutil
import stat
from pathlib import Path

from guidegen.checks import check_guideline
from guidegen.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


def test_init_makes_a_guideline_that_checks_and_builds(tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert run("init", str(target), "--lang", "en")[0] == 0
    _, problems = check_guideline(target)
    # the skeleton is clean but for what only the committee can fill in: declarations and funding
    assert {(p.code, p.severity.value) for p in problems} == {("E126", "warning")}
    code, _, err = run("build", str(target), "--to", "html", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert (tmp_path / "out" / "new-guideline-0.1.0-en.html").is_file()
    assert (target / "schema" / "section.schema.json").is_file()
    assert run("init", str(target))[0] == 2  # never over existing files


def test_init_lays_out_catalogs_whose_only_problems_are_the_untranslated_texts(tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert run("init", str(target))[0] == 0  # uz, ru, en by default
    _, problems = check_guideline(target)
    found = {(p.code, p.severity.value, p.position.file.split("/")[-3]) for p in problems if p.code != "E126"}
    assert found == {("T101", "warning", "uz"), ("T101", "warning", "ru")}


def test_russian_order_103n_scheme_by_name(base_guideline: Path) -> None:
    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace("grading: grade", "grading: ru-103n"))
    section = base_guideline / "sections" / "01-base.yaml"
    text = section.read_text()
    text = text[: text.index("    etd:")] + text[text.index("  - id: base-gps") :]  # Order 103н has no EtD framework
    section.write_text(
        text.replace("strength: conditional", "strength: B").replace(
            "    certainty: low\n    evidence", '    certainty: "2"\n    evidence'
        )
    )
    profile = base_guideline / "evidence" / "ev-base.yaml"
    profile.write_text(profile.read_text().replace("certainty: low", 'certainty: "2"'))
    _, problems = check_guideline(base_guideline)
    assert [str(p) for p in problems] == []
    section.write_text(section.read_text().replace("strength: B", "strength: conditional"))
    _, problems = check_guideline(base_guideline)
    assert [p.code for p in problems] == ["S007"] and "one of: A, B, C" in problems[0].message


def test_scheme_from_a_file_of_the_guideline(base_guideline: Path) -> None:
    from guidegen.grading import BUILTIN

    shutil.copy(BUILTIN["grade"], base_guideline / "my-scheme.yaml")
    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace("grading: grade", "grading: my-scheme.yaml"))
    assert check_guideline(base_guideline)[1] == []
    meta.write_text(meta.read_text().replace("grading: my-scheme.yaml", "grading: grad"))
    [problem] = check_guideline(base_guideline)[1]
    assert problem.code == "S007" and "did you mean 'grade'" in problem.message


def test_a_guideline_may_override_the_tools_labels(base_guideline: Path, tmp_path: Path) -> None:
    from guidegen.build import localized_for
    from guidegen.load import load_guideline
    from guidegen.render.html import render_html

    po = base_guideline / ".." / "translations" / "en" / "LC_MESSAGES" / "guidegen.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "References"\nmsgstr "Bibliography"\n'
    )
    g, _ = load_guideline(base_guideline)
    assert g is not None
    localized, _ = localized_for(g, "en")
    assert localized is not None
    html, _ = render_html(localized)
    assert ">Bibliography</h2>" in html and ">Table of contents</h2>" in html


def test_a_guideline_theme_overrides_templates_and_css_and_warnings_fail_strict(
    base_guideline: Path, tmp_path: Path
) -> None:
    from guidegen.render.theme import theme_dir

    theme = base_guideline / "theme"
    shutil.copytree(theme_dir(), theme)
    missing_font = (
        '\n@font-face { font-family: "Missing"; src: url("fonts/nowhere.ttf"); }\nh1 { font-family: "Missing"; }\n'
    )
    (theme / "print.css").write_text((theme / "print.css").read_text() + missing_font)
    out = tmp_path / "out"
    code, _, err = run("build", str(base_guideline), "--to", "pdf", "--out", str(out))
    assert code == 0 and "Font-face 'Missing' cannot be loaded" in err  # WeasyPrint's warning reaches the user
    code, _, err = run("build", str(base_guideline), "--to", "pdf", "--out", str(out), "--strict", "--force")
    assert code == 1
    (theme / "templates").mkdir()
    (theme / "templates" / "macros.html.j2").write_text(
        (theme_dir() / ".." / ".." / "templates" / "macros.html.j2")
        .read_text()
        .replace('<p class="rec-heading"', '<p class="rec-heading custom-theme"')
    )
    code, _, err = run("build", str(base_guideline), "--to", "html", "--out", str(out))
    assert code == 0 and "custom-theme" in (out / "base-1.0.0-en.html").read_text()


def test_docx_uses_the_pinned_pandoc_not_one_on_path(base_guideline: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "bin" / "pandoc"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'wrong pandoc' >&2\nexit 3\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    code, _, err = run("build", str(base_guideline), "--to", "docx", "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert "wrong pandoc" not in err
