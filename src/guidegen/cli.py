"""The command line: arguments in, text and an exit code out.

This is the only module that prints.  Exit codes: 0 fine, 1 problems found,
2 usage or I/O error (docs/checks.md).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from . import __version__
from .load import shown_path
from .model import Guideline
from .problems import FORMATTERS, Problem, Severity, format_text, has_errors, promote
from .yamlsrc import DEFAULT_LIMITS

if TYPE_CHECKING:
    from . import build
    from .yamlsrc import Limits

OK, PROBLEMS, USAGE = 0, 1, 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as exit 2 through our streams, never SystemExit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class UsageError(Exception):
    pass


def add_limits(p: argparse.ArgumentParser) -> None:
    from .yamlsrc import DEFAULT_LIMITS

    g = p.add_argument_group("limits on untrusted input")
    defaults = DEFAULT_LIMITS
    g.add_argument(
        "--max-file-bytes",
        type=positive,
        default=defaults.max_bytes,
        metavar="N",
        help=f"largest YAML file (default {defaults.max_bytes:,})",
    )
    g.add_argument(
        "--max-depth",
        type=positive,
        default=defaults.max_depth,
        metavar="N",
        help=f"deepest nesting (default {defaults.max_depth})",
    )
    g.add_argument(
        "--max-text",
        type=positive,
        default=defaults.max_text,
        metavar="N",
        help=f"longest single text (default {defaults.max_text:,})",
    )


def positive(text: str) -> int:
    """A whole number above zero, for argparse: a limit of 0 or -1 would refuse every file (issue 17)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not above zero")
    return value


def not_negative(text: str) -> int:
    """A whole number, zero or more, for argparse (``--jobs 0``: as many as there are CPUs)."""
    return 0 if text.strip() == "0" else positive(text)


def limits(args: argparse.Namespace) -> Limits:
    from .yamlsrc import Limits

    return Limits(max_bytes=args.max_file_bytes, max_depth=args.max_depth, max_text=args.max_text)


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .checks import check_guideline

    found = guideline_dirs(args, err)
    if found is None:
        return USAGE
    directories, problems = found
    for directory in directories:  # a library: every guideline, each problem at its own file and line
        problems += check_guideline(directory, limits(args))[1]
    if args.strict:
        problems = promote(problems)
    text = FORMATTERS[args.format](problems)
    out.write(text)
    return PROBLEMS if has_errors(problems) else OK


def guideline_dirs(args: argparse.Namespace, err: TextIO) -> tuple[list[Path], list[Problem]] | None:
    """The guideline folders a command works on: DIR itself, or every guideline of the library DIR holds.

    A folder with library.yaml (and no guideline.yaml) is a library root: all its
    guidelines, or the one ``--only ID`` names.  None (after a message) for a usage error.
    """
    from .library import LIBRARY_FILE, load_library
    from .library import guideline_dirs as listed

    directory = guideline_dir(args, err)
    if directory is None:
        return None
    only = getattr(args, "only", None)
    if not ((directory / LIBRARY_FILE).is_file() and not (directory / "guideline.yaml").is_file()):
        return [directory], []
    library, problems = load_library(directory, limits(args) if hasattr(args, "max_file_bytes") else DEFAULT_LIMITS)
    if library is None:
        return [], problems
    folders, more = listed(library)
    problems += more
    if only:
        folders = [f for f in folders if _guideline_id(f) == only]
        if not folders:
            err.write(f"guidegen: no guideline with id '{only}' in {shown_path(directory / LIBRARY_FILE)}\n")
            return None
    return folders, problems


def _targets(args: argparse.Namespace, err: TextIO) -> tuple[list[Path], int] | None:
    """``guideline_dirs`` for commands that go on past a library's problems: those are printed, and set the status."""
    found = guideline_dirs(args, err)
    if found is None:
        return None
    directories, problems = found
    if problems:
        err.write(format_text(problems))
    return directories, PROBLEMS if has_errors(problems) else OK


