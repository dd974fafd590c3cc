"""What changed between two versions of a guideline, read from git: blocks matched by id, never by position.

A version is any git revision (or the working tree).  The guideline folder and
its catalogs are taken from that revision with ``git archive`` into a
temporary folder and loaded like any other; nothing is stored besides git.
Each changed recommendation or section is reported once, with the kind of
change that matters most and the others beside it.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog

from .i18n.catalogs import po_path, read_catalog, target_languages
from .i18n.messages import units
from .load import load_guideline
from .model import EvidenceProfile, Guideline, Recommendation, Section

# most important first: a block is reported under the first that applies
KINDS = ("added", "removed", "regraded", "reworded", "evidence-changed", "moved", "translation-changed")
GRADE = ("type", "direction", "strength", "certainty")
WORDING = ("text", "rationale", "remarks", "implementation")


class RevisionError(Exception):
    """A usage problem: not in git, an unknown revision, no guideline there."""


@dataclass
class Change:
    id: str
    change: str
    kind: str  # recommendation | section
    number: str  # in the newer version (the older one for a removed block)
    title: str  # the block's text or title, source language, in the version it is described from
    also: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    text_in: dict[str, str] = field(default_factory=dict)  # a removed block's old text, by language

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "change": self.change,
            "kind": self.kind,
            "number": self.number,
            "text": self.title,
            "also": self.also,
            **self.details,
        }


def _git(args: list[str], cwd: Path, binary: bool = False) -> bytes:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    if proc.returncode != 0:
        raise RevisionError(proc.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def repository(directory: Path) -> Path:
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], directory.resolve()).decode().strip())
    except (RevisionError, FileNotFoundError) as exc:
        raise RevisionError(
            f"'{directory}' is not inside a git repository: guidegen diff compares git revisions"
        ) from exc


def commit(directory: Path, rev: str) -> str:
    """The full commit id of ``rev``, or a RevisionError that says so."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], directory.resolve()).decode().strip()
    except RevisionError:
        raise RevisionError(f"unknown revision '{rev}' (a commit, tag or branch of this repository)") from None


@contextmanager
def checkout(directory: Path, rev: str | None) -> Iterator[Path]:
    """The guideline folder as it was at ``rev`` (None: as it is now), with its catalogs beside it."""
    if rev is None:
        yield directory
        return
    root = repository(directory)
    sha = commit(directory, rev)
    inside = directory.resolve().relative_to(root)
    with tempfile.TemporaryDirectory(prefix="guidegen-rev-") as tmp:
        # the whole tree of the guideline's parent: its catalogs usually sit beside it (../translations)
        parent = inside.parent
        data = _git(
            ["archive", "--format=tar", sha, "--", str(parent) if str(parent) != "." else "."], root, binary=True
        )
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp) / inside


def _load(directory: Path, label: str) -> Guideline:
    guideline, problems = load_guideline(directory)
    if guideline is None:
        first = problems[0] if problems else None
        raise RevisionError(f"{label}: the guideline cannot be read{f' ({first})' if first else ''}")
    return guideline


def _blocks(g: Guideline) -> dict[str, tuple[str, Section | Recommendation, str]]:
    """Every section and recommendation by id: (number, block, id of its section)."""
    out: dict[str, tuple[str, Section | Recommendation, str]] = {}
    parents: dict[int, str] = {}
    for number, section in g.walk():
        out[section.id] = (number, section, parents.get(id(section), ""))
        for sub in section.subsections:
            parents[id(sub)] = section.id
        for i, rec in enumerate(section.recommendations, 1):
            out[rec.id] = (f"{number}.{i}", rec, section.id)
    return out


def _profile_figures(profile: EvidenceProfile) -> list[tuple[object, ...]]:
    return [
        (
            o.name,
            o.effect.measure if o.effect else None,
            o.effect.value if o.effect else None,
            o.effect.ci if o.effect else None,
            o.certainty,
            o.participants,
            o.studies,
            o.assumed_risk,
        )
        for o in profile.outcomes
    ] + [("certainty", profile.certainty)]


