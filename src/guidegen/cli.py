"""The command line: arguments in, text and an exit code out.

This is the only module that prints.  Exit codes: 0 fine, 1 problems found,
2 usage or I/O error (DESIGN.md §4).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .problems import FORMATTERS, Severity, has_errors, promote

OK, PROBLEMS, USAGE = 0, 1, 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports usage errors as exit 2 through our streams, never SystemExit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


class UsageError(Exception):
    pass


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .checks import check_guideline

    directory = Path(args.dir)
    if not directory.is_dir():
        err.write(f"guidegen: '{args.dir}' is not a folder (expected the folder holding guideline.yaml)\n")
        return USAGE
    _, problems = check_guideline(directory)
    if args.strict:
        problems = promote(problems)
    text = FORMATTERS[args.format](problems)
    out.write(text)
    return PROBLEMS if has_errors(problems) else OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .jsonschema import dumps

    out.write(dumps(args.kind))
    return OK


def parser() -> ArgumentParser:
    from .jsonschema import KINDS

    p = ArgumentParser(prog="guidegen", description="National clinical guideline drafts from YAML and gettext catalogs.")
    p.add_argument("--version", action="version", version=f"guidegen {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    check = sub.add_parser("check", help="check structure, evidence and translations; print every problem")
    check.add_argument("dir", nargs="?", default="guideline", help="folder holding guideline.yaml (default: guideline)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text", help="output format (default: text)")
    check.set_defaults(func=cmd_check)

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
    if args.command is None:
        parser().print_help(out)
        return USAGE
    try:
        return int(args.func(args, out, err))
    except KeyboardInterrupt:
        err.write("guidegen: interrupted\n")
        return 130
    except BrokenPipeError:
        return OK
    except OSError as exc:
        err.write(f"guidegen: {exc.strerror or exc}: {exc.filename or ''}\n")
        return USAGE


__all__ = ["main", "Severity"]


def main_entry() -> None:
    """The console script: ``sys.exit(main())``."""
    sys.exit(main())
