"""Markdown checks: the guideline's markdown and its translations -> what rendering would lose or add.

The renderer drops list items and quotes nested deeper than markdown-it's bound
(ten levels of list): an error where the committee (S018) or a translator
(T115) wrote them, never text that silently disappears.  A link a translator
adds to a page the source does not link to (T116) is a warning in a draft and
an error in consultation and final: readers follow links in a ministry's
document (issue 17).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from ..i18n.catalogs import Entries, checked_catalog, po_path, target_languages
from ..i18n.messages import Unit, markdown_texts, paragraphs, units
from ..kept import code_stamp, keep, kept
from ..load import shown_path
from ..model import Guideline
from ..problems import Position, Problem, Severity, error
from ..render.markdown import MAX_NESTING, dropped_lines, link_targets, may_nest_too_deep
from ..yamlsrc import printable

_EXTERNAL = ("http://", "https://", "mailto:")
_TOO_DEEP = (
    f"markdown nested too deep (the limit is {MAX_NESTING // 2 - 1} levels of list, or {MAX_NESTING - 1} of quotes): "
    "this item and what it holds would be lost; flatten the list"
)


def _line_offset(text: str, line: int) -> int:
    """The offset of the first character that is not a space on ``line`` (from 0) of ``text``."""
    offset = 0
    for _ in range(line):
        offset = text.index("\n", offset) + 1
    rest = text[offset:]
    return offset + len(rest) - len(rest.lstrip(" \t"))


def source_nesting(guideline: Guideline) -> Iterator[Problem]:
    """S018, at the line of the first item or quote the renderer would drop."""
    for text, position in markdown_texts(guideline):
        if not may_nest_too_deep(text):
            continue
        for offset, para in paragraphs(text):
            for line in dropped_lines(para)[:1]:
                yield error("S018", _TOO_DEEP, position.within(text, offset + _line_offset(para, line)))


def _catalogs(guideline: Guideline) -> Iterator[tuple[str, Entries, str]]:
    for lang in target_languages(guideline):
        path = po_path(guideline, lang)
        catalog, problems = checked_catalog(path, shown_path(path), lang)
        if catalog is not None and not problems:  # the translation checks report the others
            yield lang, catalog, shown_path(path)


def translated_markdown(guideline: Guideline) -> Iterator[Problem]:
    """T115 (nesting) and T116 (links not in the source) in the translations that are shown."""
    links = Severity.WARNING if guideline.meta.status == "draft" else Severity.ERROR
    markdown: dict[tuple[str, str], Unit] | None = None  # made when a message is worth a look: rarely
    for lang, catalog, shown in _catalogs(guideline):
        for i in _worth_a_look(catalog):
            if markdown is None:
                markdown = {(u.context, u.text): u for u in units(guideline) if u.markdown}
            message = catalog.messages[i]
            target = str(message.string)
            too_deep = bool(dropped_lines(target))
            hrefs = link_targets(target)
            unit = markdown.get((message.context or "", str(message.id)))
            if unit is None:
                continue  # not markdown
            too_deep = too_deep and any(dropped_lines(para) for _, para in paragraphs(target))
            where = Position(shown, message.lineno or 0, 1)
            if too_deep:
                yield error("T115", f"{lang}: {_TOO_DEEP}", where)
            source = set(link_targets(unit.text))
            for href in dict.fromkeys(hrefs):
                if href.lower().startswith(_EXTERNAL) and href not in source:
                    message_text = f"{lang}: link to '{printable(href)}', which the source does not link to"
                    yield Problem("T116", links, message_text, where)


CHECKS = [source_nesting, translated_markdown]


def _worth_a_look(catalog: Entries) -> list[int]:
    """The messages that are shown and nest deep or hold a link: very few.  Kept between runs beside the
    catalog's messages (``checked_catalog``) while the catalog and this code stay as they were, since looking at
    each of a large catalog's messages takes a tenth of a second."""
    key = f"{catalog.key} {_code()}" if catalog.key else None
    found = kept("markdown", key) if key else None
    if isinstance(found, list):
        return found
    found = []
    for i, message in enumerate(catalog.messages):
        if not message.id or not message.string or message.fuzzy:
            continue  # not shown: the source text is
        target = str(message.string)
        # the whole text first: the quick count rules nearly every message out before it is split
        if dropped_lines(target) or link_targets(target):
            found.append(i)
    if key:
        keep("markdown", key, found)
    return found


@cache
def _code() -> str:
    """What ``_worth_a_look`` runs: this module, the renderer's markdown, markdown-it."""
    import markdown_it

    from ..render import markdown

    return f"{code_stamp(__file__, markdown.__file__)} markdown-it-py {markdown_it.__version__}"
