"""References: CSL data -> Vancouver entries (pandoc citeproc), and citation numbering.

Entries are formatted by pandoc's citeproc with the package's self-contained
Vancouver style, in the output language; what pandoc wrote is kept in the
user's cache (guidegen.kept) under everything it depends on, since references
seldom change between builds and citeproc is a fifth of a large web edition's.
Numbers are given in order of first citation while the document is rendered
top to bottom, so the number a reader sees first is 1 (Vancouver/NLM).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from markupsafe import Markup, escape

from ..i18n.languages import profile
from ..kept import keep, kept
from ..model import Reference
from . import pandoc

STYLE = "vancouver.csl"
_ENTRY = re.compile(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>\s*(.*?)\s*</div>', re.S)
_UNSAFE_LINK = re.compile(r'<a href="(?!https?://)[^"]*">(.*?)</a>', re.S)


def csl_locale(lang: str) -> str:
    language = profile(lang)
    return language.csl if language else lang


def style_path() -> Path:
    return Path(str(resources.files("guidegen") / "data" / STYLE))


def format_references(references: tuple[Reference, ...], lang: str) -> tuple[dict[str, Markup], list[str]]:
    """Every reference as an HTML fragment in the style, keyed by id; plus pandoc's warnings."""
    if not references:
        return {}, []
    bibliography = json.dumps([r.data for r in references], ensure_ascii=False).encode("utf-8")
    doc = f'---\nnocite: "@*"\nlang: {csl_locale(lang)}\n---\n'.encode()
    out, warnings = _citeproc(bibliography, doc)
    entries = {}
    for key, html in _ENTRY.findall(out.decode("utf-8")):
        # citeproc links DOI and URL; only web links survive (a CSL URL of javascript: must not)
        entries[key] = Markup(_UNSAFE_LINK.sub(r"\1", html.strip()))
    return entries, warnings


def _args(style: Path, bibliography: Path) -> list[str]:
    return [
        "--citeproc",
        "--csl",
        str(style),
        "--bibliography",
        str(bibliography),
        "-f",
        "markdown-raw_html",
        "-t",
        "html",
        "--wrap=none",
    ]


def _citeproc(bibliography: bytes, doc: bytes) -> tuple[bytes, list[str]]:
    """pandoc's HTML and warnings for the references (CSL JSON) and the document naming the language; an
    earlier run's, when pandoc's binary, the command, the style, the references and the document are the same."""
    style = style_path()
    inputs = [pandoc.identity(), style.read_bytes(), bibliography, doc]
    command = " ".join(_args(Path("STYLE"), Path("REFERENCES")))
    key = f"{command} " + " ".join(hashlib.sha256(x).hexdigest() for x in inputs)
    found = kept("html", key, folder="references")
    if found is not None:
        out, warnings = found
        return bytes(out), list(warnings)
    with tempfile.TemporaryDirectory(prefix="guidegen-refs-") as tmp:
        bib = Path(tmp) / "references.json"
        bib.write_bytes(bibliography)
        out, warnings = pandoc.run(_args(style, bib), doc)
    keep("html", key, (out, warnings), folder="references")
    return out, warnings


def ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 5] -> [(1, 3), (5, 5)]"""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


@dataclass
class Citations:
    """Numbers citations in the order the renderer meets them."""

    known: set[str]
    order: list[str] = field(default_factory=list)
    first: dict[str, str] = field(default_factory=dict)  # key -> anchor id of its first citation
    anchors: bool = True  # back-link targets (the print edition's); the web edition repeats fragments, so has none
    _count: int = 0

    def __post_init__(self) -> None:
        self._numbers = {key: n for n, key in enumerate(self.order, 1)}  # searching ``order`` for each was slow

    def number(self, key: str) -> int:
        if key not in self._numbers:
            self.order.append(key)
            self._numbers[key] = len(self.order)
        return self._numbers[key]

    def cite(self, keys: list[str]) -> Markup:
        """``[1–3, 5]`` with every number linked to its entry; the first citation of a key is its back-link target."""
        keys = [k for k in dict.fromkeys(keys) if k in self.known]  # unknown keys are check errors (E103)
        if not keys:
            return Markup("")
        self._count += 1
        anchor = f"cite-{self._count}"
        numbers = {self.number(k): k for k in keys}
        for k in keys:
            self.first.setdefault(k, anchor)
        first = min(numbers)

        # Plain strings with the key escaped, joined into Markup once: Markup.format and Markup.join for every
        # number were most of the time of the 3,600 citations of a large guideline.
        def link(n: int) -> str:
            # The back-link target is the first number itself: a <span> around the citation
            # would be one more box and structure element each for WeasyPrint to lay out and tag.
            if n == first and self.anchors:
                return f'<a href="#ref-{escape(numbers[n])}" id="{anchor}">{n}</a>'
            return f'<a href="#ref-{escape(numbers[n])}">{n}</a>'

        groups = [
            ("," if high == low + 1 else "–").join(link(n) for n in dict.fromkeys((low, high)))
            for low, high in ranges(list(numbers))
        ]
        return Markup(f"[{','.join(groups)}]")
