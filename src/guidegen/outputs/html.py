"""The print HTML: the document through its print template, the PDF's own intermediate (kept for review and diffs)."""

from __future__ import annotations

from ..render.document import Document, render_template


def render(document: Document) -> tuple[bytes, list[str]]:
    return render_template(document).encode("utf-8"), document.warnings
