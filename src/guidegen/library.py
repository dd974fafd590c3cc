"""A library of guidelines: library.yaml at a repository's root -> the guideline folders and what they share.

A ministry keeps its guidelines in one repository: shared references,
glossary, grading schemes, theme and label overrides are written once in the
library and used by every guideline, which may still have its own.  A folder
without library.yaml above it is a guideline on its own, as before.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .load import Loader, shown_path
from .model import Library, LibraryMeta
from .problems import Position, Problem, error
from .yamlsrc import DEFAULT_LIMITS, Limits

LIBRARY_FILE = "library.yaml"


def find_library(directory: Path) -> Path | None:
    """The folder of the nearest library.yaml at or above ``directory``, if any."""
    here = directory.resolve()
    for folder in (here, *here.parents):
        if (folder / LIBRARY_FILE).is_file():
            return folder
    return None


def load_library(root: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Library | None, list[Problem]]:
    """library.yaml in ``root``, its paths confined to the library folder, and its shared references."""
    try:
        stat = (root / LIBRARY_FILE).stat()
    except OSError:
        return None, [
            error("S010", f"no {LIBRARY_FILE} in '{shown_path(root)}'", Position(shown_path(root / LIBRARY_FILE)))
        ]
    library, problems = _load_library(root.resolve(), limits, stat.st_size, stat.st_mtime_ns)
    return library, list(problems)  # a copy: callers add to it, the cached one must stay as it was


@cache
def _load_library(root: Path, limits: Limits, size: int, mtime_ns: int) -> tuple[Library | None, list[Problem]]:
    loader = Loader(root, limits)
    meta = loader.read(root / LIBRARY_FILE, LibraryMeta)
    if meta is None:
        return None, loader.problems
    for key in ("references", "glossary", "grading", "theme", "labels"):
        value = getattr(meta, key)
        if value and loader.inside(value, meta.where(key)) is None:
            return None, loader.problems
    references = []
    if meta.references:
        if (root / meta.references).is_file():
            references = loader.references_file(root / meta.references, meta.where("references"))
        else:
            loader.problems.append(
                error("S010", f"shared references '{meta.references}' not found", meta.where("references"))
            )
    return Library(root, meta, tuple(references)), loader.problems


def guideline_dirs(library: Library) -> tuple[list[Path], list[Problem]]:
    """Every guideline folder library.yaml names (globs expanded, in order, each once), confined to the library."""
    found: list[Path] = []
    problems = []
    root = library.root
    for i, pattern in enumerate(library.meta.guidelines):
        where = library.meta.where(f"guidelines[{i}]")
        if os.path.isabs(pattern) or ".." in Path(pattern).parts:
            problems.append(error("S011", f"'{pattern}' lies outside the library folder", where))
            continue
        matches = sorted(Path(p) for p in glob.glob(str(root / pattern)))
        folders = [p.resolve() for p in matches if (p / "guideline.yaml").is_file()]
        folders = [p for p in folders if p.is_relative_to(root)]
        if not folders:
            problems.append(error("S010", f"'{pattern}' names no folder holding guideline.yaml", where))
        found += [p for p in folders if p not in found]
    return found, problems


# A reference to another guideline's recommendation, written in any markdown text: [[guideline-id:rec-id]]
XREF = re.compile(r"\[\[([A-Za-z0-9][A-Za-z0-9_-]*):([A-Za-z0-9][A-Za-z0-9_-]*)\]\]")


@dataclass(frozen=True)
class Entry:
    """What another guideline of the library offers a cross-reference: its title and its numbered recommendations."""

    title: str
    version: str
    numbers: dict[str, str]


def catalogue(library: Library) -> dict[str, Entry]:
    """Every guideline of the library by id (loaded once per state of its files)."""
    folders, _ = guideline_dirs(library)
    state = tuple((p, f.stat().st_mtime_ns) for p in folders for f in sorted(p.rglob("*.y*ml")))
    return _catalogue(library.root, state)


@cache
def _catalogue(root: Path, state: tuple[tuple[Path, int], ...]) -> dict[str, Entry]:
    from .load import load_guideline

    out = {}
    for folder in dict.fromkeys(p for p, _ in state):
        guideline, _ = load_guideline(folder)
        if guideline is not None:
            out[guideline.meta.id] = Entry(
                guideline.meta.title, guideline.meta.version, dict((r.id, n) for n, r in guideline.recommendations())
            )
    return out
