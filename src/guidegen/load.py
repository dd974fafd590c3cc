"""Files -> model: read a guideline folder into a ``Guideline``, collecting problems.

Loading goes as far as the files allow: a broken section does not hide the
problems of the next one.  Paths named in the YAML are plain relative paths
(no control character, backslash or ``..``) that stay inside the guideline
folder, symlinks followed; the catalog folder (``translations``) stays inside
the folder that holds the guideline folder, the repository (issue 17).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .grading import BUILTIN, load_scheme
from .i18n.languages import known_tags, profile
from .kept import code_stamp, keep, kept
from .model import Consultation, EvidenceProfile, Guideline, Library, Metadata, Node, Reference, Section
from .problems import Position, Problem, error, warning
from .typed import Converter, Invalid, reference, suggest
from .yamlsrc import (
    DEFAULT_LIMITS,
    Limits,
    Mapping,
    Sequence,
    decode,
    is_invisible,
    kind_of,
    parse,
    printable,
    read_bytes,
)
from .yamlsrc import Node as YamlNode

GUIDELINE_FILE = "guideline.yaml"
COMMENTS = "consultation/comments.yaml"  # stakeholder comments: guidegen comments import appends to it
T = TypeVar("T", bound=Node)
R = TypeVar("R")


def shown_path(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when below it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def resolved(path: Path) -> Path | None:
    """``path`` with every symlink followed, or None for a symlink loop (a RuntimeError before Python 3.13)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def utf8_name(path: Path) -> bool:
    """False for a name the file system holds in another encoding (a Windows-1251 'протокол.docx'):
    it cannot be printed, zipped or shared, and is reported by the S019 check."""
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def path_problem(name: str, *, climb: bool = False) -> str | None:
    """Why a path written in the YAML is refused before it is even resolved, or None.

    ``climb``: '..' may appear (``translations: ../translations``); the resolved path is judged anyway."""
    if not name.strip():
        return "is empty"
    bad = next((c for c in name if c in "\t\n\r" or is_invisible(c)), None)
    if bad is not None:
        return f"holds the control or invisible character U+{ord(bad):04X}"
    if "\\" in name:
        return "holds a backslash: write '/' between folders"
    if os.path.isabs(name) or name.startswith("/"):
        return "is absolute: write it relative to guideline.yaml"
    if name.startswith("~"):
        return "starts with '~', which is no home folder here: write it relative to guideline.yaml"
    if not climb and ".." in name.split("/"):
        return "climbs out with '..'"
    return None


class KeptRecords:
    """What the files of one guideline folder were read into by the last run: for each file, a hash of its bytes,
    its record (pickled) and its problems.  A file whose bytes are unchanged is not parsed again: reading back a
    record takes a tenth of the time of parsing and converting its file (docs/design-notes.md).

    Kept as one file per guideline folder (a library's 1,500 guidelines are 1,500 files, not 45,000) under a key
    that names what else a record depends on: the folder, the working directory (which the positions' file
    names are relative to), the limits and the code that reads YAML into records.
    """

    def __init__(self, root: Path, limits: Limits) -> None:
        from . import model, problems, typed, yamlsrc

        modules = (__file__, model.__file__, problems.__file__, typed.__file__, yamlsrc.__file__)
        self.key = f"{resolved(root) or root} {os.getcwd()} {limits} {code_stamp(*modules)}"
        self.before: dict[tuple[str, str], tuple[str, bytes]] = kept("records", self.key, folder="sources") or {}
        self.now: dict[tuple[str, str], tuple[str, bytes]] = {}

    def get(self, path: Path, kind: str, digest: str) -> tuple[Any, list[Problem]] | None:
        found = self.before.get((str(path), kind))
        if found is None or found[0] != digest:
            return None
        self.now[str(path), kind] = found
        record, problems = pickle.loads(found[1])
        return record, problems

    def put(self, path: Path, kind: str, digest: str, record: Any, problems: list[Problem]) -> None:
        self.now[str(path), kind] = (digest, pickle.dumps((record, problems), protocol=pickle.HIGHEST_PROTOCOL))

    def save(self) -> None:
        """Kept when anything differs from what was read back (a file changed, came or went)."""
        if self.now != self.before:
            keep("records", self.key, self.now, folder="sources")


