"""The pipeline: load -> check -> localize -> render -> write, one job per (language, format).

Jobs run in parallel processes; each output is rebuilt only when one of its
inputs changed (a fingerprint of every file it depends on is kept under the
output folder), and written atomically, so a killed build leaves every earlier
output whole.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from . import __version__
from .atomic import write_atomic
from .checks import check_guideline
from .i18n.catalogs import cached_catalog, catalog_language, po_path
from .i18n.labels import label_sources
from .i18n.localize import Localized, localize
from .load import shown_path
from .memory import paused_gc, settle
from .model import Guideline
from .problems import Position, Problem, error, has_errors, promote
from .yamlsrc import DEFAULT_LIMITS, Limits

FORMATS = ("pdf", "docx", "html")
CACHE = ".guidegen-cache"


@dataclass(frozen=True)
class Job:
    directory: Path
    lang: str
    fmt: str
    out: Path
    target: Path
    key: str
    fresh: bool = False  # up to date: nothing to do
    limits: Limits = DEFAULT_LIMITS


@dataclass
class JobResult:
    job: Job
    path: Path | None = None
    skipped: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def output_path(guideline: Guideline, lang: str, fmt: str, out: Path) -> Path:
    return out / f"{guideline.meta.id}-{guideline.meta.version}-{lang}.{fmt}"


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


def _tools(fmt: str) -> str:
    """Versions of the renderers, without importing or running them (a no-op build stays fast)."""
    from importlib.metadata import version

    from .render.pandoc import pandoc_path

    pandoc = pandoc_path().stat()  # the binary is 160 MB: its size and time, not its hash
    parts = [f"pandoc {version('pypandoc-binary')} {pandoc.st_size} {pandoc.st_mtime_ns}", f"babel {version('babel')}", f"jinja2 {version('jinja2')}"]
    if fmt == "pdf":
        parts.append(f"weasyprint {version('weasyprint')}")
    if fmt == "docx":
        parts.append(f"python-docx {version('python-docx')}")
    return " ".join(parts)


def fingerprint(guideline: Guideline, lang: str, fmt: str) -> str:
    """A hash of everything the (lang, fmt) output depends on."""
    h = hashlib.sha256(f"guidegen {__version__} {lang} {fmt} {_tools(fmt)} {source_date(guideline)}\n".encode())
    # a derived language (uz-Cyrl) depends on its source's catalogs (uz) and the package's corrections
    catalogs = [po_path(guideline, catalog_language(guideline, lang)), *(path for path, _ in label_sources(lang, guideline))]
    theme = guideline.root / "theme"
    extra = sorted(p for p in theme.rglob("*") if p.is_file()) if theme.is_dir() else []
    for path in [*guideline.files, *catalogs, *extra, *_package_files()]:
        h.update(str(path).encode())
        h.update(file_digest(path))
    return h.hexdigest()


def source_date(guideline: Guideline) -> int:
    """The timestamp written into outputs: SOURCE_DATE_EPOCH if set (reproducible-builds.org), else the guideline's date."""
    env = os.environ.get("SOURCE_DATE_EPOCH", "")
    if env.isdigit():
        return int(env)
    d = guideline.meta.date
    return int(datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.UTC).timestamp())


def _cache_file(out: Path, target: Path) -> Path:
    return out / CACHE / f"{target.name}.json"


def up_to_date(out: Path, target: Path, key: str) -> bool:
    try:
        record = json.loads(_cache_file(out, target).read_text())
        return bool(record["key"] == key and target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == record["output"])
    except (OSError, ValueError, KeyError):
        return False


def remember(out: Path, target: Path, key: str, data: bytes) -> None:
    record = {"key": key, "output": hashlib.sha256(data).hexdigest()}
    write_atomic(_cache_file(out, target), json.dumps(record).encode())


def localized_for(guideline: Guideline, lang: str) -> tuple[Localized | None, list[Problem]]:
    source = catalog_language(guideline, lang)  # uz for uz-Cyrl, transliterated by localize()
    path = po_path(guideline, source)
    catalog, problems = cached_catalog(path, shown_path(path), source) if source != guideline.meta.source_language else (None, [])
    if problems:
        return None, problems
    localized = localize(guideline, lang, catalog)
    if localized.fallback_units and guideline.meta.status != "draft":
        # the T checks already refuse this; kept here so no renderer can ever be reached with it
        return None, [error("T101", f"{lang}: not translated in a {guideline.meta.status} document: {u.comment}", u.position) for u in localized.fallback_units]
    return localized, []


def render(localized: Localized, fmt: str, guideline: Guideline) -> tuple[bytes, list[str]]:
    """One output's bytes (rendering only: writing is the caller's)."""
    from .render.html import render_html

    html, warnings = render_html(localized, guideline.root / "theme")
    if fmt == "html":
        return html.encode("utf-8"), warnings
    renderer = RENDERERS[fmt]
    data, more = renderer(html, guideline, localized.language)
    return data, warnings + more


def _pdf(html: str, guideline: Guideline, lang: str) -> tuple[bytes, list[str]]:
    from .render.pdf import render_pdf
    from .render.theme import theme_dir

    ident = f"{guideline.meta.id}-{guideline.meta.version}-{lang}"
    return render_pdf(html, guideline.root.resolve(), [guideline.root.resolve()], theme_dir(guideline.root / "theme"), ident, source_date(guideline))


def _docx(html: str, guideline: Guideline, lang: str) -> tuple[bytes, list[str]]:
    from .render.docx import render_docx

    return render_docx(html, lang, source_date(guideline))


RENDERERS: dict[str, Callable[[str, Guideline, str], tuple[bytes, list[str]]]] = {"pdf": _pdf, "docx": _docx}


