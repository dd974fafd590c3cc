"""guidegen diff: two commits of a guideline in a temporary git repository, every kind of change."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from guidegen.cli import main

from .conftest import CASES


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


SECOND = """id: second
title: Second section
recommendations:
  - id: keep-gps
    type: good-practice
    text: Keep records.
    rationale: Continuity of care.
  - id: move-me
    type: good-practice
    text: Offer follow-up.
    rationale: Relapse is common.
  - id: drop-me
    type: good-practice
    text: This one will be removed.
    rationale: It was never needed.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A larger repository with the guideline in a subfolder, and its ru catalog: the first commit."""
    repo = tmp_path / "repo"
    shutil.copytree(CASES / "base", repo / "guidelines" / "base")
    root = repo / "guidelines" / "base"
    (root / "sections" / "02-second.yaml").write_text(SECOND)
    meta = root / "guideline.yaml"
    meta.write_text(
        meta.read_text().replace("languages: [en]", "languages: [en, ru]") + "  - sections/02-second.yaml\n"
    )
    assert run("update", str(root))[0] == 0
    po = repo / "guidelines" / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    po.write_text(
        po.read_text().replace('msgid "Keep records."\nmsgstr ""', 'msgid "Keep records."\nmsgstr "Ведите записи."')
    )
    git(repo, "init", "-q")
    git(repo, "-c", "user.name=test", "-c", "user.email=test@invalid", "add", ".")
    git(repo, "-c", "user.name=test", "-c", "user.email=test@invalid", "commit", "-q", "-m", "v1")
    git(repo, "tag", "v1")
    return root


def edit(root: Path) -> None:
    """Every kind of change, in the working tree."""
    first = root / "sections" / "01-base.yaml"
    text = first.read_text()
    text = text.replace("strength: conditional", "strength: strong\n    justification: life-threatening")  # regraded
    text = text.replace(
        "Explain the treatment to the patient.", "Explain the treatment and its risks to the patient."
    )  # reworded
    text = text.replace(
        "recommendations:\n",
        "recommendations:\n  - id: new-gps\n    type: good-practice\n    text: A new statement.\n    rationale: New.\n",
        1,
    )
    first.write_text(text)
    second = root / "sections" / "02-second.yaml"
    dropped = (
        "  - id: drop-me\n    type: good-practice\n    text: This one will be removed.\n"
        "    rationale: It was never needed.\n"
    )
    second.write_text(second.read_text().replace(dropped, ""))  # removed
    profile = root / "evidence" / "ev-base.yaml"
    profile.write_text(profile.read_text().replace("value: 1.5", "value: 1.6"))  # evidence-changed (for base-rec too)
    po = root.parent / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    po.write_text(
        po.read_text().replace('msgstr "Ведите записи."', 'msgstr "Ведите медицинские записи."')
    )  # translation-changed


def test_every_kind_of_change_is_reported_once_by_id(repo: Path) -> None:
    edit(repo)
    # moved: move-me (2.2) before keep-gps (2.1)
    second = repo / "sections" / "02-second.yaml"
    text = second.read_text()
    head, _, rest = text.partition("  - id: keep-gps")
    keep = "  - id: keep-gps" + rest[: rest.index("  - id: move-me")]
    move = rest[rest.index("  - id: move-me") :]
    second.write_text(head + move + keep)
    code, out, err = run("diff", str(repo), "--from", "v1", "--format", "json")
    assert code == 0, err
    found = {c["id"]: c for c in json.loads(out)}
    kinds = {i: c["change"] for i, c in found.items()}
    assert kinds == {
        "new-gps": "added",
        "drop-me": "removed",
        "base-rec": "regraded",
        "base-gps": "reworded",
        "move-me": "moved",
        "keep-gps": "moved",
    }
    assert found["base-rec"]["regraded"] == {"strength": ["conditional", "strong"]}
    assert "evidence-changed" in found["base-rec"]["also"]  # its profile's effect changed too
    assert found["move-me"]["moved"] == ["2.2", "2.1"]
    assert found["drop-me"]["number"] == "2.3"


def test_a_changed_translation_alone_is_translation_changed(repo: Path) -> None:
    po = repo.parent / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    po.write_text(po.read_text().replace('msgstr "Ведите записи."', 'msgstr "Ведите медицинские записи."'))
    code, out, _ = run("diff", str(repo), "--from", "v1", "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {
            "id": "keep-gps",
            "change": "translation-changed",
            "kind": "recommendation",
            "number": "2.1",
            "text": "Keep records.",
            "also": [],
            "languages": ["ru"],
        }
    ]


def test_an_evidence_change_alone_is_evidence_changed_and_the_text_reads_like_a_changelog(repo: Path) -> None:
    profile = repo / "evidence" / "ev-base.yaml"
    profile.write_text(profile.read_text().replace("value: 1.5", "value: 1.6"))
    code, out, _ = run("diff", str(repo), "--from", "v1")
    assert code == 0
    assert out.splitlines()[0] == "Changes from v1 to the working tree: 1 block(s)"
    assert "Evidence changed" in out and "1.1 base-rec" in out


def test_between_two_commits(repo: Path) -> None:
    edit(repo)
    git(repo.parent.parent, "-c", "user.name=t", "-c", "user.email=t@invalid", "commit", "-q", "-am", "v2")
    code, out, _ = run("diff", str(repo), "--from", "v1", "--to", "HEAD", "--format", "json")
    assert code == 0 and {"added", "removed", "regraded"} <= {c["change"] for c in json.loads(out)}


def test_clear_errors_outside_git_and_for_an_unknown_revision(repo: Path, tmp_path: Path) -> None:
    code, _, err = run("diff", str(repo), "--from", "no-such-tag")
    assert code == 2 and "unknown revision 'no-such-tag'" in err
    outside = tmp_path / "outside"
    shutil.copytree(CASES / "base", outside)
    code, _, err = run("diff", str(outside), "--from", "HEAD")
    assert code == 2 and "not inside a git repository" in err


def test_previous_adds_the_change_annex_and_tags_in_every_language(repo: Path, tmp_path: Path) -> None:
    po = repo.parent / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    po.write_text(
        po.read_text().replace(
            'msgid "This one will be removed."\nmsgstr ""',
            'msgid "This one will be removed."\nmsgstr "Эта будет исключена."',
        )
    )
    git(
        repo.parent.parent,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@invalid",
        "commit",
        "-q",
        "-am",
        "v1 with its ru text",
    )
    git(repo.parent.parent, "tag", "-f", "v1")
    edit(repo)
    meta = repo / "guideline.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", "version: 1.1.0\nprevious: v1"))
    code, _, err = run("build", str(repo), "--to", "html", "--out", str(tmp_path / "out"))
    assert code == 0, err
    en = (tmp_path / "out" / "base-1.1.0-en.html").read_text()
    ru = (tmp_path / "out" / "base-1.1.0-ru.html").read_text()
    assert "Changes since version 1.0.0" in en and "Изменения по сравнению с версией 1.0.0" in ru
    assert '<span class="change-tag">[amended 2026]</span>' in en and "[изменено, 2026]" in ru
    assert '<span class="change-tag">[new 2026]</span>' in en
    assert "Strength of recommendation: Conditional → Strong" in en
    assert "This one will be removed." in en and "Эта будет исключена." in ru  # a removed block keeps its old text


def test_an_unknown_previous_is_an_error_at_its_line(repo: Path) -> None:
    from guidegen.checks import check_guideline

    meta = repo / "guideline.yaml"
    meta.write_text(meta.read_text().replace("version: 1.0.0", "version: 1.0.0\nprevious: v0"))
    problems = [p for p in check_guideline(repo)[1] if p.code == "S020"]
    assert [(p.severity.value, p.position.line) for p in problems] == [("error", 4)]


def test_tracked_changes_docx_has_real_word_revisions_that_libreoffice_opens(repo: Path, tmp_path: Path) -> None:
    import zipfile

    import docx

    edit(repo)
    code, out, err = run("diff", str(repo), "--from", "v1", "--docx", "--out", str(tmp_path / "tracked"))
    assert code == 0, err
    path = tmp_path / "tracked" / "base-1.0.0-en-tracked.docx"
    assert f"{path.name}: " in out
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    insertions, deletions = xml.count("<w:ins "), xml.count("<w:del ")
    assert insertions >= 3 and deletions >= 2, (insertions, deletions)
    assert 'w:author="guidegen"' in xml and 'w:date="2026-11-27T00:00:00Z"' in xml
    # word-level: the reworded statement keeps its unchanged words as plain runs
    assert re.search(r"<w:ins [^>]*><w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t xml:space=\"preserve\">and its risks </w:t>", xml)
    deleted = "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml))
    assert "This one will be removed." in deleted  # the removed block is back where it stood, as a deletion
    assert docx.Document(str(path)).paragraphs  # python-docx reads it
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed (`make test` installs it through `make deps`)")
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    text = (tmp_path / "base-1.0.0-en-tracked.txt").read_text(encoding="utf-8-sig")
    assert proc.returncode == 0 and "Explain the treatment and its risks to the patient." in text
