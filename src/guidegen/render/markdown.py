"""Committee markdown -> safe HTML, with citations turned into numbered links.

The subset is CommonMark without raw HTML (shown as text), without images
(nothing is ever fetched from a guideline's text), with links only to http(s),
mailto and in-document anchors; any other link keeps its text and loses its
target.  Tables (GitHub's pipe tables) are rendered in every output: the DOCX
is made from this HTML.  ``[@key]`` citations become Vancouver numbers linked
to the bibliography.  Blocks nested deeper than ``MAX_NESTING`` would be
dropped by the parser: ``dropped_lines`` finds them, so that a check refuses
them before anything is rendered (issue 17).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..cite import GROUP, KEY

_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")
_TOKEN = re.compile("\ue000(\\d+)\ue001")

Cite = Callable[[list[str]], Markup]


def _safe_link(href: str) -> bool:
    return href.strip().lower().startswith(_SAFE_SCHEMES)


class _SafeMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return _safe_link(url)  # an unsafe link is left as plain text


# markdown-it's own bound on nesting (its commonmark preset's): a list item or quote opened at this depth
# loses its content.  A list level takes two (list, item): nine levels of list fit, a tenth does not.
MAX_NESTING = 20
_CONTAINERS = ("list_item_open", "blockquote_open")


@cache
def _parser() -> MarkdownIt:
    md = _SafeMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False, "maxNesting": MAX_NESTING})
    md.disable(["image", "html_block", "html_inline"])
    md.enable("table")
    return md


# what may open a list or a quote: each opens at most two levels, so a text with fewer than
# MAX_NESTING / 2 of them cannot be too deep and is not parsed (nearly every paragraph)
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t\n]|$)")


def may_nest_too_deep(text: str) -> bool:
    """False for a text with too few list markers and quotes to nest too deep: nearly every text, and all the
    paragraphs of one."""
    enough = MAX_NESTING // 2
    # every marker holds one of those characters: counting them is ten times quicker than the regex
    return sum(map(text.count, "-+*.)>")) >= enough and text.count(">") + len(_LIST_MARKER.findall(text)) >= enough


def dropped_lines(text: str) -> list[int]:
    """Lines (from 0) of the list items and quotes too deep for the parser: their text would not be rendered."""
    if not may_nest_too_deep(text):
        return []
    return [t.map[0] for t in _parser().parse(text) if t.type in _CONTAINERS and t.level >= MAX_NESTING - 1 and t.map]


def link_targets(text: str) -> list[str]:
    """The targets of the links a text renders (the unsafe ones are not links: they lose their target)."""
    if "](" not in text and "<" not in text and "]:" not in text:
        return []  # no inline link, autolink or link definition
    out: list[str] = []
    for token in _parser().parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                out.append(str(child.attrGet("href") or ""))
    return out


def render(text: str, cite: Cite, *, inline: bool = False) -> Markup:
    """HTML for a markdown text; ``inline`` drops the paragraph wrapper of a single paragraph."""
    groups: list[list[str]] = []

    def hold(match: re.Match[str]) -> str:
        keys = KEY.findall(match.group(1))
        if not keys:
            return match.group(0)
        groups.append(keys)
        return f"\ue000{len(groups) - 1}\ue001"

    prepared = GROUP.sub(hold, text.replace("\ue000", "").replace("\ue001", ""))
    md = _parser()
    html = md.renderInline(prepared) if inline else md.render(prepared)
    html = _TOKEN.sub(lambda m: str(cite(groups[int(m.group(1))])), html)
    return Markup(html.strip())


def plain(text: str) -> Markup:
    """A plain-text field, escaped."""
    return Markup(escape(text))