# The guideline the plan has just checked, by folder: jobs in this process, and in
# workers forked from it, render exactly what was checked instead of loading it again.
_CHECKED: dict[tuple[Path, Limits], Guideline] = {}


def run_job(job: Job) -> JobResult:
    """Build one output; runs in a worker process.  Whatever goes wrong comes back as a problem, never a traceback."""
    try:
        return _run_job(job)
    except Exception as exc:  # a renderer's bug or a tool's crash: the other outputs go on
        return failed(job, exc)


def failed(job: Job, exc: BaseException) -> JobResult:
    where = Position(shown_path(job.directory / "guideline.yaml"))
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    message = f"{job.lang}.{job.fmt} could not be made ({detail}); nothing was written for it. Please report this with the guideline."
    return JobResult(job, path=job.target, problems=[error("B001", message, where)])


def _run_job(job: Job) -> JobResult:
    from .load import load_guideline

    start = time.perf_counter()
    result = JobResult(job, path=job.target)
    if job.fresh:
        result.skipped = True
        return result
    with paused_gc():
        guideline = _CHECKED.get((job.directory, job.limits))
        if guideline is None:  # a worker that did not inherit the plan's guideline (spawned, not forked)
            guideline, problems = load_guideline(job.directory, job.limits)
            if guideline is None or has_errors(problems):
                result.problems = problems
                return result
        localized, problems = localized_for(guideline, job.lang)
    if localized is None:
        result.problems = problems
        return result
    settle()
    data, result.warnings = render(localized, job.fmt, guideline)
    write_atomic(job.target, data)
    remember(job.out, job.target, job.key, data)
    result.seconds = time.perf_counter() - start
    return result


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
    folders = [directory, (directory / (translations.value if isinstance(translations, Scalar) else "../translations"))]
    files = [p for folder in folders if folder.is_dir() for p in folder.rglob("*")]
    for path in sorted([*files, *_package_files()]):
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _state_file(out: Path) -> Path:
    return out / CACHE / "state.json"


def _problem_dict(p: Problem) -> dict[str, object]:
    return {"code": p.code, "severity": p.severity.value, "message": p.message, "file": p.position.file, "line": p.position.line, "column": p.position.column}


def _cached_plan(
    directory: Path, formats: list[str], languages: list[str] | None, out: Path, limits: Limits, state: str
) -> tuple[list[Job], list[Problem]] | None:
    """The previous plan, if nothing any output depends on has changed since: a no-op build skips the checks."""
    from .problems import Severity

    try:
        record = json.loads(_state_file(out).read_text())
        if record["state"] != state:
            return None
        problems = [Problem(d["code"], Severity(d["severity"]), d["message"], Position(d["file"], d["line"], d["column"])) for d in record["problems"]]
        jobs = []
        for lang in languages or record["languages"]:
            for fmt in formats:
                target, key = record["outputs"][f"{lang}.{fmt}"]
                if not up_to_date(out, Path(target), key):
                    return None
                jobs.append(Job(directory, lang, fmt, out, Path(target), key, fresh=True, limits=limits))
        return jobs, problems
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember_plan(out: Path, state: str, guideline: Guideline, problems: list[Problem], jobs: list[Job]) -> None:
    """Record the plan under the state taken *before* the check, so an edit made while it ran is never taken as checked."""
    try:
        old = json.loads(_state_file(out).read_text())
        outputs = old.get("outputs", {}) if old.get("state") == state else {}
    except (OSError, ValueError):
        outputs = {}
    outputs.update({f"{job.lang}.{job.fmt}": [str(job.target), job.key] for job in jobs})
    record = {"state": state, "languages": list(guideline.meta.languages), "problems": [_problem_dict(p) for p in problems], "outputs": outputs}
    write_atomic(_state_file(out), json.dumps(record).encode())


def plan(
    directory: Path, formats: Iterable[str], languages: Iterable[str] | None, out: Path, strict: bool = False, force: bool = False, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Job], list[Problem]]:
    """Check first (DESIGN.md §5): no job is planned while an error remains."""
    formats = list(formats)
    languages = list(languages) if languages else None
    state = quick_state(directory, limits)
    if not force:
        cached = _cached_plan(directory, formats, languages, out, limits, state)
        if cached is not None:
            jobs, problems = cached
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
        return [], problems + [error("S007", f"language '{lang}' is not among the guideline's languages", where) for lang in unknown]
    clean_stale(out)
    _CHECKED.clear()
    _CHECKED[(directory, limits)] = guideline
    jobs = []
    for lang in langs:
        for fmt in formats:
            target = output_path(guideline, lang, fmt, out)
            key = fingerprint(guideline, lang, fmt)
            jobs.append(Job(directory, lang, fmt, out, target, key, fresh=not force and up_to_date(out, target, key), limits=limits))
    _remember_plan(out, state, guideline, unpromoted, jobs)
    return jobs, problems


def run(jobs: list[Job], workers: int, progress: Callable[[JobResult], None]) -> list[JobResult]:
    """Run the stale jobs, ``workers`` at a time in separate processes, reporting each as it ends."""
    results = [JobResult(job, path=job.target, skipped=True) for job in jobs if job.fresh]
    for result in results:
        progress(result)
    todo = [job for job in jobs if not job.fresh]
    if workers <= 1 or len(todo) <= 1:
        for job in todo:
            result = run_job(job)
            progress(result)
            results.append(result)
        return results
    with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        futures = {pool.submit(run_job, job): job for job in todo}
        for future in as_completed(futures):
            try:
                result = future.result()
            except Exception as exc:  # the worker itself died (killed, out of memory)
                result = failed(futures[future], exc)
            progress(result)
            results.append(result)
    return results


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


__all__ = ["FORMATS", "Job", "JobResult", "plan", "run", "run_job"]
