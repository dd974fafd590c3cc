"""Word tracked changes: the current DOCX with its differences from an older version as real revisions.

Both versions are rendered as DOCX in the same language; their blocks are
matched by the bookmarks every recommendation and section carries
(``rec-<id>``, ``sec-<id>``).  Inside a block, paragraphs are paired in order
and a changed paragraph is rewritten word by word as ``w:del`` and ``w:ins``
runs; a block only in the new version is one insertion, a block only in the
old one is put back where it stood, as one deletion.  A reviewer accepts or
rejects them in Word or LibreOffice.  The author is "guidegen" and the date
the guideline's.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import io
import re
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

AUTHOR = "guidegen"
_BLOCK = re.compile(r"^(rec|sec)-")
_WORDS = re.compile(r"\s+|[^\s]+")


class _Revisions:
    def __init__(self, stamp: int) -> None:
        self.date = datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.next_id = 90000  # above pandoc's bookmark ids

    def mark(self, tag: str) -> Any:
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.next_id))
        element.set(qn("w:author"), AUTHOR)
        element.set(qn("w:date"), self.date)
        self.next_id += 1
        return element


def _blocks(body: Any) -> dict[str, list[Any]]:
    """Bookmark name -> the top-level paragraphs and tables between its start and end (innermost block wins)."""
    out: dict[str, list[Any]] = {}
    open_names: list[tuple[str, str]] = []  # (w:id, name)
    for child in body.iterchildren():
        for mark in child.iter(qn("w:bookmarkStart"), qn("w:bookmarkEnd")):
            if mark.tag == qn("w:bookmarkStart") and _BLOCK.match(mark.get(qn("w:name"), "")):
                open_names.append((mark.get(qn("w:id")), mark.get(qn("w:name"))))
                out.setdefault(mark.get(qn("w:name")), [])
            elif mark.tag == qn("w:bookmarkEnd"):
                open_names = [(i, n) for i, n in open_names if i != mark.get(qn("w:id"))]
        if child.tag == qn("w:bookmarkStart") or child.tag == qn("w:bookmarkEnd"):
            continue
        if open_names and child.tag in (qn("w:p"), qn("w:tbl")):
            out[open_names[-1][1]].append(child)
    return out


def _text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def _run(text: str, properties: Any | None, deleted: bool = False) -> Any:
    run = OxmlElement("w:r")
    if properties is not None:
        run.append(copy.deepcopy(properties))
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _rewrite(paragraph: Any, old: str, new: str, revisions: _Revisions) -> None:
    """The paragraph's text as ``old`` changed into ``new``, word by word; its paragraph properties kept."""
    first = paragraph.find(qn("w:r"))
    properties = first.find(qn("w:rPr")) if first is not None else None
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            paragraph.append(_run("".join(a[i1:i2]), properties))
            continue
        if i2 > i1:
            deletion = revisions.mark("w:del")
            deletion.append(_run("".join(a[i1:i2]), properties, deleted=True))
            paragraph.append(deletion)
        if j2 > j1:
            insertion = revisions.mark("w:ins")
            insertion.append(_run("".join(b[j1:j2]), properties))
            paragraph.append(insertion)


def _whole(element: Any, revisions: _Revisions, deleted: bool) -> None:
    """Every run of a paragraph or table as one insertion, or one deletion (and its paragraph marks with it)."""
    for paragraph in list(element.iter(qn("w:p"))):
        runs = [r for r in paragraph.iter(qn("w:r"))]
        for run in runs:
            if deleted:
                for t in run.findall(qn("w:t")):
                    t.tag = qn("w:delText")
            wrapper = revisions.mark("w:del" if deleted else "w:ins")
            run.addprevious(wrapper)
            wrapper.append(run)
        ppr = paragraph.find(qn("w:pPr"))
        if ppr is None:
            ppr = OxmlElement("w:pPr")
            paragraph.insert(0, ppr)
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(revisions.mark("w:del" if deleted else "w:ins"))  # the paragraph mark itself


def _paragraphs(elements: list[Any]) -> Iterator[Any]:
    for element in elements:
        if element.tag == qn("w:p"):
            yield element


def tracked(old_docx: bytes, new_docx: bytes, stamp: int) -> tuple[bytes, int]:
    """The new DOCX with its differences from the old as Word revisions; and how many revisions it holds."""
    old = docx.Document(io.BytesIO(old_docx))
    new = docx.Document(io.BytesIO(new_docx))
    revisions = _Revisions(stamp)
    first_id = revisions.next_id
    old_blocks, new_blocks = _blocks(old.element.body), _blocks(new.element.body)
    for name, elements in new_blocks.items():
        if name not in old_blocks:
            for element in elements:
                _whole(element, revisions, deleted=False)
            continue
        before = list(_paragraphs(old_blocks[name]))
        after = list(_paragraphs(elements))
        old_texts, new_texts = [_text(p) for p in before], [_text(p) for p in after]
        matcher = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                _rewrite(after[j1 + k], old_texts[i1 + k], new_texts[j1 + k], revisions)
            for k in range(j1 + pairs, j2):
                _whole(after[k], revisions, deleted=False)
            anchor = after[j1 + pairs - 1] if pairs else (after[j1 - 1] if j1 > 0 else None)
            for k in range(i1 + pairs, i2):
                gone = copy.deepcopy(before[k])
                _whole(gone, revisions, deleted=True)
                if anchor is not None:
                    anchor.addnext(gone)
                    anchor = gone
    # blocks only in the old version go back after the block that preceded them there
    order = list(old_blocks)
    for index, name in enumerate(order):
        if name in new_blocks:
            continue
        previous = next((n for n in reversed(order[:index]) if new_blocks.get(n)), None)
        anchor = new_blocks[previous][-1] if previous else None
        for element in old_blocks[name]:
            gone = copy.deepcopy(element)
            _whole(gone, revisions, deleted=True)
            if anchor is not None:
                anchor.addnext(gone)
                anchor = gone
    out = io.BytesIO()
    new.save(out)
    from .render.docx import normalize_zip

    return normalize_zip(out.getvalue(), stamp), revisions.next_id - first_id
