"""YAML nodes -> model dataclasses, driven by the dataclasses' own fields.

The type hints of ``model`` decide what a value means: ``no`` stays the text
"no" where text is expected, ``010`` is refused where a number is expected
(YAML 1.1 would read 8, YAML 1.2 10: a committee meant neither for sure).
Unknown keys get a did-you-mean; every problem names the node's position.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
import types
import typing
from decimal import Decimal
from functools import cache
from typing import Any, Union

from . import model
from .problems import Position, Problem, error
from .yamlsrc import Mapping, Node, Scalar, Sequence, kind_of, printable

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")
_NULLS = {"", "~", "null", "Null", "NULL"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A sane range for a guideline's date; outside it is a typo, and a year after 2107 cannot even be
# stored as a ZIP (DOCX) timestamp.
DATE_YEARS = (1900, 2099)


class Invalid(Exception):
    """A value that cannot be used; the problem has been recorded."""


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def one_of(choices: typing.Iterable[str]) -> str:
    return ", ".join(choices)


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    name: str
    key: str
    hint: Any
    required: bool
    meta: typing.Mapping[str, Any]


def specs(cls: type) -> dict[str, FieldSpec]:
    return _specs(typing.cast(typing.Hashable, cls))


@cache
def _specs(cls: typing.Any) -> dict[str, FieldSpec]:
    """The YAML keys of a model class, in declaration order."""
    hints = typing.get_type_hints(cls)
    out = {}
    for f in dataclasses.fields(cls):
        if f.metadata.get("source") is False or not f.metadata:
            continue
        key = f.metadata.get("key") or f.name
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out[key] = FieldSpec(f.name, key, hints[f.name], required, f.metadata)
    return out


@cache
def _shape(hint: Any) -> tuple[str, Any]:
    """How a value of the type ``hint`` is read, decided once per type rather than for every value:
    (kind, detail) where detail is the type inside an optional, the options of a union or a tuple's arguments."""
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = tuple(a for a in typing.get_args(hint) if a is not type(None))
        return ("optional", options[0]) if len(options) == 1 else ("either", options)
    if origin is tuple:
        return "tuple", typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        return "record", None
    if hint is str:
        return "str", None
    if hint is int or hint is float or hint is Decimal:
        return "number", None
    if hint is datetime.date:
        return "date", None
    return "unknown", None


def is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.value in _NULLS


