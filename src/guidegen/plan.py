"""Planning a build: check first, then one job per (language, output), each marked fresh or stale.

Nothing is planned while an error remains (docs/checks.md).  The guideline the
plan checked is kept for the jobs, so they render exactly what was checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import clean_stale, fingerprint, previous_plan, quick_state, remember_plan, up_to_date
from .checks import check_guideline
from .model import Guideline
from .outputs import registry
from .problems import Problem, error, has_errors, promote
from .yamlsrc import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class Job:
    directory: Path
    lang: str
    output: str  # a name in the outputs registry
    out: Path
    target: Path
    key: str
    fresh: bool = False  # up to date: nothing to do
    limits: Limits = DEFAULT_LIMITS


# The guideline the plan has just checked, by folder: jobs in this process, and in
# workers forked from it, render exactly what was checked instead of loading it again.
CHECKED: dict[tuple[Path, Limits], Guideline] = {}


def _replayed(
    directory: Path, outputs: list[str], languages: list[str] | None, out: Path, limits: Limits, state: str
) -> tuple[list[Job], list[Problem]] | None:
    """The previous plan's jobs, all fresh, if nothing any of them depends on changed: a no-op build skips the
    checks."""
    previous = previous_plan(out, directory, state)
    if previous is None:
        return None
    recorded, all_languages, problems = previous
    jobs = []
    for lang in languages or all_languages:
        for name in outputs:
            if f"{lang}.{name}" not in recorded:
                return None
            target, key = recorded[f"{lang}.{name}"]
            if not up_to_date(out, target, key):
                return None
            jobs.append(Job(directory, lang, name, out, target, key, fresh=True, limits=limits))
    return jobs, problems


def plan(
    directory: Path,
    outputs: Iterable[str],
    languages: Iterable[str] | None,
    out: Path,
    strict: bool = False,
    force: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[list[Job], list[Problem]]:
    """The jobs of a build, after the checks; none while an error remains."""
    outputs = list(outputs)
    languages = list(languages) if languages else None
    state = quick_state(directory, limits)
    if not force:
        replayed = _replayed(directory, outputs, languages, out, limits, state)
        if replayed is not None:
            jobs, problems = replayed
            return jobs, promote(problems) if strict else problems
    guideline, problems = check_guideline(directory, limits)
    unpromoted = problems
    if strict:
        problems = promote(problems)
    if guideline is None or has_errors(problems):
        return [], problems
    langs = list(languages) if languages else list(guideline.meta.languages)
    unknown = [lang for lang in langs if lang not in guideline.meta.languages]
    if unknown:
        where = guideline.meta.where("languages")
        return [], problems + [
            error("S007", f"language '{lang}' is not among the guideline's languages", where) for lang in unknown
        ]
    clean_stale(out)
    CHECKED.clear()
    CHECKED[(directory, limits)] = guideline
    jobs = []
    available = registry()
    for lang in langs:
        for name in outputs:
            output = available[name]
            target = output.target(out, guideline.meta.id, guideline.meta.version, lang)
            key = fingerprint(guideline, lang, output)
            jobs.append(
                Job(
                    directory,
                    lang,
                    name,
                    out,
                    target,
                    key,
                    fresh=not force and up_to_date(out, target, key),
                    limits=limits,
                )
            )
    remember_plan(
        out,
        directory,
        state,
        list(guideline.meta.languages),
        unpromoted,
        {f"{j.lang}.{j.output}": (j.target, j.key) for j in jobs},
    )
    return jobs, problems
