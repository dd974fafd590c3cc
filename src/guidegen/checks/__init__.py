"""Checks: a guideline folder -> the list of every problem in it.

Each check is a small function ``(Guideline) -> Iterable[Problem]``; they all
run, and the caller decides what the problems mean (``--strict``, exit code).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..load import load_guideline
from ..memory import paused_gc
from ..model import Guideline
from ..problems import Problem, Severity, has_errors, sort_problems
from ..yamlsrc import DEFAULT_LIMITS, Limits
from . import characters, decision, evidence, fonts, library, markdown, structure, translation

Check = Callable[[Guideline], Iterable[Problem]]

CHECKS: list[Check] = [
    *structure.CHECKS,
    *evidence.CHECKS,
    *decision.CHECKS,
    *library.CHECKS,
    *translation.CHECKS,
    *fonts.CHECKS,
    *characters.CHECKS,
    *markdown.CHECKS,
]

# Findings that are only true of a complete guideline: when a file failed to
# load, a reference it cites looks unused, so these would be noise.
_NEED_COMPLETE = {"E112", "E113"}


def run_checks(guideline: Guideline, checks: Iterable[Check] = CHECKS) -> list[Problem]:
    return [problem for check in checks for problem in check(guideline)]


def check_guideline(directory: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Guideline | None, list[Problem]]:
    """Load and check; the guideline is returned even when it has errors, so callers can report."""
    with paused_gc():
        guideline, problems = load_guideline(directory, limits)
        if guideline is not None:
            found = run_checks(guideline)
            if has_errors(problems):
                found = [p for p in found if p.code not in _NEED_COMPLETE]
            problems += found
    return guideline, sort_problems(problems)


__all__ = ["CHECKS", "Severity", "check_guideline", "run_checks"]
