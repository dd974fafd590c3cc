"""A library of guidelines: every command on the root, shared resources, translation memory, builds on Dask."""

from __future__ import annotations

import io
import re
import sys
import threading
from pathlib import Path

import pytest

from guidegen.checks import check_guideline
from guidegen.cli import main

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate_library


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out, err), out.getvalue(), err.getvalue()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return generate_library(3, 10, tmp_path / "library")


def guideline(library: Path, n: int) -> Path:
    return library / "guidelines" / f"g{n:03d}" / "guideline"


def test_every_command_takes_the_library_root_or_one_guideline(library: Path) -> None:
    code, out, err = run("check", str(library))
    assert code == 0, out + err
    code, out, _ = run("stats", str(library))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()[1:]] == [
        "g001",
        "g001",
        "g002",
        "g002",
        "g003",
        "g003",
        "all",
        "all",
    ]
    assert re.search(r"^all 3\s+uz\s+(\d+)\s+\1\s", out, re.M)  # totals: every message translated
    code, out, _ = run("stats", str(library), "--only", "g002")
    assert code == 0 and "g001" not in out and "g002" in out
    code, _, err = run("check", str(library), "--only", "g999")
    assert code == 2 and "no guideline with id 'g999'" in err


def test_builds_all_guidelines_with_an_index_and_rebuilds_only_what_changed(library: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run("build", str(library), "--to", "html,docx", "--out", str(out_dir), "--jobs", "2")
    assert code == 0, err
    assert "building 18 of 18 output(s)" in out and "[18/18]" in out
    index = (out_dir / "index-ru.html").read_text()
    assert index.count("<tr>") == 1 + 3 and 'href="g002-1.0.0-ru.docx"' in index and 'lang="ru"' in index
    code, out, _ = run("build", str(library), "--to", "html,docx", "--out", str(out_dir))
    assert code == 0 and "building 0 of 18 output(s)" in out
    section = guideline(library, 2) / "sections" / "001-chapter.yaml"
    assert "title: Chapter 1" in section.read_text()
    section.write_text(section.read_text().replace("title: Chapter 1", "title: Chapter one", 1))
    code, out, _ = run("build", str(library), "--to", "html,docx", "--out", str(out_dir))
    assert code == 0 and "building 6 of 18 output(s)" in out, (
        out
    )  # exactly the edited guideline's 3 languages x 2 formats
    assert all("g002" in line for line in out.splitlines() if " s     " in line)


def test_builds_on_a_two_worker_local_dask_cluster(library: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "build", str(library), "--to", "html", "--out", str(tmp_path / "dask"), "--jobs", "2", "--scheduler", "dask"
    )
    assert code == 0, err
    assert "on Dask (dask)" in out and "Traceback" not in err
    assert sorted(p.name for p in (tmp_path / "dask").glob("g*.html")) == [
        f"g{n:03d}-1.0.0-{lang}.html" for n in (1, 2, 3) for lang in ("en", "ru", "uz")
    ]


def test_a_broken_guideline_is_reported_and_the_others_are_built(library: Path, tmp_path: Path) -> None:
    meta = guideline(library, 2) / "guideline.yaml"
    meta.write_text(meta.read_text().replace("status: draft", "status: [draft"))
    code, _, err = run("build", str(library), "--to", "html", "--out", str(tmp_path / "out"))
    assert code == 1
    assert "S001" in err and "1 guideline(s) not built" in err and "Traceback" not in err
    assert len(list((tmp_path / "out").glob("g00[13]-*.html"))) == 6 and not list((tmp_path / "out").glob("g002-*"))


def test_paths_in_library_yaml_stay_inside(library: Path) -> None:
    (library / "library.yaml").write_text("id: x\ntitle: X\nguidelines: [../elsewhere/*]\nreferences: ../refs.yaml\n")
    code, out, _ = run("check", str(library))
    assert code == 1 and "S011" in out


def test_shared_references_and_glossary_serve_every_guideline(library: Path) -> None:
    (library / "shared.yaml").write_text(
        "references:\n  - id: shared2020\n    type: article-journal\n    title: A shared trial\n"
        "    container-title: J Shared\n    issued: {date-parts: [[2020]]}\n    DOI: 10.5555/shared.1\n"
        "  - id: uncited2021\n    type: book\n    title: Never cited\n    issued: {date-parts: [[2021]]}\n"
    )
    (library / "glossary.yaml").write_text("terms:\n  - {en: clinic, ru: клиник*}\n")
    text = (library / "library.yaml").read_text()
    (library / "library.yaml").write_text(text + "references: shared.yaml\nglossary: glossary.yaml\n")
    section = next((guideline(library, 1) / "sections").glob("*.yaml"))
    section.write_text(section.read_text().replace("text: |\n", "text: |\n  Shared evidence [@shared2020].\n\n", 1))
    g, problems = check_guideline(guideline(library, 1))
    assert g is not None
    codes = {p.code for p in problems}
    assert "E103" not in codes and "E112" not in codes  # cited from the library; the uncited shared one is no concern
    assert "T108" in codes  # the library's glossary applies: the synthetic ru text has no 'клиник…'


def test_cross_references_between_guidelines(library: Path, tmp_path: Path) -> None:
    section = next((guideline(library, 1) / "sections").glob("*.yaml"))
    section.write_text(
        section.read_text().replace("text: |\n", "text: |\n  See [[g002:rec-0001]] and [[g002:rec-0999]].\n\n", 1)
    )
    problems = [p for p in check_guideline(guideline(library, 1))[1] if p.code == "E133"]
    assert [p.message for p in problems] == [
        "guideline 'g002' has no recommendation 'rec-0999'; did you mean 'rec-0009'?"
    ]
    section.write_text(section.read_text().replace(" and [[g002:rec-0999]]", ""))
    code, _, err = run(
        "build", str(library), "--only", "g001", "--to", "html,site", "--lang", "en", "--out", str(tmp_path / "x")
    )
    assert code == 0, err
    assert (
        'class="xref">recommendation 1.1 of “Synthetic guideline with 10 recommendations”'
        in (tmp_path / "x" / "g001-1.0.0-en.html").read_text()
    )
    assert (
        'href="../../g002/en/index.html#rec-rec-0001"'
        in (tmp_path / "x" / "site" / "g001" / "en" / "index.html").read_text()
    )


def test_the_translation_memory_suggests_approved_translations_as_fuzzy(library: Path) -> None:
    # g003 gets a new paragraph that g001 already has, translated; and one close to it
    g1 = next((guideline(library, 1) / "sections").glob("*.yaml")).read_text()
    first = re.search(r"text: \|\n  (.+)\n", g1)
    assert first is not None
    sentence = first.group(1)
    section = next((guideline(library, 3) / "sections").glob("*.yaml"))
    close = sentence.replace("patients", "patient", 1) if "patients" in sentence else sentence + " x"
    section.write_text(section.read_text().replace("text: |\n", f"text: |\n  {sentence}\n\n  {close}\n\n", 1))
    code, out, err = run("update", str(library), "--only", "g003")
    assert code == 0, err
    assert "suggested by the translation memory" in out
    po = (library / "guidelines" / "g003" / "translations" / "ru" / "LC_MESSAGES" / "guideline.po").read_text()
    exact = po[po.index(f'msgid "{sentence}"') - 400 : po.index(f'msgid "{sentence}"') + len(sentence) + 400]
    assert "#, fuzzy" in exact and "# Translation memory: g001," in exact and "(same text)" in exact
    assert "% similar)" in po
    code, out, _ = run("stats", str(library), "--only", "g003")
    assert re.search(r"^g003\s+ru\s+\d+\s+\d+\s+2\s+0\s+\d+\s+2\s", out, re.M), (
        out
    )  # 2 fuzzy, 2 from the memory, never translated


def test_two_library_builds_at_once_leave_every_output_whole(library: Path, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    results: list[int] = []

    def build() -> None:
        results.append(run("build", str(library), "--to", "html", "--out", str(out_dir), "--jobs", "1")[0])

    threads = [threading.Thread(target=build) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [0, 0]
    code, out, _ = run("build", str(library), "--to", "html", "--out", str(out_dir))
    assert code == 0 and "building 0 of 9 output(s)" in out  # the cache is consistent with what is on disk
    assert all(p.read_text().rstrip().endswith("</html>") for p in out_dir.glob("g*.html"))