def _translations(g: Guideline) -> dict[str, dict[str, str]]:
    """language -> msgctxt prefix (block id) -> the block's translated texts, joined."""
    out: dict[str, dict[str, str]] = {}
    for lang in target_languages(g):
        path = po_path(g, lang)
        catalog: Catalog | None
        catalog, problems = read_catalog(path, str(path), lang)
        if catalog is None or problems:
            continue
        texts: dict[str, list[str]] = {}
        for unit in units(g):
            message = catalog.get(unit.text, context=unit.context)
            block = unit.context.split(":", 1)[0]
            texts.setdefault(block, []).append(str(message.string) if message is not None and not message.fuzzy else "")
        out[lang] = {block: "\n".join(parts) for block, parts in texts.items()}
    return out


def _label(block: Section | Recommendation) -> str:
    return " ".join((block.text if isinstance(block, Recommendation) else block.title).split())


def compare(old: Guideline, new: Guideline) -> list[Change]:
    """Each block that changed from ``old`` to ``new``, in the newer document's order, removed ones last."""
    before, after = _blocks(old), _blocks(new)
    old_profiles = {p.id: _profile_figures(p) for p in old.profiles}
    new_profiles = {p.id: _profile_figures(p) for p in new.profiles}
    old_tr, new_tr = _translations(old), _translations(new)
    changes = []
    for ident, (number, block, parent) in after.items():
        kind = "recommendation" if isinstance(block, Recommendation) else "section"
        if ident not in before:
            changes.append(Change(ident, "added", kind, number, _label(block)))
            continue
        was_number, was, was_parent = before[ident]
        found: list[str] = []
        details: dict[str, object] = {}
        if isinstance(block, Recommendation) and isinstance(was, Recommendation):
            regraded = {k: [getattr(was, k), getattr(block, k)] for k in GRADE if getattr(was, k) != getattr(block, k)}
            if regraded:
                found.append("regraded")
                details["regraded"] = regraded
            reworded = [k for k in (*WORDING, "etd") if getattr(was, k) != getattr(block, k)]
            if reworded:
                found.append("reworded")
                details["reworded"] = reworded
            linked = [e for e in block.evidence if e in new_profiles]
            if was.evidence != block.evidence or any(old_profiles.get(e) != new_profiles.get(e) for e in linked):
                found.append("evidence-changed")
                details["evidence"] = [list(was.evidence), list(block.evidence)]
        elif (
            isinstance(block, Section)
            and isinstance(was, Section)
            and (was.title, was.text) != (block.title, block.text)
        ):
            found.append("reworded")
            details["reworded"] = [k for k in ("title", "text") if getattr(was, k) != getattr(block, k)]
        if (was_number, was_parent) != (number, parent):
            found.append("moved")
            details["moved"] = [was_number, number]
        if not found:
            languages = sorted(lang for lang in new_tr if old_tr.get(lang, {}).get(ident) != new_tr[lang].get(ident))
            if languages:
                found.append("translation-changed")
                details["languages"] = languages
        if found:
            changes.append(Change(ident, found[0], kind, number, _label(block), found[1:], details))
    for ident, (number, block, _parent) in before.items():
        if ident not in after:
            kind = "recommendation" if isinstance(block, Recommendation) else "section"
            changes.append(Change(ident, "removed", kind, number, _label(block)))
    return changes


def diff(directory: Path, rev_from: str, rev_to: str | None) -> list[Change]:
    """The changes of the guideline in ``directory`` from one revision to another (None: the working tree)."""
    repository(directory)
    commit(directory, rev_from)
    if rev_to is not None:
        commit(directory, rev_to)
    with checkout(directory, rev_from) as old_dir, checkout(directory, rev_to) as new_dir:
        old = _load(old_dir, rev_from)
        new = _load(new_dir, rev_to or "the working tree")
        return compare(old, new)