@dataclass
class Loader:
    root: Path
    limits: Limits = DEFAULT_LIMITS
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    records: KeptRecords | None = None

    def inside(self, name: str, where: Position) -> Path | None:
        """``name`` resolved against the guideline folder, or None (with a problem) if it escapes."""
        why = path_problem(name)
        if why is not None:
            self.problems.append(error("S011", f"path '{printable(name)}' {why}", where))
            return None
        return self.contained(self.root / name, name, where)

    def contained(self, path: Path, name: str, where: Position) -> Path | None:
        """``path`` resolved, if that stays inside the guideline folder; else None, with a problem."""
        found = resolved(path)
        if found is None:
            self.problems.append(error("S010", f"'{printable(name)}' is a symlink loop", where))
            return None
        if not found.is_relative_to(resolved(self.root) or self.root):
            self.problems.append(error("S011", f"'{printable(name)}' lies outside the guideline folder", where))
            return None
        return found

    def read(self, path: Path, cls: type[T]) -> T | None:
        def record(node: YamlNode | None, shown: str) -> tuple[T | None, list[Problem]]:
            if node is None:
                return None, [error("S006", "file is empty", Position(shown, 1, 1))]
            convert = Converter()
            try:
                return typing.cast(T, convert.record(node, cls)), convert.problems
            except Invalid:
                return None, convert.problems

        self.files.append(path)
        return self.parsed(path, cls.__name__, record)

    def parsed(
        self, path: Path, kind: str, make: Callable[[YamlNode | None, str], tuple[R, list[Problem]]]
    ) -> R | None:
        """``make(root node, shown name)`` of the YAML file at ``path``, its problems added to the loader's; or
        what it gave last run, when the file's bytes are the same (``KeptRecords``)."""
        shown = shown_path(path)
        data, problems = read_bytes(path, shown, self.limits)
        if data is None:
            self.problems += problems
            return None
        digest = hashlib.sha256(data).hexdigest()
        found = self.records.get(path, kind, digest) if self.records is not None else None
        if found is not None:
            self.problems += found[1]
            return typing.cast(R, found[0])
        text, problems = decode(data, shown)
        node = None
        if text is not None:
            node, more = parse(text, shown, self.limits)
            problems += more
        if node is None and problems:
            self.problems += problems
            return None  # not kept: a file that cannot be read is read again, and reported, every time
        value, more = make(node, shown)
        problems += more
        if self.records is not None:
            self.records.put(path, kind, digest, value, problems)
        self.problems += problems
        return value

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
                # a name that is not UTF-8 is reported (S019) but never printed: it would break the output
                if utf8_name(stray) and resolved(stray) not in listed:
                    self.problems.append(
                        warning(
                            "S016",
                            "section file is not listed in guideline.yaml contents, so it is not in the document",
                            Position(shown_path(stray)),
                        )
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
            paths: list[Path] = []
            for entry in sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and utf8_name(p)):
                # each file, not only the folder, stays inside: a profile may be a symlink
                found = self.contained(entry, f"{meta.evidence}/{entry.name}", where)
                if found is not None:
                    paths.append(found)
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
        return self.references_file(path, where)

    def references_file(self, path: Path, where: Position) -> list[Reference]:
        """The CSL items of one bibliography file (a guideline's own, or a library's shared one)."""

        def items(node: YamlNode | None, shown: str) -> tuple[list[Reference], list[Problem]]:
            if node is None:
                return [], [error("S006", "file is empty", Position(shown, 1, 1))]
            items = node.get("references") if isinstance(node, Mapping) else node
            if not isinstance(items, Sequence):
                expected = "expected a list of references (CSL YAML: 'references:' followed by items)"
                return [], [error("S006", f"{expected}, got {kind_of(node)}", node.pos)]
            convert = Converter()
            out = []
            for item in items.items:
                try:
                    out.append(reference(item, convert))
                except Invalid:
                    pass
            return out, convert.problems

        self.files.append(path)
        return self.parsed(path, "references", items) or []


def unrenderable_languages(meta: Metadata) -> list[Problem]:
    """Languages without a profile: refused where they are written, so no build can meet them."""
    found = []
    named = [(f"languages[{i}]", lang) for i, lang in enumerate(meta.languages)]
    for key, lang in [("source_language", meta.source_language), *named]:
        if profile(lang) is None:
            tags = known_tags()
            found.append(
                error(
                    "S007",
                    f"guidegen cannot render language '{lang}'{suggest(lang, tags)} (it renders: {', '.join(tags)})",
                    meta.where(key),
                )
            )
    return found


