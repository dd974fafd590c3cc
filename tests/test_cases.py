"""Every file in tests/cases/invalid/ produces exactly the problems its header names.

A case file starts with comment lines:
    # kind: section | evidence | guideline | references | extra-section | consultation
    # expect: CODE LINE:COL            (a position in the case file itself)
    # expect: CODE path/in/guideline:LINE:COL
    # guideline: KEY: VALUE            (a line added to the base guideline.yaml)
    # status: draft | consultation | final   (the base guideline's status)
The case is dropped into a copy of tests/cases/base and checked; the set of
(code, file, line, column) found must equal the set expected — no more, no less.
A case about something else need not write a full Evidence-to-Decision
framework or declarations of interest: the warnings that they are incomplete
(E125, E126) count only in cases that expect one of those codes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from guidegen.checks import Severity, check_guideline

from .conftest import CASES

INVALID = sorted((CASES / "invalid").glob("*.yaml"))
INCOMPLETE = {"E125", "E126"}
HEADER = re.compile(rb"^# (kind|expect|guideline|status): (.+)$", re.M)


def place(case: Path, guideline: Path) -> Path:
    """Put the case file where its kind belongs; return its path inside the guideline."""
    data = case.read_bytes()
    kind = next(m.group(2).decode() for m in HEADER.finditer(data) if m.group(1) == b"kind")
    if kind == "guideline":
        target = guideline / "guideline.yaml"
    elif kind == "references":
        target = guideline / "references.yaml"
    elif kind == "consultation":
        target = guideline / "consultation" / "comments.yaml"
        target.parent.mkdir(exist_ok=True)
    elif kind == "evidence":
        target = guideline / "evidence" / case.name
    elif kind in ("section", "extra-section"):
        target = guideline / "sections" / case.name
        if kind == "section":
            meta = guideline / "guideline.yaml"
            meta.write_text(meta.read_text() + f"  - sections/{case.name}\n")
    else:
        raise ValueError(f"{case}: unknown kind {kind}")
    target.write_bytes(data)
    for status in [m.group(2).decode() for m in HEADER.finditer(data) if m.group(1) == b"status"]:
        meta = guideline / "guideline.yaml"
        meta.write_text(meta.read_text().replace("status: draft", f"status: {status}"))
    settings = [m.group(2).decode() for m in HEADER.finditer(data) if m.group(1) == b"guideline"]
    if settings:
        meta = guideline / "guideline.yaml"
        meta.write_text(meta.read_text() + "".join(f"{line}\n" for line in settings))
    return target


def expected(case: Path, placed: Path, guideline: Path) -> set[tuple[str, str, int, int]]:
    out = set()
    for m in HEADER.finditer(case.read_bytes()):
        if m.group(1) != b"expect":
            continue
        code, where = m.group(2).decode().split()
        parts = where.split(":")
        file = placed if len(parts) == 2 else guideline / parts[0]
        out.add((code, os.path.relpath(file), int(parts[-2]), int(parts[-1])))
    return out


@pytest.mark.parametrize("case", INVALID, ids=[c.stem for c in INVALID])
def test_invalid_case(case: Path, base_guideline: Path) -> None:
    placed = place(case, base_guideline)
    _, problems = check_guideline(base_guideline)
    want = expected(case, placed, base_guideline)
    if not {code for code, *_ in want} & INCOMPLETE:
        problems = [p for p in problems if not (p.code in INCOMPLETE and p.severity is Severity.WARNING)]
    found = {(p.code, p.position.file, p.position.line, p.position.column) for p in problems}
    assert found == want, "\n".join(str(p) for p in problems)


def test_base_is_clean(base_guideline: Path) -> None:
    _, problems = check_guideline(base_guideline)
    assert problems == []


# Codes whose input cannot be a case file (a file name that is not UTF-8): tests/test_hostile.py makes them.
MADE_IN_TEST_HOSTILE = {"S019"}


def test_every_code_has_a_case() -> None:
    """Each documented S and E code is exercised by at least one case file."""
    documented = set(re.findall(r"^### ([SE]\d{3})", (CASES.parent.parent / "docs" / "checks.md").read_text(), re.M))
    covered = {code for case in INVALID for code in re.findall(rb"# expect: ([SE]\d{3})", case.read_bytes())}
    assert documented, "docs/checks.md lists no codes"
    assert documented - {c.decode() for c in covered} == MADE_IN_TEST_HOSTILE
    hostile = (CASES.parent / "test_hostile.py").read_text()
    assert all(f'"{code}"' in hostile for code in MADE_IN_TEST_HOSTILE)
