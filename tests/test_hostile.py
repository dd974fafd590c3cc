"""A corpus of broken and hostile inputs: each gets its code, a position, and no traceback.

Cases too big or too binary to commit (10 MB, UTF-16, junk, symlinks) are
made here; the rest live in tests/cases/invalid/ (test_cases.py).
"""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from guidegen.checks import check_guideline

from .conftest import CASES

SECTION = "sections/01-base.yaml"


def add_section(root: Path, name: str, data: bytes) -> None:
    (root / "sections" / name).write_bytes(data)
    meta = root / "guideline.yaml"
    meta.write_text(meta.read_text() + f"  - sections/{name}\n")


def set_contents(root: Path, entries: list[str]) -> None:
    meta = root / "guideline.yaml"
    text = meta.read_text().split("contents:")[0]
    meta.write_text(text + "contents:\n" + "".join(f"  - {e}\n" for e in entries))


def replace_in(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def in_meta(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace_in(root, "guideline.yaml", old, new)


def in_section(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace_in(root, SECTION, old, new)


def symlink_loop(root: Path, name: str) -> None:
    os.symlink(f"{name}.b", root / "sections" / name)
    os.symlink(name, root / "sections" / f"{name}.b")


def deep_list(levels: int) -> bytes:
    return ("id: x\ntitle: T\ntext: |\n" + "".join(f"  {'  ' * i}- level {i}\n" for i in range(levels))).encode()


def alias_bomb() -> bytes:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    return ("\n".join(lines) + "\n").encode()


CASES_TABLE: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "yaml-syntax": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: [unclosed\n"), {"S001"}),
    "tab-indent": (lambda r: add_section(r, "x.yaml", b"id: x\n\ttitle: T\n"), {"S001"}),
    "bom-accepted": (lambda r: add_section(r, "x.yaml", b"\xef\xbb\xbfid: x\ntitle: T\n"), set()),
    "crlf-accepted": (lambda r: add_section(r, "x.yaml", b"id: x\r\ntitle: T\r\n"), set()),
    "utf16": (lambda r: add_section(r, "x.yaml", "id: x\ntitle: T\n".encode("utf-16")), {"S015"}),
    "latin1": (lambda r: add_section(r, "x.yaml", "id: x\ntitle: Café\n".encode("latin-1")), {"S015"}),
    "binary-junk": (lambda r: add_section(r, "x.yaml", bytes(range(256)) * 4), {"S015"}),
    "empty-file": (lambda r: add_section(r, "x.yaml", b""), {"S006"}),
    "only-comments": (lambda r: add_section(r, "x.yaml", b"# nothing here\n"), {"S006"}),
    "not-a-mapping": (lambda r: add_section(r, "x.yaml", b"- just\n- a list\n"), {"S006"}),
    "ten-megabytes": (
        lambda r: add_section(r, "x.yaml", b"id: x\ntitle: T\ntext: |\n" + b"  " + b"x" * 10_000_000 + b"\n"),
        {"S014"},
    ),
    "long-text": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: " + b"y" * 200_000 + b"\n"), {"S014", "S008"}),
    "deep-nesting": (
        lambda r: add_section(r, "x.yaml", b"id: x\ntitle: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        {"S014"},
    ),
    "alias-bomb": (lambda r: add_section(r, "x.yaml", alias_bomb()), {"S003", "S005", "S008"}),
    "python-tag": (
        lambda r: add_section(r, "x.yaml", b"id: !!python/object/apply:os.system [touch /tmp/pwned]\ntitle: T\n"),
        {"S004", "S006"},
    ),
    "duplicate-key": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: A\ntitle: B\n"), {"S002"}),
    "several-documents": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: A\n---\nid: y\n"), {"S001"}),
    "contents-dotdot": (lambda r: set_contents(r, [SECTION, "../../../../etc/passwd"]), {"S011"}),
    "contents-absolute": (lambda r: set_contents(r, [SECTION, "/etc/hostname"]), {"S011"}),
    "contents-symlink-out": (
        lambda r: (
            os.symlink("/etc/hostname", r / "sections" / "link.yaml"),
            set_contents(r, [SECTION, "sections/link.yaml"]),
        ),
        {"S011"},
    ),
    "references-escape": (
        lambda r: (r / "guideline.yaml").write_text(
            (r / "guideline.yaml").read_text().replace("references: references.yaml", "references: /etc/passwd")
        ),
        {"S011", "E102", "E103"},
    ),
    "evidence-escape": (
        lambda r: (r / "guideline.yaml").write_text(
            (r / "guideline.yaml").read_text().replace("evidence: evidence", "evidence: ../..")
        ),
        {"S011", "E102"},
    ),
    "grading-escape": (
        lambda r: (r / "guideline.yaml").write_text(
            (r / "guideline.yaml").read_text().replace("grading: grade", "grading: ../../etc.yaml")
        ),
        {"S011"},
    ),
    "nul-in-text": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: a\x00b\n"), {"S015"}),
    # issue 17: paths from data are confined
    "version-escape": (in_meta("version: 1.0.0", 'version: "1/../../../escaped"'), {"S006"}),
    "version-dotdot": (in_meta("version: 1.0.0", "version: .."), {"S006"}),
    "id-slash": (in_meta("id: base", "id: ../base"), {"S013"}),
    "id-trailing-newline": (lambda r: add_section(r, "x.yaml", b'id: "esk-add-on\\n"\ntitle: T\n'), {"S013"}),
    "language-newline": (in_meta("languages: [en]", 'languages: ["en\\n"]'), {"S006"}),
    "translations-absolute": (in_meta("evidence: evidence", "evidence: evidence\ntranslations: /"), {"S011"}),
    "translations-climbs-out": (in_meta("evidence: evidence", "evidence: evidence\ntranslations: ../../.."), {"S011"}),
    "translations-control": (in_meta("evidence: evidence", 'evidence: evidence\ntranslations: "tr\\x1bans"'), {"S011"}),
    "contents-backslash": (lambda r: set_contents(r, [SECTION, "sections\\\\..\\\\..\\\\x.yaml"]), {"S011"}),
    "contents-home": (lambda r: set_contents(r, [SECTION, "~/x.yaml"]), {"S011"}),
    "contents-dotdot-inside": (lambda r: set_contents(r, ["sections/../sections/01-base.yaml"]), {"S011"}),
    "contents-symlink-loop": (
        lambda r: (symlink_loop(r, "loop.yaml"), set_contents(r, [SECTION, "sections/loop.yaml"])),
        {"S010"},
    ),
    "unlisted-symlink-loop": (lambda r: symlink_loop(r, "loop.yaml"), set()),
    "evidence-file-symlink-out": (lambda r: os.symlink("/etc/hostname", r / "evidence" / "x.yaml"), {"S011"}),
    "grading-control": (in_meta("grading: grade", 'grading: "my\\tscheme.yaml"'), {"S011"}),
    "theme-symlink-out": (lambda r: os.symlink("/etc", r / "theme"), {"S011"}),
    # issue 17: dates are YYYY-MM-DD within 1900-2099
    "date-iso-week": (in_meta("date: 2026-11-27", "date: 2026-W48-2"), {"S006"}),
    "date-basic": (in_meta("date: 2026-11-27", "date: 20261201"), {"S006"}),
    "date-after-2107": (in_meta("date: 2026-11-27", "date: 2108-01-01"), {"S006"}),
    # issue 17: invisible characters and markdown the renderer would lose
    "bidi-override": (in_section("the intervention.", "\u202e0,5\u202c mg/kg."), {"S017"}),
    "bidi-escape": (in_section("title: Base section", 'title: "Base \\u2066section"'), {"S017"}),
    "zero-width-in-id": (in_section("id: base-rec", "id: base\u200b-rec"), {"S013", "S017"}),
    "soft-hyphen-allowed": (in_section("We suggest", "We sug\u00adgest"), set()),
    "deep-list": (lambda r: add_section(r, "x.yaml", deep_list(10)), {"S018"}),
    "deep-list-fits": (lambda r: add_section(r, "x.yaml", deep_list(9)), set()),
    "deep-quote": (lambda r: add_section(r, "x.yaml", b'id: x\ntitle: T\ntext: "' + b"> " * 20 + b'lost"\n'), {"S018"}),
}


@pytest.mark.parametrize("name", sorted(CASES_TABLE))
def test_hostile_input(name: str, tmp_path: Path) -> None:
    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    make, expected = CASES_TABLE[name]
    make(root)
    tracemalloc.start()
    start = time.perf_counter()
    _, problems = check_guideline(root)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    errors = {p.code for p in problems if p.severity.value == "error"}
    assert errors == expected, [str(p) for p in problems]
    assert all(p.position.file for p in problems)
    # bounded: a 10 MB or 5,000-deep file is refused before it costs anything
    assert seconds < 10 and peak < 64 * 2**20, (seconds, peak)


def test_undecodable_file_names_are_named_never_read(tmp_path: Path) -> None:
    """A translator's 'протокол.docx' saved from Windows (Windows-1251 bytes): a warning naming the
    folder, printed as escapes in every format, and nothing read (a profile under such a name is
    skipped) - never a crash."""
    import io
    import json

    from guidegen.cli import main

    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    catalogs = tmp_path / "translations" / "ru"
    catalogs.mkdir(parents=True)
    for folder in (root / "sections", root / "evidence", catalogs):
        with open(os.fsencode(folder) + b"/\xcf\xf0\xee\xf2\xee\xea\xee\xeb.docx", "wb") as f:
            f.write(b"PK")
    with open(os.fsencode(root / "evidence") + b"/\xcf\xf0.yaml", "wb") as f:
        f.write(b"id: ev-other\n")  # would fail S008 if it were read
    _, problems = check_guideline(root)
    assert {p.code for p in problems} == {"S019"}, [str(p) for p in problems]
    assert {p.position.file.rsplit("/", 1)[-1] for p in problems} == {"sections", "evidence", "ru"}
    assert all("\\xcf\\xf0" in p.message and p.severity.value == "warning" for p in problems)
    for fmt in ("text", "json", "github"):
        out, err = io.StringIO(), io.StringIO()
        assert main(["check", str(root), "--format", fmt], out, err) == 0, err.getvalue()
        out.getvalue().encode("utf-8")  # strict: no lone surrogate reaches the terminal
        if fmt == "json":
            assert {p["code"] for p in json.loads(out.getvalue())} == {"S019"}


def test_corpus_size() -> None:
    """For the record in the closing note: hostile and invalid inputs the suite runs."""
    assert len(CASES_TABLE) + len(list((CASES / "invalid").glob("*.yaml"))) >= 58
