"""Stakeholder comments: Word comments (or a CSV) -> new entries appended to consultation/comments.yaml.

A consultation DOCX carries a bookmark for every recommendation and section
(``rec-<id>``, ``sec-<id>``, and ``etd-<id>`` in the Evidence-to-decision annex:
pandoc makes one for each element with an id).  A
comment's target is the innermost such bookmark around the commented text.
Each comment gets an id made from its content, so importing the same file
twice adds nothing; entries already in the file are never rewritten: new ones
are appended as text at its end.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from .atomic import write_atomic
from .load import COMMENTS
from .model import Guideline

# the columns of the CSV template (src/guidegen/data/comments-template.csv)
CSV_COLUMNS = ("target", "quote", "comment")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class ImportError_(Exception):
    """A file that cannot be imported: said in one line, nothing written."""


@dataclass(frozen=True)
class Received:
    organisation: str
    language: str
    target: str
    quote: str
    comment: str
    source: str

    @property
    def id(self) -> str:
        digest = hashlib.sha256(
            "\0".join((self.organisation, self.language, self.target, self.quote, self.comment)).encode()
        ).hexdigest()
        return f"c-{digest[:10]}"


def _anchors(document_xml: object) -> dict[str, tuple[str, str]]:
    """comment id -> (target id, quoted text): the innermost rec-/sec- bookmark open where the comment starts."""
    open_marks: dict[str, str] = {}  # bookmark w:id -> name, in the order opened
    starts: dict[str, str] = {}
    quoting: dict[str, list[str]] = {}
    for element in document_xml.iter():  # type: ignore[attr-defined]
        tag = element.tag
        if tag == f"{W}bookmarkStart":
            open_marks[element.get(f"{W}id")] = element.get(f"{W}name", "")
        elif tag == f"{W}bookmarkEnd":
            open_marks.pop(element.get(f"{W}id"), None)
        elif tag == f"{W}commentRangeStart":
            # a recommendation's own box, or its copy in the Evidence-to-decision annex, before its section
            names = [n for n in open_marks.values() if n.startswith(("rec-", "etd-", "sec-"))]
            recs = [n for n in names if n.startswith(("rec-", "etd-"))]
            innermost = (recs or names or [""])[-1]
            starts[element.get(f"{W}id")] = innermost.split("-", 1)[1] if innermost else ""
            quoting[element.get(f"{W}id")] = []
        elif tag == f"{W}commentRangeEnd":
            quoting.setdefault(element.get(f"{W}id"), [])
            starts.setdefault(element.get(f"{W}id"), "")
            quoting[element.get(f"{W}id")].append("\0end")
        elif tag == f"{W}t" and element.text:
            for parts in quoting.values():
                if not parts or parts[-1] != "\0end":
                    parts.append(element.text)
    return {
        cid: (starts.get(cid, ""), "".join(p for p in parts if p != "\0end").strip()) for cid, parts in quoting.items()
    }


def from_docx(path: Path, organisation: str) -> list[Received]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ImportError_(f"{path}: not a Word document that can be read ({exc})") from None
    language = document.core_properties.language or ""
    anchors = _anchors(document.element.body)
    out = []
    for comment in document.comments:
        target, quote = anchors.get(str(comment.comment_id), ("", ""))
        text = comment.text.strip()
        if text:
            out.append(Received(organisation, language, target, quote, text, path.name))
    return out


def from_csv(path: Path, organisation: str, language: str) -> list[Received]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_(
            f"{path}:1: the template's columns are {', '.join(CSV_COLUMNS)}; missing: {', '.join(missing)}"
        )
    out = []
    for row in reader:
        comment = (row.get("comment") or "").strip()
        if comment:
            out.append(
                Received(
                    organisation,
                    language,
                    (row.get("target") or "").strip(),
                    (row.get("quote") or "").strip(),
                    comment,
                    path.name,
                )
            )
    return out


def _entry(item: Received) -> str:
    """One comment as YAML text, for appending: every value quoted by the YAML library itself."""
    record = {
        "id": item.id,
        "organisation": item.organisation,
        "language": item.language,
        "target": item.target,
        "quote": item.quote,
        "comment": item.comment,
        "source": item.source,
        "response": "",
        "action": "",
    }
    block = yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=1_000_000)
    return "".join(f"  {line}\n" for line in block.splitlines())


def append(guideline: Guideline, received: list[Received]) -> tuple[Path, int, int]:
    """Append the comments not already in the file; return (file, added, already there)."""
    path = guideline.root / COMMENTS
    known = {c.id for c in guideline.consultation.comments} if guideline.consultation is not None else set()
    if path.is_file() and guideline.consultation is None:
        raise ImportError_(
            f"{path}: the file cannot be read as comments; fix it first (guidegen check names the problem)"
        )
    new = []
    for item in received:
        if item.id not in known:
            known.add(item.id)
            new.append(item)
    if not new:
        return path, 0, len(received)
    before = (
        path.read_text(encoding="utf-8")
        if path.is_file()
        else (
            "# Stakeholder comments, imported by `guidegen comments import`. Append-only: answer each one\n"
            "# with a response (translated like any other text) and an action: accepted, partly-accepted,\n"
            "# rejected or noted. A final guideline needs every comment answered (E131).\n"
            "comments:\n"
        )
    )
    if before and not before.endswith("\n"):
        before += "\n"
    write_atomic(path, (before + "".join(_entry(item) for item in new)).encode("utf-8"))
    return path, len(new), len(received) - len(new)
