"""What a newcomer meets first (issue 12): set-up, reproducible PDFs without
HarfBuzz-Subset, one warning per build, and helpful first errors."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import guidegen.run
from guidegen.checks import check_guideline
from guidegen.cli import main

from .conftest import ROOT


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, out, err)
    return code, out.getvalue(), err.getvalue()


# 1. `make deps`: installs as root, else one message naming what is missing ---------------


def test_deps_names_every_missing_package_and_the_command_when_it_cannot_install(tmp_path: Path) -> None:
    # a machine with none of the tools, where we are not root (a fake `id`) and have no apt-get
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    proc = subprocess.run(["/bin/sh", str(ROOT / ".ci" / "deps"), "test"], capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    message = proc.stderr
    for package in ("gettext", "poppler-utils", "libreoffice-writer-nogui"):
        assert package in message
    assert "install" in message and "then run the command again" in message
    assert message.count("\n") <= 4, "one message, not a failure per test"


def test_deps_with_apt_but_without_root_gives_the_exact_command(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in {"id": "echo 1000", "apt-get": "echo should not run >&2; exit 3"}.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    proc = subprocess.run(
        ["/bin/sh", str(ROOT / ".ci" / "deps"), "test"], capture_output=True, text=True, env={"PATH": str(bin_dir)}
    )
    assert proc.returncode == 1
    assert (
        "sudo apt-get install --no-install-recommends gettext poppler-utils libreoffice-writer-nogui "
        "chromium chromium-driver npm" in proc.stderr
    )
    assert "should not run" not in proc.stderr


def test_deps_is_quiet_when_everything_is_there() -> None:
    if not all(shutil.which(tool) for tool in ("msgfmt", "pdftoppm", "soffice", "chromium", "chromedriver", "npm")):
        pytest.skip("this machine lacks a tool; `make test` installs them through `make deps` first")
    proc = subprocess.run(["/bin/sh", str(ROOT / ".ci" / "deps"), "test"], capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")


# 2 and 3. Byte-reproducible PDFs on fontTools' path, and its warning shown once -----------


@pytest.fixture
def fonttools_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint as on a machine without HarfBuzz-Subset, whatever this one has."""
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _build_pdf(guideline: Path, out: Path, now: float, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, str]:
    import fontTools.misc.timeTools as time_tools

    class Clock:
        @staticmethod
        def time() -> float:
            return now

    monkeypatch.setattr(time_tools, "time", Clock)
    code, _, err = run(["build", str(guideline), "--to", "pdf", "--out", str(out), "--jobs", "1"])
    assert code == 0, err
    return (out / "base-1.0.0-en.pdf").read_bytes(), err


def test_pdf_is_byte_identical_at_two_wall_clock_times_without_harfbuzz_subset(
    base_guideline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fonttools_path: None
) -> None:
    first, err = _build_pdf(base_guideline, tmp_path / "a", 1_800_000_000.0, monkeypatch)
    assert "HarfBuzz-Subset" in err, "the test must run on fontTools' path"
    second, _ = _build_pdf(base_guideline, tmp_path / "b", 1_900_000_000.0, monkeypatch)
    assert first == second
    assert "SOURCE_DATE_EPOCH" not in os.environ, "the render puts the environment back"


def test_a_warning_every_output_meets_is_shown_once_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fonttools_path: None
) -> None:
    code, _, err = run(["build", str(ROOT / "guideline"), "--to", "pdf", "--out", str(tmp_path), "--jobs", "1"])
    assert code == 0, err
    lines = [line for line in err.splitlines() if "HarfBuzz-Subset" in line]
    assert len(lines) == 1, err  # three outputs, three fonts each: once
    assert lines[0].startswith("3 outputs: warning:") and "apt-get install libharfbuzz-subset0" in lines[0]


# 4. A catalog that declares another charset is refused, however the header is written -------


def _catalog(root: Path) -> Path:
    root.joinpath("guideline.yaml").write_text(
        root.joinpath("guideline.yaml").read_text().replace("languages: [en]", "languages: [en, ru]")
    )
    assert run(["update", str(root)])[0] == 0
    return root.parent / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"


@pytest.mark.parametrize(
    "header",
    ['"Content-Type: text/plain; "\n"charset=KOI8-R\\n"', '"Content-Type: text/plain; charset=\\"KOI8-R\\"\\n"'],
    ids=["split-over-two-strings", "quoted"],
)
def test_a_catalog_declaring_another_charset_is_refused(base_guideline: Path, header: str) -> None:
    po = _catalog(base_guideline)
    text = po.read_text(encoding="utf-8")
    assert '"Content-Type: text/plain; charset=utf-8\\n"' in text
    damaged = text.replace('"Content-Type: text/plain; charset=utf-8\\n"', header)
    po.write_text(damaged, encoding="utf-8")
    problems = [p for p in check_guideline(base_guideline)[1] if p.code == "T110"]
    line = damaged[: damaged.index("charset")].count("\n") + 1
    assert [
        (p.position.file.endswith("guideline.po"), p.position.line, "koi8-r" in p.message.lower()) for p in problems
    ] == [(True, line, True)]


