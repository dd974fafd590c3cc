"""Committee markdown -> safe HTML, with citations turned into numbered links.

The subset is CommonMark without raw HTML (shown as text), without images
(nothing is ever fetched from a guideline's text), with links only to http(s),
mailto and in-document anchors; any other link keeps its text and loses its
target.  ``[@key]`` citations become Vancouver numbers linked to the
bibliography.
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


@cache
def _parser() -> MarkdownIt:
    md = _SafeMarkdown("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_block", "html_inline"])
    return md


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
