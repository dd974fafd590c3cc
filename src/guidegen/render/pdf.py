"""HTML -> PDF with WeasyPrint: the theme's print CSS, a fetcher that reads only what it may.

WeasyPrint's default fetcher reads any file:// URL and fetches http; guideline
text is untrusted, so ours serves ``data:`` URIs and files inside the allowed
folders (the guideline, the theme, the package) and refuses everything else
(DESIGN.md §7).  WeasyPrint's log records become warnings for the user.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_VARIANT = "pdf/ua-1"


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serves data: URIs and files below ``roots``; refuses (and records) everything else."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                return URLFetcherResponse(url, body=path.read_bytes())
        self.refused.append(url)
        raise ValueError(f"refused to fetch {url}: only files of the guideline and its theme are read")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collect_warnings() -> Iterator[list[str]]:
    """WeasyPrint's warnings and errors, captured for the user instead of a logging setup."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def render_pdf(html: str, base: Path, roots: list[Path], theme: Path, identifier: str) -> tuple[bytes, list[str]]:
    """PDF bytes for the document, and the warnings met on the way."""
    fetcher = SafeFetcher([*roots, theme])
    # Without a FontConfiguration, WeasyPrint ignores @font-face and uses whatever
    # fonts the machine has: the theme's fonts would silently not be used.
    fonts = FontConfiguration()
    with collect_warnings() as messages:
        document = weasyprint.HTML(string=html, base_url=str(base) + "/", url_fetcher=fetcher)
        css = weasyprint.CSS(filename=str(theme / "print.css"), url_fetcher=fetcher, font_config=fonts)
        data: bytes = document.write_pdf(
            stylesheets=[css],
            font_config=fonts,
            pdf_variant=PDF_VARIANT,
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
            uncompressed_pdf=False,
        )
    return data, messages