def _library_root(args: argparse.Namespace) -> bool:
    """Whether DIR is a library's folder (library.yaml, no guideline.yaml), not one guideline's."""
    directory = guideline_dir(args, io.StringIO())
    return (
        directory is not None
        and (directory / "library.yaml").is_file()
        and not (directory / "guideline.yaml").is_file()
    )


def _guideline_id(folder: Path) -> str:
    from .yamlsrc import Mapping, Scalar, load

    node, _ = load(folder / "guideline.yaml", "guideline.yaml")
    value = node.get("id") if isinstance(node, Mapping) else None
    return value.value if isinstance(value, Scalar) else folder.name


def guideline_dir(args: argparse.Namespace, err: TextIO) -> Path | None:
    """The DIR argument, if it is a folder (a usage error otherwise).

    Without one: ./guideline if it exists (a repository like the sample's), else the
    current folder if it holds guideline.yaml (after ``guidegen init DIR && cd DIR``).
    """
    if args.dir is None:
        if Path("guideline").is_dir():
            return Path("guideline")
        if Path("guideline.yaml").is_file():
            return Path(".")
        err.write(
            "guidegen: no guideline here: neither a folder ./guideline nor a file ./guideline.yaml; "
            "name the folder holding guideline.yaml\n"
        )
        return None
    directory = Path(args.dir)
    if directory.is_dir():
        return directory
    err.write(f"guidegen: '{args.dir}' is not a folder (expected the folder holding guideline.yaml)\n")
    return None


def _load(directory: Path, err: TextIO) -> Guideline | None:
    """The guideline for commands that need a sound one; problems go to ``err``."""
    from .load import load_guideline

    guideline, problems = load_guideline(directory)
    if guideline is None or has_errors(problems):
        err.write(format_text([p for p in problems if p.severity is Severity.ERROR]))
        return None
    return guideline


