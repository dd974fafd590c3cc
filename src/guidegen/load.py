"""Files -> model: read a guideline folder into a ``Guideline``, collecting problems.

Loading goes as far as the files allow: a broken section does not hide the
problems of the next one.  Paths named in the YAML must stay inside the
guideline folder (symlinks are followed before that is judged).
"""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .grading import load_scheme
from .i18n.languages import known_tags, profile
from .model import EvidenceProfile, Guideline, Metadata, Node, Reference, Section
from .problems import Position, Problem, error, warning
from .typed import Converter, Invalid, reference, suggest
from .yamlsrc import DEFAULT_LIMITS, Limits, Mapping, Sequence, kind_of, load

GUIDELINE_FILE = "guideline.yaml"
T = TypeVar("T", bound=Node)


def shown_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@dataclass
class Loader:
    root: Path
    limits: Limits = DEFAULT_LIMITS
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def inside(self, name: str, where: Position) -> Path | None:
        """``name`` resolved against the guideline folder, or None (with a problem) if it escapes."""
        path = (self.root / name).resolve()
        if os.path.isabs(name) or not path.is_relative_to(self.root.resolve()):
            self.problems.append(error("S011", f"'{name}' lies outside the guideline folder", where))
            return None
        return path

    def read(self, path: Path, cls: type[T]) -> T | None:
        shown = shown_path(path)
        self.files.append(path)
        node, problems = load(path, shown, self.limits)
        self.problems += problems
        if node is None:
            if not problems:
                self.problems.append(error("S006", "file is empty", Position(shown, 1, 1)))
            return None
        convert = Converter()
        try:
            return typing.cast(T, convert.record(node, cls))
        except Invalid:
            return None
        finally:
            self.problems += convert.problems

    def exists(self, path: Path, name: str, where: Position) -> bool:
        if path.is_file():
            return True
        self.problems.append(error("S010", f"file '{name}' not found", where))
        return False

    def sections(self, meta: Metadata) -> list[Section]:
        out = []
        listed = set()
        for i, name in enumerate(meta.contents):
            where = meta.where(f"contents[{i}]")
            path = self.inside(name, where)
            if path is None or not self.exists(path, name, where):
                continue
            if path in listed:
                self.problems.append(error("S009", f"'{name}' is listed twice in contents", where))
                continue
            listed.add(path)
            section = self.read(path, Section)
            if section is not None:
                out.append(section)
        for folder in sorted({p.parent for p in listed} - {self.root.resolve()}):
            for stray in sorted(folder.glob("*.y*ml")):
                if stray.resolve() not in listed:
                    self.problems.append(
                        warning("S016", "section file is not listed in guideline.yaml contents, so it is not in the document", Position(shown_path(stray)))
                    )
        return out

    def profiles(self, meta: Metadata) -> list[EvidenceProfile]:
        where = meta.where("evidence")
        if isinstance(meta.evidence, str):
            folder = self.inside(meta.evidence, where)
            if folder is None:
                return []
            if not folder.is_dir():
                self.problems.append(error("S010", f"evidence folder '{meta.evidence}' not found", where))
                return []
            paths = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
        else:
            paths = []
            for i, name in enumerate(meta.evidence):
                item_where = meta.where(f"evidence[{i}]")
                path = self.inside(name, item_where)
                if path is not None and self.exists(path, name, item_where):
                    paths.append(path)
        return [p for p in (self.read(path, EvidenceProfile) for path in paths) if p is not None]

    def references(self, meta: Metadata) -> list[Reference]:
        where = meta.where("references")
        path = self.inside(meta.references, where)
        if path is None or not self.exists(path, meta.references, where):
            return []
        self.files.append(path)
        node, problems = load(path, shown_path(path), self.limits)
        self.problems += problems
        if node is None:
            if not problems:
                self.problems.append(error("S006", "file is empty", Position(shown_path(path), 1, 1)))
            return []
        items = node.get("references") if isinstance(node, Mapping) else node
        if not isinstance(items, Sequence):
            self.problems.append(error("S006", f"expected a list of references (CSL YAML: 'references:' followed by items), got {kind_of(node)}", node.pos))
            return []
        convert = Converter()
        out = []
        for item in items.items:
            try:
                out.append(reference(item, convert))
            except Invalid:
                pass
        self.problems += convert.problems
        return out


def unrenderable_languages(meta: Metadata) -> list[Problem]:
    """Languages without a profile: refused where they are written, so no build can meet them."""
    found = []
    named = [(f"languages[{i}]", lang) for i, lang in enumerate(meta.languages)]
    for key, lang in [("source_language", meta.source_language), *named]:
        if profile(lang) is None:
            tags = known_tags()
            found.append(error("S007", f"guidegen cannot render language '{lang}'{suggest(lang, tags)} (it renders: {', '.join(tags)})", meta.where(key)))
    return found


def load_guideline(directory: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Guideline | None, list[Problem]]:
    """The guideline in ``directory`` (the folder holding guideline.yaml), and every problem found."""
    loader = Loader(directory, limits)
    path = directory / GUIDELINE_FILE
    if not path.is_file():
        where = Position(shown_path(path))
        return None, [error("S010", f"no {GUIDELINE_FILE} in '{shown_path(directory)}'", where)]
    meta = loader.read(path, Metadata)
    if meta is None:
        return None, loader.problems
    loader.problems += list(unrenderable_languages(meta))
    scheme, problems = load_scheme(meta.grading, directory, shown_path(directory), meta.where("grading"))
    loader.problems += problems
    sections = loader.sections(meta)
    profiles = loader.profiles(meta)
    references = loader.references(meta)
    if scheme is None:
        return None, loader.problems
    guideline = Guideline(
        root=directory,
        meta=meta,
        scheme=scheme,
        sections=tuple(sections),
        profiles=tuple(profiles),
        references=tuple(references),
        files=tuple(loader.files),
    )
    return guideline, loader.problems