def test_a_label_override_catalog_is_checked_like_the_guideline_catalogs(base_guideline: Path) -> None:
    labels = base_guideline.parent / "translations" / "en" / "LC_MESSAGES" / "guidegen.po"
    labels.parent.mkdir(parents=True)
    labels.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KOI8-R\\n"\n\n'
        'msgid "References"\nmsgstr "Литература"\n',
        encoding="utf-8",
    )
    problems = [p for p in check_guideline(base_guideline)[1] if p.code == "T110"]
    assert [(p.position.file.endswith("en/LC_MESSAGES/guidegen.po"), p.position.line) for p in problems] == [(True, 3)]


# 5. init, then check and build from inside the new folder ------------------------------------


def test_init_then_check_and_build_inside_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(["init", str(tmp_path / "new"), "--lang", "uz,en"])
    assert code == 0, err
    assert (tmp_path / "new" / "translations" / "uz" / "LC_MESSAGES" / "guideline.po").is_file()
    monkeypatch.chdir(tmp_path / "new")
    code, out, err = run(["check"])
    assert code == 0, out + err
    code, out, err = run(["build", "--to", "html", "--out", str(tmp_path / "out")])
    assert code == 0, out + err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == [
        "new-guideline-0.1.0-en.html",
        "new-guideline-0.1.0-uz.html",
    ]


def test_without_a_guideline_here_the_message_names_both_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["check"])
    assert code == 2
    assert "./guideline" in err and "./guideline.yaml" in err


# 6. The first errors a committee makes get the full help ------------------------------------


def test_unknown_evidence_ids_and_citation_keys_get_a_did_you_mean(base_guideline: Path) -> None:
    section = base_guideline / "sections" / "01-base.yaml"
    section.write_text(
        section.read_text()
        .replace("evidence: [ev-base]", "evidence: [ev-bsae]")
        .replace("[@smith2020]", "[@smith2002]")
    )
    messages = {p.code: p.message for p in check_guideline(base_guideline)[1]}
    assert messages["E102"].endswith("did you mean 'ev-base'?")
    assert messages["E103"].endswith("did you mean 'smith2020'?")


def test_a_misspelt_key_does_not_hide_the_other_problems_of_its_recommendation(base_guideline: Path) -> None:
    section = base_guideline / "sections" / "01-base.yaml"
    text = section.read_text().replace(
        "    strength: conditional\n    certainty: low", "    strenght: conditional\n    certainty: lowe"
    )
    section.write_text(text)
    found = {(p.code, p.position.line) for p in check_guideline(base_guideline)[1]}
    lines = text.splitlines()
    strenght = next(i for i, line in enumerate(lines, 1) if "strenght" in line)
    assert ("S005", strenght) in found
    assert ("S007", strenght + 1) in found, found  # 'lowe' is not a certainty: did you mean 'low'?


# 7. A language the check lets through builds; nothing else gets past it, no traceback ------


@pytest.mark.parametrize("lang", ["tlh", "uz-Cyrl-XX"])
def test_a_language_guidegen_cannot_render_is_an_error_at_its_line(base_guideline: Path, lang: str) -> None:
    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace("languages: [en]", f"languages: [en, {lang}]"))
    problems = [p for p in check_guideline(base_guideline)[1] if p.code == "S007"]
    line = meta.read_text().splitlines().index(f"languages: [en, {lang}]") + 1
    assert [(p.position.line, p.position.column) for p in problems] == [(line, len("languages: [en, ") + 1)]
    code, _, err = run(["build", str(base_guideline), "--to", "html", "--out", str(base_guideline.parent / "out")])
    assert code == 1 and "Traceback" not in err and "cannot render language" in err


def test_bcp47_aliases_are_the_same_language(base_guideline: Path) -> None:
    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace("languages: [en]", "languages: [en, en-GB]"))
    assert [p.message for p in check_guideline(base_guideline)[1] if p.code == "S009"] == [
        "language 'en-GB' is listed twice (as 'en')"
    ]


def test_a_renderer_that_crashes_is_a_problem_not_a_traceback(
    base_guideline: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object) -> None:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(guidegen.run, "render", crash)
    code, _, err = run(["build", str(base_guideline), "--to", "html", "--out", str(tmp_path), "--jobs", "1"])
    assert code == 1
    assert "B001" in err and "renderer bug" in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.html"))