def cmd_update(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    targets = _targets(args, err)
    if targets is None:
        return USAGE
    directories, status = targets
    guidelines = [g for g in (_load(d, err) for d in directories) if g is not None]
    status = PROBLEMS if len(guidelines) < len(directories) else status
    # in a library, every other guideline's approved translations may suggest (siblings loaded for the memory)
    library = guidelines[0].library if guidelines else None
    siblings = guidelines
    if library is not None and len(directories) == 1:
        from .library import guideline_dirs as listed

        siblings = [g for g in (_load(d, io.StringIO()) for d in listed(library)[0]) if g is not None]
    for guideline in guidelines:
        status = max(status, update_catalogs(guideline, out, err, siblings if library is not None else []))
    return status


def update_catalogs(guideline: Guideline, out: TextIO, err: TextIO, library: list[Guideline] | None = None) -> int:
    """Extract the template and merge it into every language's catalog (creating missing ones).

    With the guidelines of a library, a message with no translation gets a fuzzy suggestion from
    the approved translations of the others (i18n/memory.py)."""
    from .atomic import write_atomic
    from .i18n import catalogs

    pot = catalogs.template(guideline)
    folder = catalogs.catalog_dir(guideline)
    write_atomic(folder / catalogs.TEMPLATE, catalogs.dumps(pot, template=True))
    out.write(f"{shown_path(folder / catalogs.TEMPLATE)}: {len(pot)} messages\n")
    status = OK
    for lang in catalogs.target_languages(guideline):
        path = catalogs.po_path(guideline, lang)
        old, problems = catalogs.read_catalog(path, shown_path(path), lang)
        if problems:  # never overwrite a catalog we could not read: its translations would be lost
            err.write(format_text(problems))
            status = PROBLEMS
            continue
        new = catalogs.merge(old, pot) if old is not None else catalogs.new_catalog(pot, lang)
        if old is not None:
            new.locale = old.locale
        suggested = 0
        if library:
            from .i18n.memory import library_memory, prefill

            suggested = prefill(new, library_memory(library, lang, leave_out=guideline))
        write_atomic(path, catalogs.dumps(new))
        stats = catalogs.statistics(guideline, lang, new)
        memory = f", {suggested} suggested by the translation memory" if suggested else ""
        out.write(
            f"{shown_path(path)}: {stats.translated} translated, {stats.fuzzy} fuzzy, {stats.missing} missing, "
            f"{stats.obsolete} obsolete{memory}\n"
        )
    return status


def cmd_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .i18n import catalogs
    from .load import shown_path

    targets = _targets(args, err)
    if targets is None:
        return USAGE
    directories, status = targets
    rows: list[tuple[str, catalogs.Stats]] = []
    for directory in directories:
        guideline = _load(directory, err)
        if guideline is None:  # a broken guideline is reported; the others are counted
            status = PROBLEMS
            continue
        for lang in catalogs.target_languages(guideline):
            path = catalogs.po_path(guideline, lang)
            catalog, more = catalogs.read_catalog(path, shown_path(path), lang)
            if more:
                err.write(format_text(more))
                status = PROBLEMS
                continue
            rows.append((guideline.meta.id, catalogs.statistics(guideline, lang, catalog)))
    library = len(directories) > 1 or _library_root(args)
    head = f"{'guideline':<24}" if library else ""
    out.write(
        f"{head}{'language':<10}{'total':>7}{'translated':>12}{'fuzzy':>7}{'missing':>9}{'obsolete':>10}{'memory':>8}{'percent':>9}\n"
    )
    for ident, s in rows:
        first = f"{ident:<24}" if library else ""
        out.write(
            f"{first}{s.language:<10}{s.total:>7}{s.translated:>12}{s.fuzzy:>7}{s.missing:>9}{s.obsolete:>10}{s.memory:>8}{s.percent:>8.1f}%\n"
        )
    if library and rows:
        for lang in dict.fromkeys(s.language for _, s in rows):
            group = [s for _, s in rows if s.language == lang]
            total, done = sum(s.total for s in group), sum(s.translated for s in group)
            fuzzy, missing = sum(s.fuzzy for s in group), sum(s.missing for s in group)
            obsolete, memory = sum(s.obsolete for s in group), sum(s.memory for s in group)
            percent = 100.0 * done / total if total else 100.0
            out.write(
                f"{'all ' + str(len(group)):<24}{lang:<10}{total:>7}{done:>12}{fuzzy:>7}"
                f"{missing:>9}{obsolete:>10}{memory:>8}{percent:>8.1f}%\n"
            )
    return status


def cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from . import build
    from .outputs import names

    found = guideline_dirs(args, err)
    if found is None:
        return USAGE
    directories, problems = found
    formats = [f.strip() for f in args.to.split(",") if f.strip()]
    bad = [f for f in formats if f not in names()]
    if bad or not formats:
        err.write(f"guidegen: unknown format {', '.join(bad) or '(none)'}; choose from {', '.join(names())}\n")
        return USAGE
    if args.scheduler not in ("local", "dask") and not args.scheduler.startswith(("tcp://", "tls://")):
        err.write(
            "guidegen: --scheduler is local, dask or a Dask scheduler's address (tcp://HOST:PORT), "
            f"not '{args.scheduler}'\n"
        )
        return USAGE
    langs = [lang.strip() for lang in args.lang.split(",") if lang.strip()] if args.lang else None
    jobs: list[build.Job] = []
    refused = 0
    for directory in directories:  # a library: a guideline with errors is reported and left out, the others go on
        planned, more = build.plan(directory, formats, langs, Path(args.out), args.strict, args.force, limits(args))
        problems += more
        jobs += planned
        refused += not planned
    if problems:
        err.write(format_text(problems))
    if not jobs:
        err.write("guidegen: nothing built: fix the errors above first\n")
        return PROBLEMS
    if refused:
        err.write(f"guidegen: {refused} guideline(s) not built: fix the errors above first\n")
    progress = Progress(out, err, out.isatty(), args.strict, library=len(directories) > 1)
    workers = args.jobs or build.default_jobs()
    stale = [job for job in jobs if not job.fresh]
    where = "" if args.scheduler == "local" else f" on Dask ({args.scheduler})"
    out.write(
        f"building {len(stale)} of {len(jobs)} output(s) with {max(1, min(workers, len(stale)))} worker(s){where}\n"
    )
    progress.start(jobs, workers)
    try:
        build.run(jobs, workers, progress.done, args.scheduler)
    except build.SchedulerUnreachable as exc:
        progress.stop()
        err.write(f"guidegen: {exc}\n")
        return USAGE
    progress.stop()
    indexes = list(Path(args.out).glob("index-*.html"))
    if (len(directories) > 1 or _library_root(args)) and (
        stale or refused or not indexes
    ):  # a no-op build leaves them be
        from .library_index import write_indexes

        for path in write_indexes(directories, Path(args.out), formats):
            out.write(f"  index      {shown_path(path)}\n")
    return PROBLEMS if progress.failed or refused else OK


class Progress:
    """One line per job: on a terminal a live block with elapsed times, elsewhere a plain line as each ends."""

    def __init__(self, out: TextIO, err: TextIO, tty: bool, strict: bool, library: bool = False) -> None:
        # a library's hundreds of jobs: one line each as it ends, counted, instead of a live block
        self.out, self.err, self.tty, self.strict, self.library = out, err, tty and not library, strict, library
        self.total = self.finished = 0
        self.failed = False
        self.lines: dict[tuple[str, str], str] = {}
        self.started: dict[tuple[str, str], float] = {}
        self.waiting: list[tuple[str, str]] = []
        self.workers = 1
        self.lock = threading.Lock()
        self.ticker: threading.Thread | None = None
        self.running = False
        self.drawn = 0
        self.notes: list[str] = []
        self.warnings: dict[str, list[str]] = {}

    def _key(self, job: build.Job) -> tuple[str, str]:
        if not self.library:
            return (job.lang, job.output)
        folder = job.target.name == "index.html"  # site/<id>/<lang>/index.html
        return (
            f"{job.target.parent.parent.name}/{job.lang}" if folder else job.target.name.rsplit(".", 1)[0],
            job.output,
        )

    def start(self, jobs: list[build.Job], workers: int) -> None:
        self.workers = workers
        self.total = len(jobs)
        for job in jobs:
            key = self._key(job)
            self.lines[key] = "waiting"
            if not job.fresh:
                self.waiting.append(key)
        self._promote()
        if self.tty:
            self.running = True
            self.ticker = threading.Thread(target=self._tick, daemon=True)
            self.ticker.start()

    def _promote(self) -> None:
        # the pool takes jobs in order: the first `workers` waiting ones are running
        now = time.monotonic()
        while self.waiting and len(self.started) < self.workers:
            self.started[self.waiting.pop(0)] = now

    def done(self, result: build.JobResult) -> None:
        job = result.job
        key = self._key(job)
        where = shown_path(result.path) if result.path else ""
        with self.lock:
            self.started.pop(key, None)
            self._promote()
            if result.problems:
                self.failed = True
                self.notes.append(format_text(result.problems))
                state = "failed"
            elif result.skipped:
                state = f"up to date  {where}"
            else:
                state = f"{result.seconds:5.1f} s     {where}"
            for warning in result.warnings:  # shown once at the end, however many outputs met it
                self.warnings.setdefault(warning, []).append(where)
                self.failed = self.failed or self.strict
            self.lines[key] = state
            self.finished += 1
            if not self.tty:
                count = f"[{self.finished}/{self.total}] " if self.library else ""
                self.out.write(f"  {count}{key[0]}.{job.output:<5} {state}\n")
                for note in self.notes:
                    self.err.write(note)
                self.notes.clear()

    def _render(self) -> None:
        now = time.monotonic()
        if self.drawn:
            self.out.write(f"\x1b[{self.drawn}F")
        for (lang, output), state in self.lines.items():
            if (lang, output) in self.started:
                state = f"{now - self.started[(lang, output)]:5.1f} s …"
            self.out.write(f"\x1b[2K  {lang}.{output:<5} {state}\n")
        self.drawn = len(self.lines)
        self.out.flush()

    def _tick(self) -> None:
        while self.running:
            with self.lock:
                self._render()
            time.sleep(0.2)

    def stop(self) -> None:
        if self.tty:
            self.running = False
            if self.ticker is not None:
                self.ticker.join()
            self._render()
        for note in self.notes:
            self.err.write(note)
        for warning, where in self.warnings.items():
            shown = where[0] if len(where) == 1 else f"{len(where)} outputs"
            self.err.write(f"{shown}: warning: {warning}\n")


def cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """A new guideline skeleton that checks and builds; never written over existing files."""
    import shutil
    from importlib import resources

    from .i18n.languages import known_tags, profile
    from .jsonschema import KINDS, dumps
    from .load import load_guideline

    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        err.write(f"guidegen: '{args.dir}' is not empty; init writes only into a new or empty folder\n")
        return USAGE
    langs = [lang.strip() for lang in args.lang.split(",") if lang.strip()]
    unknown = [lang for lang in langs if profile(lang) is None]
    if unknown or not langs:
        err.write(
            f"guidegen: cannot render {', '.join(unknown) or '(no language)'}; choose from {', '.join(known_tags())}\n"
        )
        return USAGE
    if "en" not in langs:  # the skeleton's text is English: the source language is always built
        langs.append("en")
    skeleton = Path(str(resources.files("guidegen") / "skeleton" / "guideline"))
    shutil.copytree(skeleton, target, dirs_exist_ok=True)
    meta = target / "guideline.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("languages: [en]", f"languages: [{', '.join(langs)}]"),
        encoding="utf-8",
    )
    (target / "schema").mkdir()
    for kind in KINDS:  # editors validate against these while the committee types
        (target / "schema" / f"{kind}.schema.json").write_text(dumps(kind), encoding="utf-8")
    guideline, _ = load_guideline(target)
    if guideline is not None:  # translators can start at once: translations/<lang>/LC_MESSAGES/guideline.po
        update_catalogs(guideline, out, err)
    out.write(f"created {args.dir}/guideline.yaml; next: cd {args.dir} && guidegen check\n")
    return OK