def since(directory: Path, rev: str) -> tuple[str, list[Change]]:
    """The version string the guideline had at ``rev``, and what changed from it to the working tree.

    A removed recommendation carries its old text in every language it had
    (``details["text_in"]``), read from that version's own catalogs.
    """
    with checkout(directory, rev) as old_dir, checkout(directory, None) as new_dir:
        old = _load(old_dir, rev)
        changes = compare(old, _load(new_dir, "the working tree"))
        removed = [c for c in changes if c.change == "removed"]
        if removed:
            blocks = _blocks(old)
            for lang in target_languages(old):
                path = po_path(old, lang)
                catalog, problems = read_catalog(path, str(path), lang)
                if catalog is None or problems:
                    continue
                for c in removed:
                    block = blocks[c.id][1]
                    text = block.text if isinstance(block, Recommendation) else block.title
                    message = catalog.get(
                        text.strip(), context=f"{c.id}:{'text' if isinstance(block, Recommendation) else 'title'}"
                    )
                    if message is not None and message.string and not message.fuzzy:
                        c.text_in[lang] = str(message.string)
        return old.meta.version, changes


AMENDED = ("regraded", "reworded", "evidence-changed")  # what NICE marks [amended]; a move or a translation is not


TITLES = {
    "added": "Added",
    "removed": "Removed",
    "regraded": "Regraded",
    "reworded": "Reworded",
    "evidence-changed": "Evidence changed",
    "moved": "Moved",
    "translation-changed": "Translation changed",
}


def changelog(changes: list[Change], rev_from: str, rev_to: str | None) -> str:
    """The changes as a changelog a committee reads: grouped by kind, each with its number and what changed."""
    lines = [f"Changes from {rev_from} to {rev_to or 'the working tree'}: {len(changes)} block(s)"]
    for kind in KINDS:
        group = [c for c in changes if c.change == kind]
        if not group:
            continue
        lines += ["", TITLES[kind]]
        for c in group:
            what = []
            if "regraded" in c.details:
                regraded = c.details["regraded"]
                assert isinstance(regraded, dict)
                what.append("; ".join(f"{k} {a or '—'} → {b or '—'}" for k, (a, b) in regraded.items()))
            if "moved" in c.details:
                moved = c.details["moved"]
                assert isinstance(moved, list)
                what.append(f"from {moved[0]} to {moved[1]}")
            if "languages" in c.details:
                languages = c.details["languages"]
                assert isinstance(languages, list)
                what.append(", ".join(languages))
            also = f" (also {', '.join(c.also)})" if c.also else ""
            text = c.title if len(c.title) <= 90 else c.title[:89] + "…"
            lines.append(f"  {c.number} {c.id}{': ' + '; '.join(what) if what else ''}{also} — {text}")
    return "\n".join(lines) + "\n"


def tracked_docx(directory: Path, rev: str, out: Path) -> list[tuple[Path, int]]:
    """For each language, the current DOCX with its differences from ``rev`` as Word revisions: (file, revisions)."""
    from .atomic import write_atomic
    from .outputs.docx import render as render_docx
    from .render.document import build_document
    from .run import localized_for
    from .stamp import source_date
    from .tracked import tracked

    def docx_of(g: Guideline, lang: str) -> bytes:
        localized, problems = localized_for(g, lang)
        if localized is None:
            raise RevisionError(f"{lang}: {problems[0] if problems else 'cannot be localized'}")
        data, _ = render_docx(build_document(localized, g.theme))
        return data

    repository(directory)
    commit(directory, rev)
    written = []
    with checkout(directory, rev) as old_dir:
        old = _load(old_dir, rev)
        new = _load(directory, "the working tree")
        for lang in new.meta.languages:
            if lang not in old.meta.languages:
                continue
            data, count = tracked(docx_of(old, lang), docx_of(new, lang), source_date(new))
            target = out / f"{new.meta.id}-{new.meta.version}-{lang}-tracked.docx"
            write_atomic(target, data)
            written.append((target, count))
    return written
