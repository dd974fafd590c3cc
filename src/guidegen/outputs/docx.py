"""DOCX: the document through the print template in its Word form (no watermark or page-numbered TOC), then pandoc."""

from __future__ import annotations

from ..render.document import Document, render_template
from ..render.docx import TOC_MARK, render_docx
from ..stamp import source_date


def render(document: Document) -> tuple[bytes, list[str]]:
    meta = document.guideline.meta
    html = render_template(document, target="docx", toc_field=TOC_MARK)
    properties = {
        "title": meta.title,
        "author": meta.issuer,
        "subject": meta.subtitle or meta.title,
        "keywords": f"{meta.id}, {meta.version}, {document.context['status_label']}",
        "generator": f"guidegen {document.context['version']}",
    }
    data, warnings = render_docx(html, document.lang, source_date(document.guideline), properties)
    return data, document.warnings + warnings
