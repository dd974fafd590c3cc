"""Stakeholder comments: made in Word on a consultation DOCX, imported, answered; a final guideline needs every
answer."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from guidegen.checks import check_guideline
from guidegen.cli import main

ORGANISATION = "[Professional association]"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def reviewed(base_guideline: Path, tmp_path: Path) -> Path:
    """The guideline's DOCX, with two Word comments a reviewer made (python-docx writes real Word comments)."""
    code, _, err = run("build", str(base_guideline), "--to", "docx", "--out", str(tmp_path / "out"))
    assert code == 0, err
    document = docx.Document(str(tmp_path / "out" / "base-1.0.0-en.docx"))
    paragraphs = {p.text.strip(): p for p in document.paragraphs}
    rec = paragraphs["We suggest the intervention."]
    document.add_comment(rec.runs, text="Say for whom the intervention is suggested.", author="Reviewer", initials="R")
    background = next(p for text, p in paragraphs.items() if text.startswith("Background with a citation"))
    document.add_comment(background.runs[0], text="Cite the newer trial too.", author="Reviewer", initials="R")
    path = tmp_path / "reviewed.docx"
    document.save(str(path))
    return path


def test_word_comments_are_imported_with_their_target_and_quote_once(base_guideline: Path, reviewed: Path) -> None:
    code, out, err = run("comments", "import", str(base_guideline), str(reviewed), "--organisation", ORGANISATION)
    assert code == 0, err
    assert "2 comment(s) added, 0 already there" in out
    guideline, problems = check_guideline(base_guideline)
    assert guideline is not None and guideline.consultation is not None
    found = [
        (c.target, c.quote, c.comment, c.organisation, c.language, c.response, c.action)
        for c in guideline.consultation.comments
    ]
    assert sorted(found) == [
        (
            "base-rec",
            "We suggest the intervention.",
            "Say for whom the intervention is suggested.",
            ORGANISATION,
            "en",
            "",
            "",
        ),
        (
            "base-section",
            "Background with a citation [",
            "Cite the newer trial too.",
            ORGANISATION,
            "en",
            "",
            "",
        ),  # the commented run
    ]
    assert [p for p in problems if p.severity.value == "error"] == []
    text = (base_guideline / "consultation" / "comments.yaml").read_text()
    code, out, _ = run("comments", "import", str(base_guideline), str(reviewed), "--organisation", ORGANISATION)
    assert code == 0 and "0 comment(s) added, 2 already there" in out
    assert (base_guideline / "consultation" / "comments.yaml").read_text() == text


def test_a_final_guideline_needs_every_comment_answered(base_guideline: Path, reviewed: Path) -> None:
    assert run("comments", "import", str(base_guideline), str(reviewed), "--organisation", ORGANISATION)[0] == 0
    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace("status: draft", "status: final"))
    comments = base_guideline / "consultation" / "comments.yaml"
    lines = comments.read_text().splitlines()
    unanswered = [p for p in check_guideline(base_guideline)[1] if p.code == "E131"]
    assert len(unanswered) == 2 and all(p.severity.value == "error" for p in unanswered)
    assert {lines[p.position.line - 1].strip().split(":")[0] for p in unanswered} == {"- id"}
    # answering, by hand, as the committee does: the file's existing lines stay as they were
    answered = comments.read_text().replace(
        "response: ''\n    action: ''", "response: The wording now names the population.\n    action: accepted"
    )
    assert answered != comments.read_text()
    comments.write_text(answered)
    assert [p.code for p in check_guideline(base_guideline)[1] if p.code in ("E131", "E132")] == []


def test_a_comment_on_a_removed_recommendation_needs_a_note(base_guideline: Path, reviewed: Path) -> None:
    assert run("comments", "import", str(base_guideline), str(reviewed), "--organisation", ORGANISATION)[0] == 0
    section = base_guideline / "sections" / "01-base.yaml"
    section.write_text(section.read_text().replace("id: base-rec", "id: base-recommendation"))
    problems = [p for p in check_guideline(base_guideline)[1] if p.code == "E132"]
    assert len(problems) == 1 and "'base-rec', which no longer exists" in problems[0].message
    assert (
        problems[0].position.file.endswith("comments.yaml") and problems[0].severity.value == "warning"
    )  # an error once final


def test_the_annex_lists_comments_by_organisation_with_the_responses(
    base_guideline: Path, reviewed: Path, tmp_path: Path
) -> None:
    assert run("comments", "import", str(base_guideline), str(reviewed), "--organisation", ORGANISATION)[0] == 0
    comments = base_guideline / "consultation" / "comments.yaml"
    comments.write_text(comments.read_text().replace("response: ''", "response: Cited.", 1))
    code, _, err = run("build", str(base_guideline), "--to", "html", "--out", str(tmp_path / "html"))
    assert code == 0, err
    html = (tmp_path / "html" / "base-1.0.0-en.html").read_text()
    assert "Stakeholder comments and responses" in html and ORGANISATION in html and "Cited." in html


def test_csv_from_the_template(base_guideline: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "comments.csv"
    sheet.write_text('target,quote,comment\nbase-gps,"Explain the treatment","Add a leaflet."\n', encoding="utf-8")
    code, _, err = run(
        "comments",
        "import",
        str(base_guideline),
        str(sheet),
        "--organisation",
        "[Patient organisation]",
        "--language",
        "ru",
    )
    assert code == 0, err
    g, _ = check_guideline(base_guideline)
    assert g is not None and g.consultation is not None
    assert [(c.target, c.comment, c.language) for c in g.consultation.comments] == [
        ("base-gps", "Add a leaflet.", "ru")
    ]
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("recommendation,text\nx,y\n")
    code, _, err = run("comments", "import", str(base_guideline), str(wrong), "--organisation", "X")
    assert code == 1 and "wrong.csv:1: the template's columns are target, quote, comment" in err