def scheme_path(directory: Path, meta: Metadata) -> list[Problem]:
    """A grading scheme file named in the YAML, refused before the grading module resolves it."""
    name, where = meta.grading, meta.where("grading")
    if name in BUILTIN:
        return []
    why = path_problem(name)
    if why is not None:
        return [error("S011", f"grading scheme path '{printable(name)}' {why}", where)]
    if resolved(directory / name) is None:
        return [error("S010", f"grading scheme '{printable(name)}' is a symlink loop", where)]
    return []  # where it leads is judged by load_scheme


def outside_folders(directory: Path, meta: Metadata) -> list[Problem]:
    """The catalog folder and the guideline's own theme, refused where they lead outside (issue 17):
    ``update`` writes catalogs into the one, and the PDF renderer serves files from the other."""
    found = []
    base = resolved(directory) or directory
    name, where = meta.translations, meta.where("translations")
    why = path_problem(name, climb=True)
    catalogs = resolved(directory / name) if why is None else None
    if why is not None:
        found.append(error("S011", f"translations path '{printable(name)}' {why}", where))
    elif catalogs is None:
        found.append(error("S010", f"translations folder '{printable(name)}' is a symlink loop", where))
    elif not catalogs.is_relative_to(base.parent):
        repository = printable(str(base.parent))
        message = f"translations folder '{printable(name)}' lies outside the repository ({repository})"
        found.append(error("S011", message, where))
    theme = directory / "theme"
    if theme.is_symlink() or theme.exists():
        inside = resolved(theme)
        if inside is None or not inside.is_relative_to(base):
            message = "the guideline's theme folder leads outside the guideline folder"
            found.append(error("S011", message, Position(shown_path(theme))))
    return found


def _library_of(directory: Path, limits: Limits) -> tuple[Library | None, list[Problem]]:
    """The library whose library.yaml lies at or above the guideline's folder, if any."""
    from .library import find_library, load_library

    root = find_library(directory.parent if (directory / "guideline.yaml").is_file() else directory)
    if root is None:
        return None, []
    return load_library(root, limits)


def load_guideline(directory: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Guideline | None, list[Problem]]:
    """The guideline in ``directory`` (the folder holding guideline.yaml), and every problem found."""
    records = KeptRecords(directory, limits)
    try:
        return _load(Loader(directory, limits, records=records), directory, limits)
    finally:
        records.save()


def _load(loader: Loader, directory: Path, limits: Limits) -> tuple[Guideline | None, list[Problem]]:
    path = directory / GUIDELINE_FILE
    if not path.is_file():
        where = Position(shown_path(path))
        return None, [error("S010", f"no {GUIDELINE_FILE} in '{shown_path(directory)}'", where)]
    meta = loader.read(path, Metadata)
    if meta is None:
        return None, loader.problems
    library, problems = _library_of(directory, limits)
    loader.problems += problems
    if not meta.languages and library is not None and library.meta.languages:
        meta = dataclasses.replace(meta, languages=library.meta.languages)  # the library's default languages
    if not meta.languages:
        loader.problems.append(
            error("S008", "missing 'languages' (and no library.yaml above gives default ones)", meta.pos)
        )
    loader.problems += list(unrenderable_languages(meta))
    refused = scheme_path(directory, meta)
    scheme = None
    if not refused:
        shared = library.path(library.meta.grading) if library is not None else None
        scheme, problems = load_scheme(
            meta.grading, directory, shown_path(directory), meta.where("grading"), shared_folder=shared
        )
        loader.problems += problems
    refused += outside_folders(directory, meta)
    loader.problems += refused
    sections = loader.sections(meta)
    profiles = loader.profiles(meta)
    references = loader.references(meta)
    if scheme is None or refused:  # nothing is read from a folder outside, not even by the checks
        return None, loader.problems
    comments = directory / COMMENTS
    consultation = loader.read(comments, Consultation) if comments.is_file() else None
    if library is not None and library.references:
        # the library's shared references, cited alongside the guideline's own (its own entry wins)
        own = {r.id for r in references}
        references += [r for r in library.references if r.id not in own]
    files = [*loader.files, *((library.root / "library.yaml",) if library is not None else ())]
    guideline = Guideline(
        root=directory,
        meta=meta,
        scheme=scheme,
        sections=tuple(sections),
        profiles=tuple(profiles),
        references=tuple(references),
        files=tuple(files),
        consultation=consultation,
        library=library,
    )
    return guideline, loader.problems
