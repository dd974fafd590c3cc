"""Running a build's jobs: localize, build the document, render it through its output, write atomically.

Jobs run in parallel processes; each writes its output atomically, so a killed
build leaves every earlier output whole.  Whatever goes wrong in a job comes
back as a problem (B001), never as a traceback.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import write_atomic
from .cache import remember
from .i18n.catalogs import cached_catalog, catalog_language, po_path
from .i18n.localize import Localized, localize
from .load import shown_path
from .memory import paused_gc
from .model import Guideline
from .outputs import Rendered, registry
from .plan import CHECKED, Job
from .problems import Position, Problem, error, has_errors


@dataclass
class JobResult:
    job: Job
    path: Path | None = None
    skipped: bool = False
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def localized_for(guideline: Guideline, lang: str) -> tuple[Localized | None, list[Problem]]:
    source = catalog_language(guideline, lang)  # uz for uz-Cyrl, transliterated by localize()
    path = po_path(guideline, source)
    catalog, problems = (
        cached_catalog(path, shown_path(path), source) if source != guideline.meta.source_language else (None, [])
    )
    if problems:
        return None, problems
    localized = localize(guideline, lang, catalog)
    if localized.fallback_units and guideline.meta.status != "draft":
        # the T checks already refuse this; kept here so no renderer can ever be reached with it
        return None, [
            error("T101", f"{lang}: not translated in a {guideline.meta.status} document: {u.comment}", u.position)
            for u in localized.fallback_units
        ]
    return localized, []


def render(localized: Localized, output: str, guideline: Guideline) -> tuple[Rendered, list[str]]:
    """One output of one language (rendering only: writing is the caller's)."""
    from .render.document import build_document

    document = build_document(localized, guideline.theme)
    return registry()[output].render(document)


def write(job: Job, data: Rendered) -> bytes:
    """Write the output, atomically file by file; return the bytes of the file the cache records."""
    if isinstance(data, Mapping):
        root = job.target.parent.parent  # <out>/<output>/<guideline id>/ holds <lang>/index.html and shared assets
        for relative, content in sorted(data.items()):
            path = (root / relative).resolve()
            if not path.is_relative_to(root.resolve()):  # an output's own bug, never a user's file
                raise ValueError(f"{job.output} output wrote outside its folder: {relative}")
            write_atomic(path, content)
        return job.target.read_bytes()
    write_atomic(job.target, data)
    return data


def run_job(job: Job) -> JobResult:
    """Build one output; runs in a worker process.  Whatever goes wrong comes back as a problem, never a traceback."""
    try:
        return _run_job(job)
    except Exception as exc:  # a renderer's bug or a tool's crash: the other outputs go on
        return failed(job, exc)


def failed(job: Job, exc: BaseException) -> JobResult:
    where = Position(shown_path(job.directory / "guideline.yaml"))
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    message = (
        f"{job.lang}.{job.output} could not be made ({detail}); nothing was written for it. "
        "Please report this with the guideline."
    )
    return JobResult(job, path=job.target, problems=[error("B001", message, where)])


def _run_job(job: Job) -> JobResult:
    from .load import load_guideline

    start = time.perf_counter()
    result = JobResult(job, path=job.target)
    if job.fresh:
        result.skipped = True
        return result
    with paused_gc():
        guideline = CHECKED.get((job.directory, job.limits))
        if guideline is None:  # a worker that did not inherit the plan's guideline (spawned, not forked)
            guideline, problems = load_guideline(job.directory, job.limits)
            if guideline is None or has_errors(problems):
                result.problems = problems
                return result
        localized, problems = localized_for(guideline, job.lang)
    if localized is None:
        result.problems = problems
        return result
    data, result.warnings = render(localized, job.output, guideline)
    remember(job.out, job.target, job.key, write(job, data))
    result.seconds = time.perf_counter() - start
    return result


def run(
    jobs: list[Job], workers: int, progress: Callable[[JobResult], None], scheduler: str = "local"
) -> list[JobResult]:
    """Run the stale jobs, ``workers`` at a time, reporting each as it ends.

    ``scheduler``: "local" (processes of this machine), "dask" (a local Dask cluster of
    ``workers`` processes) or a Dask scheduler's address (``tcp://host:8786``), whose
    workers need guidegen installed and the guideline and output folders at the same paths.
    """
    results = [JobResult(job, path=job.target, skipped=True) for job in jobs if job.fresh]
    for result in results:
        progress(result)
    todo = [job for job in jobs if not job.fresh]
    if scheduler != "local" and todo:
        return results + run_on_dask(todo, workers, progress, scheduler)
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


class SchedulerUnreachable(Exception):
    """No Dask scheduler answered at the address given: nothing was built."""


def run_on_dask(
    todo: list[Job], workers: int, progress: Callable[[JobResult], None], scheduler: str
) -> list[JobResult]:
    """The jobs as Dask tasks (dask.distributed): one per (guideline, language, output), results as they end."""
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as completed

    cluster = None
    if scheduler == "dask":
        options = {"threads_per_worker": 1, "processes": True, "dashboard_address": None}
        cluster = LocalCluster(n_workers=max(1, workers), **options)  # type: ignore[no-untyped-call]
    results = []
    try:
        try:
            client = Client(cluster if cluster is not None else scheduler)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnreachable(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            futures = {
                client.submit(run_job, job, pure=False, key=f"guidegen-{i}-{job.lang}-{job.output}"): job
                for i, job in enumerate(todo)
            }
            for future in completed(futures):  # type: ignore[no-untyped-call]
                try:
                    result = future.result()
                except Exception as exc:  # the worker died, or the cluster lost it
                    result = failed(futures[future], exc)
                progress(result)
                results.append(result)
    finally:
        if cluster is not None:
            cluster.close()
    return results


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
