"""Safe YAML with positions: bytes of a committee's file -> a tree of nodes.

Every node remembers where it stands (file:line:column).  Values are kept as
the text the committee typed: whether ``no`` is a string or ``010`` a number is
decided later by the schema, never by YAML 1.1's resolver.  Anchors, aliases,
tags, duplicate keys, several documents, oversize files and deep nesting are
refused with a problem; nothing here raises for bad input.

libyaml's C parser is used when PyYAML was built with it (the usual wheels
are); the pure-Python parser gives the same events, only slower.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from .kept import keep, kept
from .problems import Position, Problem, error

try:
    _Parser: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Parser = yaml.SafeLoader


class _Mark(Protocol):
    """A position as both of PyYAML's parsers (C and Python) report it."""

    line: int
    column: int


@dataclass(frozen=True)
class Limits:
    """Bounds on untrusted input; a guideline may need larger ones, so they are settings."""

    max_bytes: int = 4_000_000
    max_depth: int = 40
    max_text: int = 100_000  # characters in one scalar


DEFAULT_LIMITS = Limits()

# Characters a reader cannot see, besides Unicode's format characters (Cf, which holds the bidirectional
# controls U+061C, U+200E-U+200F, U+202A-U+202E and U+2066-U+2069): line and paragraph separators, which
# YAML reads as line breaks, and the Hangul fillers, letters that print as nothing (issue 17).
_ALSO_INVISIBLE = "\u2028\u2029\u115f\u1160\u3164\uffa0"
# Bidirectional embeddings, overrides and isolates reorder what follows them: no language may allow them,
# since the checks compare numbers and citations in stored order (docs/checks.md, S017).
REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@cache
def _invisible() -> frozenset[str]:
    # Format characters live in the first two planes and in plane 14 (tags).  Reading those is a good part of
    # checking a small guideline, so what Python's Unicode database gives is kept between runs.
    key = f"Cf {unicodedata.unidata_version}"
    format_chars = kept("chars", key, folder="unicode")
    if not isinstance(format_chars, str):
        planes = [*range(0x20000), *range(0xE0000, 0xE1000)]
        format_chars = "".join(chr(c) for c in planes if unicodedata.category(chr(c)) == "Cf")
        keep("chars", key, format_chars, folder="unicode")
    chars = set(format_chars)
    chars |= {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {chr(c) for c in range(0x7F, 0xA0)}
    return frozenset(chars | set(_ALSO_INVISIBLE))


def is_invisible(char: str) -> bool:
    """A control (other than tab and line breaks), format, bidirectional or otherwise invisible character."""
    return char in _invisible()


@dataclass(frozen=True)
class Invisible:
    """The invisible characters a text may not hold (all but a language profile's ``allowed``), found quickly."""

    chars: frozenset[str]
    # A superset, for speed: the BMP characters one by one (re makes a bitmap of them) and one range for every
    # character beyond U+FFFF, each tested against ``chars``; the exact class is three times slower on 10 MB.
    candidates: re.Pattern[str]

    def find(self, text: str) -> Iterator[tuple[int, str]]:
        """(offset, character) of each one in ``text``."""
        for match in self.candidates.finditer(text):
            if match.group() in self.chars:
                yield match.start(), match.group()

    def search(self, text: str) -> bool:
        return next(self.find(text), None) is not None

    def __contains__(self, char: object) -> bool:
        return char in self.chars


@cache
def invisible(allowed: frozenset[str] = frozenset()) -> Invisible:
    """The invisible characters except ``allowed``."""
    chars = _invisible() - allowed
    bmp = "".join(re.escape(c) for c in sorted(chars) if ord(c) <= 0xFFFF)
    return Invisible(chars, re.compile(f"[{bmp}\U00010000-\U0010ffff]"))


def printable(text: str) -> str:
    """``text`` for a message: invisible characters written as escapes (\\u202e), so that a message never
    moves the terminal's cursor, hides a word or reorders itself; a file name that is not UTF-8 shows its
    bytes (\\xcf)."""
    if any("\udc80" <= c <= "\udcff" for c in text):
        text = text.encode(sys.getfilesystemencoding(), "surrogateescape").decode("utf-8", "backslashreplace")

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return char.encode("unicode_escape").decode() if char in invisible() else char

    return invisible().candidates.sub(escape, text).translate(_LINE_BREAKS)


_LINE_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


@dataclass(slots=True)
class Scalar:
    value: str
    plain: bool
    pos: Position


@dataclass(slots=True)
class Sequence:
    items: list[Node]
    pos: Position


@dataclass(slots=True)
class Mapping:
    items: list[tuple[Scalar, Node]] = field(default_factory=list)
    pos: Position = field(default_factory=lambda: Position(""))

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


Node = Scalar | Sequence | Mapping


def kind_of(node: Node) -> str:
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "text" if not node.plain else f"'{node.value}'"


def read_bytes(path: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or a problem saying why they cannot be read."""
    where = Position(shown)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            message = f"file is {size:,} bytes, over the limit of {limits.max_bytes:,} (--max-file-bytes)"
            return None, [error("S014", message, where)]
        return path.read_bytes(), []
    except FileNotFoundError:
        return None, [error("S010", "file not found", where)]
    except OSError as exc:
        return None, [error("S010", f"cannot read file: {exc.strerror or exc}", where)]


def decode(data: bytes, shown: str) -> tuple[str | None, list[Problem]]:
    """The bytes of a file as UTF-8 text (a BOM is allowed), or a problem saying why not."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [error("S015", "file is UTF-16; save it as UTF-8", Position(shown, 1, 1))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        return None, [error("S015", message, Position(shown, line, col))]
    if "\x00" in text:
        return None, [error("S015", "file holds NUL bytes: not a text file", Position(shown, 1, 1))]
    return text, []


def read_text(path: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a BOM is allowed), or a problem saying why not."""
    data, problems = read_bytes(path, shown, limits)
    return (None, problems) if data is None else decode(data, shown)


def parse(text: str, shown: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Node | None, list[Problem]]:
    """Compose one YAML document into nodes; ``None`` plus problems when that is impossible."""
    return _Composer(text, shown, limits).compose()


class _TooDeep(Exception):
    """Nesting beyond the limit: composing stops (the problem is recorded)."""


class _Composer:
    """PyYAML's events -> nodes, one method per kind of event.

    PyYAML's own composer and constructor would resolve an alias and keep one of two equal keys; reading the
    events lets each be refused where it stands.
    """

    def __init__(self, text: str, shown: str, limits: Limits) -> None:
        self.text = text
        self.shown = shown
        self.limits = limits
        self.problems: list[Problem] = []
        self.root: Node | None = None
        self.documents = 0
        self.lines: list[str] | None = None
        # the open collections, innermost last; for each mapping, its key waiting for a value and the keys seen
        self.stack: list[Mapping | Sequence] = []
        self.pending_key: list[Scalar | None] = []
        self.keys_seen: list[set[str]] = []

    def compose(self) -> tuple[Node | None, list[Problem]]:
        parser = _Parser(self.text)
        handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self.scalar,
            yaml.MappingStartEvent: self.collection_start,
            yaml.SequenceStartEvent: self.collection_start,
            yaml.MappingEndEvent: self.collection_end,
            yaml.SequenceEndEvent: self.collection_end,
            yaml.AliasEvent: self.alias,
        }
        try:
            while (event := parser.get_event()) is not None:
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
                elif isinstance(event, yaml.DocumentStartEvent) and not self.document_start(event):
                    break
        except _TooDeep:
            return None, self.problems
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = self.pos(mark) if mark is not None else Position(self.shown)
            message = " ".join(part for part in (exc.context, exc.problem) if part)
            if "nesting depth" in message:  # libyaml's own bound, below ours when flow collections nest
                self.problems.append(error("S014", f"nesting deeper than libyaml allows ({message})", where))
            else:
                self.problems.append(error("S001", f"YAML syntax: {message}", where))
            return None, self.problems
        except yaml.YAMLError as exc:  # e.g. a control character libyaml refuses
            self.problems.append(error("S001", f"YAML syntax: {exc}", Position(self.shown, 1, 1)))
            return None, self.problems
        return self.root, self.problems

    def pos(self, mark: _Mark | None) -> Position:
        return Position(self.shown, mark.line + 1, mark.column + 1) if mark is not None else Position(self.shown)

    def block_indent(self, mark: _Mark | None) -> int:
        """The indentation of a block scalar's content: the first line below its mark that is not blank."""
        if mark is None:
            return 0
        if self.lines is None:
            self.lines = self.text.splitlines()
        for n in range(mark.line + 1, len(self.lines)):  # not a slice: that copied the rest of the file each time
            line = self.lines[n]
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return 0

    def document_start(self, event: yaml.DocumentStartEvent) -> bool:
        """False at a second document, where composing stops."""
        self.documents += 1
        if self.documents > 1:
            message = "a file holds one YAML document; remove the '---' separator"
            self.problems.append(error("S001", message, self.pos(event.start_mark)))
            return False
        return True

    def alias(self, event: yaml.AliasEvent) -> None:
        where = self.pos(event.start_mark)
        self.problems.append(error("S003", f"aliases (*{event.anchor}) are not allowed: write the value out", where))
        self.attach(Scalar("", True, where))

    def node_start(self, event: yaml.NodeEvent) -> Position:
        """The node's position, once its anchor and tag (refused) are reported."""
        mark: _Mark = event.start_mark  # type: ignore[assignment]  # both parsers mark every event
        where = Position(self.shown, mark.line + 1, mark.column + 1)
        if event.anchor is not None or getattr(event, "tag", None) is not None:
            self.refuse(event, where)
        return where

    def refuse(self, event: yaml.NodeEvent, where: Position) -> None:
        if event.anchor is not None:
            self.problems.append(error("S003", f"anchors (&{event.anchor}) are not allowed", where))
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            self.problems.append(error("S004", f"tags such as '{tag}' are not allowed", where))

    def scalar(self, event: yaml.ScalarEvent) -> None:
        # the commonest event by far (half of a guideline's 400,000): node_start and attach written out here
        mark: _Mark = event.start_mark  # type: ignore[assignment]  # both parsers mark every event
        if event.style == "|":
            where = Position(self.shown, mark.line + 1, mark.column + 1, self.block_indent(mark))
        else:
            where = Position(self.shown, mark.line + 1, mark.column + 1)
        if event.anchor is not None or event.tag is not None:
            self.refuse(event, where)
        value = event.value
        if len(value) > self.limits.max_text:
            limit = self.limits.max_text
            message = f"text of {len(value):,} characters, over the limit of {limit:,} (--max-text)"
            self.problems.append(error("S014", message, where))
            value = ""
        node = Scalar(value, not event.style, where)
        if self.stack and self.pending_key[-1] is not None:  # a mapping's value
            self.stack[-1].items.append((self.pending_key[-1], node))  # type: ignore[arg-type]
            self.pending_key[-1] = None
        else:
            self.attach(node)

    def collection_start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        where = self.node_start(event)
        if len(self.stack) >= self.limits.max_depth:
            message = f"nesting deeper than {self.limits.max_depth} levels (--max-depth)"
            self.problems.append(error("S014", message, where))
            raise _TooDeep
        mapping = isinstance(event, yaml.MappingStartEvent)
        node: Mapping | Sequence = Mapping([], where) if mapping else Sequence([], where)
        self.attach(node)
        self.stack.append(node)
        self.pending_key.append(None)
        self.keys_seen.append(set())

    def collection_end(self, event: yaml.CollectionEndEvent) -> None:
        self.stack.pop()
        self.pending_key.pop()
        self.keys_seen.pop()

    def attach(self, node: Node) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = self.pending_key[-1]
        if key is not None:
            parent.items.append((key, node))
            self.pending_key[-1] = None
            return
        if not isinstance(node, Scalar):
            self.problems.append(error("S006", "a key must be plain text", node.pos))
            node = Scalar("", True, node.pos)
        if node.value in self.keys_seen[-1]:
            self.problems.append(error("S002", f"duplicate key '{node.value}'", node.pos))
        self.keys_seen[-1].add(node.value)
        self.pending_key[-1] = node


def load(path: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> tuple[Node | None, list[Problem]]:
    """Read and parse one file."""
    text, problems = read_text(path, shown, limits)
    if text is None:
        return None, problems
    root, more = parse(text, shown, limits)
    return root, problems + more