def cmd_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .serve import serve

    found = guideline_dirs(args, err)
    if found is None or not found[0]:
        if found is not None:
            err.write(format_text(found[1]))
        return USAGE
    directory = found[0][0]  # in a library: --only's guideline, else the first

    def report(line: str) -> None:
        out.write(line)
        out.flush()

    return serve(directory, args.lang or None, args.port, report)


def cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    targets = _targets(args, err)
    if targets is None:
        return USAGE
    directories, status = targets
    for directory in directories:  # a library: each guideline's changes in turn
        if len(directories) > 1:
            out.write(f"== {shown_path(directory)}\n")
        status = max(status, _diff_one(directory, args, out, err))
    return status


def _diff_one(directory: Path, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    from .revision import RevisionError, changelog, diff

    if args.docx:
        from .load import shown_path
        from .revision import tracked_docx

        if args.rev_to is not None:
            err.write("guidegen: --docx compares --from with the working tree; leave out --to\n")
            return USAGE
        try:
            for path, count in tracked_docx(directory, args.rev_from, Path(args.out)):
                out.write(f"{shown_path(path)}: {count} tracked change(s) since {args.rev_from}\n")
        except RevisionError as exc:
            err.write(f"guidegen: {exc}\n")
            return USAGE
        return OK
    try:
        changes = diff(directory, args.rev_from, args.rev_to)
    except RevisionError as exc:
        err.write(f"guidegen: {exc}\n")
        return USAGE
    if args.format == "json":
        out.write(json.dumps([c.as_dict() for c in changes], ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(changelog(changes, args.rev_from, args.rev_to))
    return OK


def cmd_comments_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .comments import ImportError_, append, from_csv, from_docx
    from .load import shown_path

    *given, file = args.paths
    if len(given) > 1:
        err.write("guidegen: comments import takes [DIR] FILE\n")
        return USAGE
    args.dir = given[0] if given else None
    directory = guideline_dir(args, err)
    if directory is None:
        return USAGE
    guideline = _load(directory, err)
    if guideline is None:
        return PROBLEMS
    path = Path(file)
    try:
        csv_file = args.csv or path.suffix.lower() == ".csv"
        received = from_csv(path, args.organisation, args.language) if csv_file else from_docx(path, args.organisation)
        target, added, known = append(guideline, received)
    except ImportError_ as exc:
        err.write(f"guidegen: {exc}\n")
        return PROBLEMS
    out.write(f"{shown_path(target)}: {added} comment(s) added, {known} already there\n")
    return OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .jsonschema import dumps

    out.write(dumps(args.kind))
    return OK


def version_text() -> str:
    """guidegen's version, and each output with the versions of the tools it renders with."""
    from importlib.metadata import PackageNotFoundError, version

    from .outputs import registry

    lines = [f"guidegen {__version__}"]
    for name, output in registry().items():
        tools = []
        for tool in output.tools:
            try:
                tools.append(f"{tool} {version(tool)}")
            except PackageNotFoundError:
                tools.append(f"{tool} (not installed)")
        lines.append(f"  {name:<6} {output.description}: {', '.join(tools)}")
    return "\n".join(lines)


DIR_HELP = (
    "folder holding guideline.yaml, or a library's (library.yaml: all its guidelines) "
    "(default: ./guideline, else the current folder)"
)


def parser() -> ArgumentParser:
    from .jsonschema import KINDS

    p = ArgumentParser(
        prog="guidegen",
        description="National clinical guideline drafts from YAML and gettext catalogs.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--version", action="store_true", help="show guidegen's version and the tools each output renders with"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    check = sub.add_parser("check", help="check structure, evidence and translations; print every problem")
    check.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    check.add_argument("--only", metavar="ID", help="in a library: only the guideline with this id")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (default: text)")
    add_limits(check)
    check.set_defaults(func=cmd_check)

    bld = sub.add_parser("build", help="check, then render PDF, DOCX and HTML drafts for every language")
    bld.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    bld.add_argument("--only", metavar="ID", help="in a library: only the guideline with this id")
    bld.add_argument(
        "--to",
        default="pdf,docx",
        help="outputs, comma-separated: pdf, docx, html, site, or a plug-in's (default: pdf,docx)",
    )
    bld.add_argument("--lang", default="", help="languages, comma-separated (default: all of the guideline's)")
    bld.add_argument("--out", default="build", help="output folder (default: build)")
    bld.add_argument("--jobs", type=not_negative, default=0, help="parallel jobs (default: number of CPUs)")
    bld.add_argument("--strict", action="store_true", help="treat warnings (check, WeasyPrint, pandoc) as errors")
    bld.add_argument("--force", action="store_true", help="rebuild even outputs that are up to date")
    bld.add_argument(
        "--scheduler",
        default="local",
        metavar="WHERE",
        help="local (processes, default), dask (a local Dask cluster of --jobs workers), "
        "or tcp://HOST:PORT (a running Dask scheduler)",
    )
    add_limits(bld)
    bld.set_defaults(func=cmd_build)

    update = sub.add_parser(
        "update", help="extract translations/guideline.pot and merge it into every language's catalog"
    )
    update.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    update.add_argument("--only", metavar="ID", help="in a library: only the guideline with this id")
    update.set_defaults(func=cmd_update)

    stats = sub.add_parser("stats", help="per language: translated, fuzzy, missing, obsolete messages")
    stats.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    stats.add_argument("--only", metavar="ID", help="in a library: only the guideline with this id")
    stats.set_defaults(func=cmd_stats)

    dif = sub.add_parser("diff", help="what changed between two git revisions of the guideline, block by block")
    dif.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    dif.add_argument("--only", metavar="ID", help="in a library: only the guideline with this id")
    dif.add_argument(
        "--from", dest="rev_from", required=True, metavar="REV", help="the older version: any git revision"
    )
    dif.add_argument(
        "--to", dest="rev_to", default=None, metavar="REV", help="the newer version (default: the working tree)"
    )
    dif.add_argument(
        "--format", choices=("text", "json"), default="text", help="a changelog, or a JSON list of {id, change, …}"
    )
    dif.add_argument(
        "--docx",
        action="store_true",
        help="write, for each language, the DOCX with the changes as Word tracked changes",
    )
    dif.add_argument("--out", default="build", help="folder for --docx (default: build)")
    dif.set_defaults(func=cmd_diff)

    com = sub.add_parser("comments", help="stakeholder comments from consultation")
    com_sub = com.add_subparsers(dest="comments_command", metavar="ACTION", parser_class=ArgumentParser, required=True)
    imp = com_sub.add_parser(
        "import",
        help="append the comments of a reviewed DOCX (or a CSV from the template) to consultation/comments.yaml",
    )
    imp.add_argument(
        "paths",
        nargs="+",
        metavar="[DIR] FILE",
        help="the guideline folder (default as for check), then the .docx or .csv",
    )
    imp.add_argument("--organisation", required=True, help="who sent the comments")
    imp.add_argument(
        "--csv", action="store_true", help="read FILE as a CSV in the template's columns: target, quote, comment"
    )
    imp.add_argument("--language", default="", help="language of the commented document (a CSV; a DOCX says its own)")
    imp.set_defaults(func=cmd_comments_import)

    srv = sub.add_parser(
        "serve", help="live preview of the web edition on 127.0.0.1, re-checked and re-rendered on every save"
    )
    srv.add_argument("dir", nargs="?", default=None, help=DIR_HELP)
    srv.add_argument("--only", metavar="ID", help="in a library: only the guideline with this id")
    srv.add_argument("--lang", default="", help="language to preview (default: the guideline's first)")
    srv.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free one)")
    srv.set_defaults(func=cmd_serve)

    init = sub.add_parser("init", help="create a new guideline skeleton that checks and builds")
    init.add_argument("dir", help="a new or empty folder")
    init.add_argument(
        "--lang",
        default="uz,ru,en",
        help="languages, comma-separated; the skeleton is written in en (default: uz,ru,en)",
    )
    init.set_defaults(func=cmd_init)

    schema = sub.add_parser("schema", help="print the JSON Schema of a kind of YAML file, for editors")
    schema.add_argument("kind", nargs="?", choices=list(KINDS), default="guideline")
    schema.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = parser().parse_args(argv)
    except UsageError as exc:
        err.write(f"{exc}\n")
        return USAGE
    except SystemExit as exc:  # --help and --version print and exit 0
        return int(exc.code or 0)
    if args.version:
        out.write(version_text() + "\n")
        return OK
    if args.command is None:
        parser().print_help(out)
        return USAGE
    try:
        code = int(args.func(args, out, err))
        out.flush()  # a full disk shows here, with a message, not after the exit code is decided (issue 17)
        return code
    except KeyboardInterrupt:
        err.write("guidegen: interrupted\n")
        return 130
    except BrokenPipeError:
        return OK
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else " (the output)"
        err.write(f"guidegen: cannot write: {exc.strerror or exc}{where}\n")
        return USAGE


__all__ = ["Severity", "main"]


def main_entry() -> NoReturn:
    """The console script: ``main()``, then exit without the interpreter's teardown.

    Freeing a large loaded guideline object by object took a fifth of ``check``
    after the work was done (docs/design-notes.md); like mypy, flush and leave.
    Every file is written and closed and every worker joined before ``main`` returns.
    """
    code = main()
    try:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BrokenPipeError:
                pass  # the reader has gone (guidegen check | head): as in main()
            except OSError as exc:  # a full disk (check > /dev/full): never a silent success (issue 17)
                said, code = code == USAGE, USAGE  # a usage error: main() has said so already
                if not said:
                    os.write(2, f"guidegen: cannot write the output: {exc.strerror or exc}\n".encode())
    finally:
        os._exit(code)
