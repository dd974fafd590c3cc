"""Rendering: localized model -> semantic HTML -> PDF (WeasyPrint) and DOCX (pandoc)."""
