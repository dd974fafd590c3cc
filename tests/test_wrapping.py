"""Issue 17 in the outputs: nothing written outside --out, nothing clipped at the page edge, no table lost.

One small guideline is built once (PDF, DOCX, HTML) with a 200-character word and a 200-character URL in
a recommendation and in a summary-of-findings note, and a markdown table in the recommendation.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from guidegen.cli import main

from .conftest import CASES

WORD = "0123456789" * 20  # digits: no hyphenation dictionary can break it
URL = "https://example.org/" + "a" * 180
TABLE = "| Dose | Route |\n|---:|---|\n| 0.5 mg/kg | IV over 40 minutes |"
RIGHT_MARGIN_MM = 18  # themes/default/print.css @page


def files_below(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def test_a_version_that_climbs_is_refused_and_nothing_is_written_outside_out(tmp_path: Path) -> None:
    """`version: "1/../../../escaped"` passed check, and build wrote ../escaped-en.pdf outside --out."""
    root = tmp_path / "work" / "g"
    shutil.copytree(CASES / "base", root)
    meta = root / "guideline.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", 'version: "1/../../../escaped"'))
    out = tmp_path / "work" / "a" / "b" / "out"
    before = files_below(tmp_path)
    check_out = io.StringIO()
    assert main(["check", str(root)], check_out, io.StringIO()) == 1
    assert "S006" in check_out.getvalue() and "escaped" in check_out.getvalue()
    err = io.StringIO()
    assert main(["build", str(root), "--to", "html,docx", "--out", str(out), "--jobs", "1"], io.StringIO(), err) == 1
    assert {p for p in files_below(tmp_path) - before if not p.is_relative_to(out)} == set(), err.getvalue()
    assert not list(tmp_path.rglob("escaped*"))


def test_a_sound_build_writes_only_inside_out(tmp_path: Path) -> None:
    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    out = tmp_path / "out"
    before = files_below(tmp_path)
    err = io.StringIO()
    assert main(["build", str(root), "--to", "html", "--out", str(out), "--jobs", "1"], io.StringIO(), err) == 0, err
    written = files_below(tmp_path) - before
    assert written and all(p.is_relative_to(out) for p in written), written


@pytest.fixture(scope="module")
def long_words(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("wrapping")
    root = tmp / "g"
    shutil.copytree(CASES / "base", root)
    section = root / "sections" / "01-base.yaml"
    text = f"We suggest the intervention {WORD} as in {URL}.\n\n" + TABLE
    block = "text: |\n" + "".join(f"      {line}\n" if line else "\n" for line in text.splitlines())
    section.write_text(section.read_text().replace("text: We suggest the intervention.\n", block))
    profile = root / "evidence" / "ev-base.yaml"
    notes = f"    notes: Note {WORD} and {URL}.\n"
    downgrade = "    downgrade: [risk-of-bias, imprecision]\n"
    profile.write_text(profile.read_text().replace(downgrade, downgrade + notes))
    out = tmp / "out"
    err = io.StringIO()
    code = main(["build", str(root), "--to", "pdf,docx,html", "--out", str(out), "--jobs", "2"], io.StringIO(), err)
    assert code == 0, err.getvalue()
    yield out


def words(pdf: Path) -> list[tuple[int, float, float, str]]:
    """(page, page width, right edge, text) of every word, as pdftotext -bbox reads them."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    page, width = 0, 0.0
    for line in xml.splitlines():
        if m := re.search(r'<page width="([\d.]+)"', line):
            page, width = page + 1, float(m.group(1))
        elif m := re.search(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line):
            found.append((page, width, float(m.group(1)), m.group(2)))
    return found


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_no_word_runs_past_the_right_margin(long_words: Path) -> None:
    """Recommendation boxes, the summary table, the EtD annex and the summary of findings clipped them."""
    (pdf,) = long_words.glob("*.pdf")
    found = words(pdf)
    margin = RIGHT_MARGIN_MM / 25.4 * 72
    beyond = [(page, right, text[:30]) for page, width, right, text in found if right > width - margin + 0.5]
    assert beyond == []
    digits = "".join(text for _, _, _, text in found if re.fullmatch(r"[0-9]+", text))
    assert digits.count(WORD) >= 3, "the word is in the recommendation, the summary table and the note, whole"


def test_markdown_table_in_html_and_docx(long_words: Path) -> None:
    (html,) = long_words.glob("*.html")
    page = html.read_text(encoding="utf-8")
    assert '<td style="text-align:right">0.5 mg/kg</td>' in page and "| Dose |" not in page
    (word,) = long_words.glob("*.docx")
    cells = [[cell.text for cell in row.cells] for table in docx.Document(str(word)).tables for row in table.rows]
    assert ["Dose", "Route"] in cells and ["0.5 mg/kg", "IV over 40 minutes"] in cells


def test_build_survives_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """`check` warns (S019, tests/test_hostile.py); `build` must not end in a traceback either."""
    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    with open(os.fsencode(root / "sections") + b"/\xcf\xf0\xee\xf2\xee\xea\xee\xeb.docx", "wb") as f:
        f.write(b"PK")
    argv = ["build", str(root), "--to", "html", "--out", str(tmp_path / "out"), "--jobs", "1"]
    assert main(argv, io.StringIO(), io.StringIO()) == 0
