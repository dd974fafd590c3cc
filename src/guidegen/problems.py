"""Problems: what every stage reports instead of raising, and how they are printed.

A problem is data (code, severity, message, position); a formatter turns a list
of them into text, JSON or GitHub workflow commands.  Nothing here prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # worth knowing, never fails a build, even with --strict


class Position(NamedTuple):
    """A place in a source file; line and column count from 1 like editors do.

    A named tuple, not a dataclass: every node of every YAML file has one (200,000 in a guideline of 1,000
    recommendations), and a tuple is made three times faster than a frozen dataclass.
    """

    file: str
    line: int = 0
    column: int = 0
    # For a block scalar (``|``): the indentation of its content, so that an
    # offset into the text can be mapped back to a line and column.
    indent: int | None = None

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"

    def within(self, text: str, offset: int) -> Position:
        """The position of ``text[offset]``, ``text`` being the scalar that starts here."""
        before = text[:offset]
        newlines = before.count("\n")
        if self.indent is not None:  # literal block: content starts on the next line
            col = offset - (before.rfind("\n") + 1)
            return Position(self.file, self.line + 1 + newlines, self.indent + col + 1)
        if newlines:  # a multi-line flow scalar: the line is right, the column a guess
            return Position(self.file, self.line + newlines, 1)
        return Position(self.file, self.line, self.column + offset)


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    position: Position

    def __str__(self) -> str:
        tag = "" if self.severity is Severity.ERROR else f"{self.severity.value}: "
        return f"{self.position}: {self.code} {tag}{self.message}"


def error(code: str, message: str, position: Position) -> Problem:
    return Problem(code, Severity.ERROR, message, position)


def warning(code: str, message: str, position: Position) -> Problem:
    return Problem(code, Severity.WARNING, message, position)


def info(code: str, message: str, position: Position) -> Problem:
    return Problem(code, Severity.INFO, message, position)


def promote(problems: Iterable[Problem]) -> list[Problem]:
    """``--strict``: every warning becomes an error (notes stay notes)."""
    return [
        Problem(p.code, Severity.ERROR, p.message, p.position) if p.severity is Severity.WARNING else p
        for p in problems
    ]


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.position.file, p.position.line, p.position.column, p.code, p.message))


def summary(problems: list[Problem]) -> str:
    counts = {s: sum(p.severity is s for p in problems) for s in Severity}
    parts = [f"{counts[Severity.ERROR]} error(s)", f"{counts[Severity.WARNING]} warning(s)"]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} note(s)")
    return ", ".join(parts)


def format_text(problems: list[Problem]) -> str:
    lines = [str(p) for p in problems]
    lines.append(summary(problems))
    return "\n".join(lines) + "\n"


def problem_dict(p: Problem) -> dict[str, object]:
    """A problem as plain data: what ``--format json`` prints and the build's state file keeps."""
    return {
        "code": p.code,
        "severity": p.severity.value,
        "message": p.message,
        "file": p.position.file,
        "line": p.position.line,
        "column": p.position.column,
    }


def format_json(problems: list[Problem]) -> str:
    return (
        json.dumps(
            [problem_dict(p) for p in problems],
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


def _github_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(problems: list[Problem]) -> str:
    # https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    kind = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for p in problems:
        where = f"file={p.position.file}"
        if p.position.line:
            where += f",line={p.position.line},col={p.position.column}"
        out.append(f"::{kind[p.severity]} {where},title={p.code}::{_github_escape(p.message)}")
    return "\n".join(out) + ("\n" if out else "")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