class Converter:
    """Collects problems while turning nodes into typed values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, code: str, message: str, pos: Position) -> Invalid:
        self.problems.append(error(code, message, pos))
        return Invalid()

    def record(self, node: Node, cls: type[Any]) -> Any:
        """A mapping node as an instance of the model class ``cls``."""
        if not isinstance(node, Mapping):
            raise self.fail("S006", f"expected a mapping of keys, got {kind_of(node)}", node.pos)
        fields = specs(cls)
        values: dict[str, Any] = {}
        at: dict[str, Position] = {}
        nulls: set[str] = set()
        bad = False
        for key_node, value_node in node.items:
            spec = fields.get(key_node.value)
            if spec is None:
                # reported, then left out: the record is still built, so a misspelt key
                # does not hide the other problems of the same block
                self.fail("S005", f"unknown key '{key_node.value}'{suggest(key_node.value, fields)}", key_node.pos)
                continue
            at[spec.name] = value_node.pos
            if is_null(value_node):
                nulls.add(spec.name)  # an empty value: as if the key were absent
                continue
            try:
                values[spec.name] = self.value(value_node, spec.hint, spec)
            except Invalid:
                bad = True
            if isinstance(value_node, Sequence):  # so a check can point at one item of a list
                for i, item in enumerate(value_node.items):
                    at[f"{spec.name}[{i}]"] = item.pos
        for spec in fields.values():
            if not spec.required or spec.name in values:
                continue
            if spec.name in nulls:
                self.fail("S008", f"'{spec.key}' has no value", at[spec.name])
            elif spec.name not in at:
                self.fail("S008", f"missing '{spec.key}'", node.pos)
            bad = True
        if bad:
            raise Invalid()
        return cls(pos=node.pos, at=at, **values)

    def value(self, node: Node, hint: Any, spec: FieldSpec) -> Any:
        kind, detail = _shape(hint)
        if kind == "optional":
            return self.value(node, detail, spec)
        if kind == "either":  # str | tuple[str, ...]: decided by the node's shape
            shaped = (a for a in detail if (typing.get_origin(a) is tuple) == isinstance(node, Sequence))
            return self.value(node, next(shaped, detail[0]), spec)
        if kind == "tuple":
            return self.sequence(node, detail, spec)
        if kind == "record":
            return self.record(node, hint)
        if not isinstance(node, Scalar):
            raise self.fail("S006", f"'{spec.key}' expects {describe(hint)}, got {kind_of(node)}", node.pos)
        if kind == "str":
            return self.string(node, spec)
        if kind == "number":
            return self.number(node, hint, spec)
        if kind == "date":
            return self.date(node, spec)
        raise TypeError(f"no conversion for {hint!r}")  # a bug in model.py, not bad input

    def sequence(self, node: Node, args: tuple[Any, ...], spec: FieldSpec) -> tuple[Any, ...]:
        if not isinstance(node, Sequence):
            raise self.fail("S006", f"'{spec.key}' expects a list, got {kind_of(node)}", node.pos)
        if len(args) == 2 and args[1] is Ellipsis:
            item_types = [args[0]] * len(node.items)
        else:
            item_types = list(args)
            if len(node.items) != len(args):
                raise self.fail(
                    "S006", f"'{spec.key}' expects exactly {len(args)} values, got {len(node.items)}", node.pos
                )
        out = []
        bad = False
        for item, item_type in zip(node.items, item_types, strict=False):
            try:
                out.append(self.value(item, item_type, spec))
            except Invalid:
                bad = True
        if bad:
            raise Invalid()
        return tuple(out)

    def string(self, node: Scalar, spec: FieldSpec) -> str:
        value = node.value
        choices = spec.meta.get("choices")
        if choices and value not in choices:
            raise self.fail(
                "S007",
                f"'{spec.key}' cannot be '{value}'{suggest(value, choices)} (one of: {one_of(choices)})",
                node.pos,
            )
        pattern = spec.meta.get("pattern")
        # fullmatch: the pattern's $ would let a trailing newline through ("esk-add-on\n", issue 17)
        if pattern and not re.fullmatch(pattern, value):
            code = "S013" if spec.key == "id" else "S006"
            message = f"'{printable(value)}' is not a valid {spec.key}: {spec.meta.get('pattern_help')}"
            raise self.fail(code, message, node.pos)
        return value

    def date(self, node: Scalar, spec: FieldSpec) -> datetime.date:
        """YYYY-MM-DD exactly: ``date.fromisoformat`` also reads 20261201 and 2026-W48-2, which nobody means."""
        text = node.value.strip()
        low, high = DATE_YEARS
        try:
            if not _DATE.fullmatch(text):
                raise ValueError(text)
            value = datetime.date.fromisoformat(text)
        except ValueError:
            message = f"'{spec.key}' expects a date YYYY-MM-DD, got '{printable(node.value)}'"
            raise self.fail("S006", message, node.pos) from None
        if not low <= value.year <= high:
            raise self.fail("S006", f"'{spec.key}' {text} is not between {low} and {high}: a typo?", node.pos)
        return value

    def number(self, node: Scalar, hint: type, spec: FieldSpec) -> int | float | Decimal:
        text = node.value.strip()
        if not node.plain:
            raise self.fail("S006", f"'{spec.key}' expects a number, got quoted text \"{text}\"", node.pos)
        if _LEADING_ZERO.match(text):
            raise self.fail("S006", f"'{text}' is ambiguous (leading zero): write the number without it", node.pos)
        pattern = _INT if hint is int else _FLOAT
        if not pattern.fullmatch(text):
            raise self.fail("S006", f"'{spec.key}' expects {describe(hint)}, got '{text}'", node.pos)
        return int(text) if hint is int else hint(text)


def describe(hint: Any) -> str:
    if hint is int:
        return "a whole number"
    if hint is float or hint is Decimal:
        return "a number"
    if hint is str:
        return "text"
    if typing.get_origin(hint) is tuple:
        return "a list"
    if dataclasses.is_dataclass(hint):
        return "a mapping"
    return str(hint)


# CSL 1.0.2 variables (https://docs.citationstyles.org/en/stable/specification.html#appendix-iv-variables)
# plus the ones pandoc and Zotero write; anything else is a typo.
CSL_VARIABLES = frozenset(
    """id type abstract annote archive archive_location archive-place authority call-number
    chapter-number citation-label citation-number collection-number collection-title
    container-title container-title-short dimensions DOI edition event event-place
    first-reference-note-number genre ISBN ISSN issue jurisdiction keyword language
    locator medium note number number-of-pages number-of-volumes original-publisher
    original-publisher-place original-title page page-first PMCID PMID publisher
    publisher-place references reviewed-title scale section source status title
    title-short URL version volume year-suffix author collection-editor composer
    container-author director editor editorial-director illustrator interviewer
    original-author recipient reviewed-author translator accessed container
    event-date issued original-date submitted custom""".split()
)
CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event
    figure graphic hearing interview legal_case legislation manuscript map motion_picture
    musical_score pamphlet paper-conference patent performance periodical personal_communication
    post post-weblog regulation report review review-book software song speech standard thesis
    treaty webpage""".split()
)


def plain_data(node: Node, convert: Converter, in_date: bool = False) -> Any:
    """A CSL value as JSON-like data; digits inside date-parts become numbers."""
    if isinstance(node, Mapping):
        return {k.value: plain_data(v, convert, in_date or k.value == "date-parts") for k, v in node.items}
    if isinstance(node, Sequence):
        return [plain_data(item, convert, in_date) for item in node.items]
    if in_date and node.plain and _INT.fullmatch(node.value.strip()):
        return int(node.value)
    return node.value


def reference(node: Node, convert: Converter) -> model.Reference:
    if not isinstance(node, Mapping):
        raise convert.fail("S006", f"a reference is a mapping of CSL fields, got {kind_of(node)}", node.pos)
    data: dict[str, Any] = {}
    at: dict[str, Position] = {}
    for key_node, value_node in node.items:
        key = key_node.value
        if key not in CSL_VARIABLES:
            convert.fail("S005", f"unknown CSL field '{key}'{suggest(key, CSL_VARIABLES)}", key_node.pos)
            continue
        at[key] = value_node.pos
        data[key] = plain_data(value_node, convert)
    for key in ("id", "type"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise convert.fail("S008", f"reference needs '{key}'", node.pos if key not in at else at[key])
    if not re.fullmatch(r"[A-Za-z0-9_][\w:.#$%&+?<>~/-]*", data["id"]):
        raise convert.fail("S013", f"'{printable(data['id'])}' is not a valid citation key", at["id"])
    if data["type"] not in CSL_TYPES:
        raise convert.fail("S007", f"'{data['type']}' is not a CSL type{suggest(data['type'], CSL_TYPES)}", at["type"])
    return model.Reference(id=data["id"], type=data["type"], data=data, pos=node.pos, at=at)
