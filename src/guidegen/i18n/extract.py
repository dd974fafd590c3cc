"""Babel extractor for guideline YAML (entry point ``babel.extractors: guidegen``).

``pybabel extract -F babel.cfg`` calls it once per YAML file; it loads the
whole guideline the file belongs to (once per run), so each message knows its
displayed number, and yields the messages that stand in that file.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from ..load import GUIDELINE_FILE, load_guideline
from .messages import Unit, units


@cache
def _messages_by_file(root: Path) -> dict[Path, list[Unit]]:
    guideline, _ = load_guideline(root)
    by_file: dict[Path, list[Unit]] = {}
    if guideline is not None:
        for unit in units(guideline):
            by_file.setdefault(Path(unit.position.file).resolve(), []).append(unit)
    return by_file


def find_root(path: Path) -> Path | None:
    for folder in path.resolve().parents:
        if (folder / GUIDELINE_FILE).is_file():
            return folder
    return None


def extract_guideline(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Yield ``(lineno, 'pgettext', (msgctxt, msgid), [comment])`` for each message in this file."""
    name = getattr(fileobj, "name", None)
    if not name:
        return
    path = Path(name).resolve()
    root = find_root(path)
    if root is None:
        return
    for unit in _messages_by_file(root).get(path, []):
        yield unit.position.line, "pgettext", (unit.context, unit.text), [unit.comment]
