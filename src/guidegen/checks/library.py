"""Library checks (E133): a reference to another guideline's recommendation points at one that exists."""

from __future__ import annotations

from collections.abc import Iterator

from ..library import XREF, catalogue
from ..model import Guideline, all_nodes, markdown_fields
from ..problems import Problem, error
from ..typed import suggest


def cross_references(guideline: Guideline) -> Iterator[Problem]:
    """``[[guideline-id:rec-id]]`` names a guideline of the same library and one of its recommendations."""
    found = [
        (text, position, m)
        for node in all_nodes(guideline)
        for _, text, position in markdown_fields(node)
        for m in XREF.finditer(text)
    ]
    if not found:
        return
    entries = catalogue(guideline.library) if guideline.library is not None else None
    for text, position, match in found:
        where = position.within(text, match.start())
        gid, rid = match.group(1), match.group(2)
        if entries is None:
            yield error(
                "E133",
                f"'{match.group(0)}' refers to another guideline, but this one is in no library (library.yaml)",
                where,
            )
        elif gid not in entries:
            yield error("E133", f"no guideline '{gid}' in the library{suggest(gid, sorted(entries))}", where)
        elif rid not in entries[gid].numbers:
            yield error(
                "E133",
                f"guideline '{gid}' has no recommendation '{rid}'{suggest(rid, sorted(entries[gid].numbers))}",
                where,
            )


CHECKS = [cross_references]
