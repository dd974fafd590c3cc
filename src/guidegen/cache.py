"""The build cache: what an output depends on, and whether the output on disk is still what it would be.

Each output is rebuilt only when one of its inputs changed: a fingerprint of
every file it depends on (the guideline, its catalogs and theme, guidegen's own
code and data, the renderers' versions) is kept under the output folder with a
hash of the output.  A no-op build skips even the checks: when no input file
changed since the last plan (sizes and times), its problems are replayed.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .i18n.catalogs import catalog_language, po_path
from .i18n.labels import label_sources
from .model import Guideline
from .outputs import Output
from .problems import Position, Problem, Severity, problem_dict
from .stamp import source_date
from .yamlsrc import Limits

CACHE = ".guidegen-cache"


@cache
def _package_files() -> tuple[Path, ...]:
    """guidegen's own code and data: a change to any of them may change every output."""
    root = Path(str(resources.files("guidegen")))
    return tuple(sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in (".mo", ".pyc")))


@cache
def _digest(path: Path, size: int, mtime_ns: int) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def file_digest(path: Path) -> bytes:
    """A file's content hash, computed once per process for an unchanged file."""
    try:
        st = path.stat()
    except OSError:
        return b"-"
    return _digest(path, st.st_size, st.st_mtime_ns)


def tools(output: Output) -> str:
    """Versions of an output's renderers, without importing or running them (a no-op build stays fast)."""
    parts = []
    for name in output.tools:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} -")
        if name == "pypandoc-binary":
            from .render.pandoc import pandoc_path

            pandoc = pandoc_path().stat()  # the binary is 160 MB: its size and time, not its hash
            parts.append(f"{pandoc.st_size} {pandoc.st_mtime_ns}")
    return " ".join(parts)


def fingerprint(guideline: Guideline, lang: str, output: Output) -> str:
    """A hash of everything the (language, output) depends on."""
    h = hashlib.sha256(
        f"guidegen {__version__} {lang} {output.name} {tools(output)} {source_date(guideline)}\n".encode()
    )
    if guideline.meta.previous:  # a branch or tag may move: the change annex follows the commit it names now
        from .revision import RevisionError, commit

        try:
            h.update(commit(guideline.root, guideline.meta.previous).encode())
        except RevisionError:
            h.update(b"-")
    # a derived language (uz-Cyrl) depends on its source's catalogs (uz) and the package's corrections
    catalogs = [
        po_path(guideline, catalog_language(guideline, lang)),
        *(path for path, _ in label_sources(lang, guideline)),
    ]
    theme = guideline.theme
    extra = sorted(p for p in theme.rglob("*") if p.is_file()) if theme.is_dir() else []
    for path in [*guideline.files, *catalogs, *extra, *_package_files()]:
        h.update(str(path).encode())
        h.update(file_digest(path))
    return h.hexdigest()


def _cache_file(out: Path, target: Path) -> Path:
    # folder outputs have an index.html per language: the path below --out names the record
    relative = target.relative_to(out) if target.is_relative_to(out) else Path(target.name)
    return out / CACHE / f"{'__'.join(relative.parts)}.json"


def up_to_date(out: Path, target: Path, key: str) -> bool:
    try:
        record = json.loads(_cache_file(out, target).read_text())
        return bool(
            record["key"] == key
            and target.is_file()
            and hashlib.sha256(target.read_bytes()).hexdigest() == record["output"]
        )
    except (OSError, ValueError, KeyError):
        return False


def remember(out: Path, target: Path, key: str, data: bytes) -> None:
    record = {"key": key, "output": hashlib.sha256(data).hexdigest()}
    write_atomic(_cache_file(out, target), json.dumps(record).encode())


def clean_stale(out: Path) -> None:
    """Temporary files a killed build left behind (never a finished output)."""
    if out.is_dir():
        for tmp in [*out.glob(".*.tmp"), *(out / CACHE).glob(".*.tmp")]:
            if time.time() - tmp.stat().st_mtime > 3600:  # an hour old: no build still writes it
                tmp.unlink(missing_ok=True)


def quick_state(directory: Path, limits: Limits) -> str:
    """Sizes and times of every file a build reads: unchanged means the last check and fingerprints still hold."""
    from .yamlsrc import Mapping, Scalar, load

    h = hashlib.sha256(f"{__version__} {limits} {os.environ.get('SOURCE_DATE_EPOCH', '')}\n".encode())
    node, _ = load(directory / "guideline.yaml", "guideline.yaml", limits)
    translations = node.get("translations") if isinstance(node, Mapping) else None
    catalogs = (directory / (translations.value if isinstance(translations, Scalar) else "../translations")).resolve()
    # a catalogs folder outside the guideline's parent is refused by the check (S011): never walked here
    folders = [directory] + ([catalogs] if catalogs.is_relative_to(directory.resolve().parent) else [])
    from .library import LIBRARY_FILE, find_library

    library = find_library(directory.parent)
    if library is not None:  # shared references, glossary, schemes, theme and labels are inputs too
        folders.append(library / LIBRARY_FILE)
        shared = load(library / LIBRARY_FILE, LIBRARY_FILE, limits)[0]
        for key in ("references", "glossary", "grading", "theme", "labels"):
            value = shared.get(key) if isinstance(shared, Mapping) else None
            if isinstance(value, Scalar) and (library / value.value).resolve().is_relative_to(library.resolve()):
                folders.append(library / value.value)
    files = [p for folder in folders if folder.is_dir() for p in folder.rglob("*")] + [
        f for f in folders if f.is_file()
    ]
    for path in sorted([*files, *_package_files()]):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(os.fsencode(path) + f"\0{st.st_size}\0{st.st_mtime_ns}\n".encode())  # a name need not be UTF-8
    return h.hexdigest()


def _state_file(out: Path, directory: Path) -> Path:
    # one record per guideline: a library's guidelines share one output folder
    return out / CACHE / f"state-{hashlib.sha256(os.fsencode(directory.resolve())).hexdigest()[:16]}.json"


def previous_plan(
    out: Path, directory: Path, state: str
) -> tuple[dict[str, tuple[Path, str]], list[str], list[Problem]] | None:
    """The last plan recorded under ``state``: (outputs by 'lang.output' -> (target, key), languages, problems).

    None when there is none, when inputs changed since, or when the record is not
    of the shape this version writes (then the build simply plans afresh).
    """
    try:
        record = json.loads(_state_file(out, directory).read_text())
        if not isinstance(record, dict) or record.get("state") != state:
            return None
        problems = [
            Problem(d["code"], Severity(d["severity"]), d["message"], Position(d["file"], d["line"], d["column"]))
            for d in record["problems"]
        ]
        outputs = {str(k): (Path(v[0]), str(v[1])) for k, v in record["outputs"].items()}
        languages = [str(lang) for lang in record["languages"]]
        return outputs, languages, problems
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def remember_plan(
    out: Path,
    directory: Path,
    state: str,
    languages: list[str],
    problems: list[Problem],
    outputs: dict[str, tuple[Path, str]],
) -> None:
    """Record the plan under the state taken *before* the check, so an edit made while it ran is never taken as
    checked."""
    previous = previous_plan(out, directory, state)
    merged = {k: [str(t), key] for k, (t, key) in (previous[0] if previous else {}).items()}
    merged.update({k: [str(t), key] for k, (t, key) in outputs.items()})
    record = {
        "state": state,
        "languages": languages,
        "problems": [problem_dict(p) for p in problems],
        "outputs": merged,
    }
    write_atomic(_state_file(out, directory), json.dumps(record).encode())
