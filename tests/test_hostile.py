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
    "ten-megabytes": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: T\ntext: |\n" + b"  " + b"x" * 10_000_000 + b"\n"), {"S014"}),
    "long-text": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: " + b"y" * 200_000 + b"\n"), {"S014", "S008"}),
    "deep-nesting": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: " + b"[" * 5000 + b"]" * 5000 + b"\n"), {"S014"}),
    "alias-bomb": (lambda r: add_section(r, "x.yaml", alias_bomb()), {"S003", "S005", "S008"}),
    "python-tag": (lambda r: add_section(r, "x.yaml", b"id: !!python/object/apply:os.system [touch /tmp/pwned]\ntitle: T\n"), {"S004", "S006"}),
    "duplicate-key": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: A\ntitle: B\n"), {"S002"}),
    "several-documents": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: A\n---\nid: y\n"), {"S001"}),
    "contents-dotdot": (lambda r: set_contents(r, [SECTION, "../../../../etc/passwd"]), {"S011"}),
    "contents-absolute": (lambda r: set_contents(r, [SECTION, "/etc/hostname"]), {"S011"}),
    "contents-symlink-out": (lambda r: (os.symlink("/etc/hostname", r / "sections" / "link.yaml"), set_contents(r, [SECTION, "sections/link.yaml"])), {"S011"}),
    "references-escape": (
        lambda r: (r / "guideline.yaml").write_text((r / "guideline.yaml").read_text().replace("references: references.yaml", "references: /etc/passwd")),
        {"S011", "E102", "E103"},
    ),
    "evidence-escape": (lambda r: (r / "guideline.yaml").write_text((r / "guideline.yaml").read_text().replace("evidence: evidence", "evidence: ../..")), {"S011", "E102"}),
    "grading-escape": (lambda r: (r / "guideline.yaml").write_text((r / "guideline.yaml").read_text().replace("grading: grade", "grading: ../../etc.yaml")), {"S011"}),
    "nul-in-text": (lambda r: add_section(r, "x.yaml", b"id: x\ntitle: a\x00b\n"), {"S015"}),
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


def test_corpus_size() -> None:
    """For the record in the closing note: hostile and invalid inputs the suite runs."""
    assert len(CASES_TABLE) + len(list((CASES / "invalid").glob("*.yaml"))) >= 58
