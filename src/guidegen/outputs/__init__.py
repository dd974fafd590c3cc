"""Outputs: a registry of what a guideline can be built into (pdf, docx, html, site, and plug-ins).

Each output is one module declaring an ``OUTPUT``: its name, the suffix of the
file it makes (or a folder), the packages whose versions key the build cache,
and ``render(document) -> bytes`` (or a mapping of relative paths to bytes for
a folder).  The build engine knows no format by name: it asks this registry.
A guideline-level or third-party output registers through the
``guidegen.outputs`` entry point group, naming an ``Output`` object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..render.document import Document

Rendered = bytes | Mapping[str, bytes]  # a file's bytes, or a folder: relative path -> bytes


@dataclass(frozen=True)
class Output:
    name: str
    description: str
    render: Callable[[Document], tuple[Rendered, list[str]]]  # the output and its warnings
    suffix: str = ""  # ".pdf"; empty for a folder output
    tools: tuple[str, ...] = ()  # distributions whose versions key the build cache
    folder: bool = False

    def target(self, out: Path, ident: str, version: str, lang: str) -> Path:
        """The file the cache records: the output itself, or the language's index page of a folder."""
        if self.folder:
            return out / self.name / ident / lang / "index.html"
        return out / f"{ident}-{version}-{lang}{self.suffix}"


# guidegen's own outputs, imported only when used (a no-op build never loads WeasyPrint)
BUILTIN = ("pdf", "docx", "html", "site")


@cache
def registry() -> dict[str, Output]:
    """Every output by name: guidegen's own, then those of installed plug-ins (which may not replace them)."""
    found: dict[str, Output] = {}
    for name in BUILTIN:
        found[name] = _builtin(name)
    for point in entry_points(group="guidegen.outputs"):
        if point.name not in found:
            output = point.load()
            if isinstance(output, Output):
                found[point.name] = output
    return found


def _builtin(name: str) -> Output:
    """A lazy stand-in: the module (and its renderer's imports) load on the first render."""
    meta = {
        "pdf": ("tagged PDF/UA (WeasyPrint)", ".pdf", ("weasyprint",), False),
        "docx": ("Word document (pandoc), named styles", ".docx", ("python-docx",), False),
        "html": ("the print HTML the PDF is made from", ".html", (), False),
        "site": ("web edition: a folder per language, readable offline", "", (), True),
    }[name]
    description, suffix, tools, folder = meta

    def render(document: Document) -> tuple[Rendered, list[str]]:
        module = import_module(f"{__name__}.{name}")
        result: tuple[Rendered, list[str]] = module.render(document)
        return result

    return Output(name, description, render, suffix, ("pypandoc-binary", "babel", "jinja2", *tools), folder)


def names() -> list[str]:
    return list(registry())
