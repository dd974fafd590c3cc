"""PDF: the print HTML laid out by WeasyPrint as a tagged PDF/UA, with the theme's fonts and print CSS."""

from __future__ import annotations

from ..memory import settle
from ..render.document import Document, render_template
from ..render.pdf import render_pdf
from ..render.theme import theme_dir
from ..stamp import source_date


def render(document: Document) -> tuple[bytes, list[str]]:
    settle()  # what the paused load left behind, collected before WeasyPrint's layout is built on top of it
    g = document.guideline
    root = g.root.resolve()
    ident = f"{g.meta.id}-{g.meta.version}-{document.lang}"
    data, warnings = render_pdf(render_template(document), root, [root], theme_dir(g.theme), ident, source_date(g))
    return data, document.warnings + warnings
