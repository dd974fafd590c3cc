"""HTML -> PDF with WeasyPrint: the theme's print CSS, a fetcher that reads only what it may.

WeasyPrint's default fetcher reads any file:// URL and fetches http; guideline
text is untrusted, so ours serves ``data:`` URIs and files inside the allowed
folders (the guideline, the theme, the package) and refuses everything else
(SECURITY.md).  WeasyPrint's log records become warnings for the user.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pydyf
import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..memory import layout_collection

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


# WeasyPrint warnings that say the same thing for every font of every output,
# each with what the user can do about it: shown once per build, not once per font.
_KNOWN_WARNINGS = (
    (
        re.compile(r"Using fontTools instead of HarfBuzz-Subset"),
        "WeasyPrint embeds fonts with fontTools because HarfBuzz-Subset is not installed; the PDFs are complete "
        "and reproducible, only slower to make. To speed builds up: sudo apt-get install libharfbuzz-subset0",
    ),
)


def plain_warnings(messages: list[str]) -> list[str]:
    """Each warning once, the known ones replaced by one sentence that says what to do."""
    out: dict[str, None] = {}
    for message in messages:
        known = next((text for pattern, text in _KNOWN_WARNINGS if pattern.search(message)), message)
        out[known] = None
    return list(out)


class _PageReferences:
    """pydyf's ``PDF.page_references``, built once per page count instead of on every read.

    pydyf (0.13) builds the tuple of every page's reference each time the property is
    read, and WeasyPrint's tagging (``pdf/tags.py``) reads it once per structure element
    of the tagged PDF: quadratic in the document's size (docs/design-notes.md).  The tuple is the same until a
    page is added, so it is kept with the page count it was built for; the PDF is byte
    for byte the same (tests/test_render.py).
    """

    def __get__(self, pdf: pydyf.PDF, owner: type | None = None) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_guidegen_page_references")
        if cached is None or cached[0] != len(kids):
            cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            pdf.__dict__["_guidegen_page_references"] = cached
        refs: tuple[bytes, ...] = cached[1]
        return refs


class _SerializedOnce:
    """A pydyf ``Stream.data`` that compresses each stream once per ``PDF.write``.

    Asked for a file identifier (ours is fixed, for reproducible builds), pydyf 0.13
    serializes every object a second time to hash it: every page's content stream
    and every font is compressed again at zlib level 9.  Nothing changes an object
    while it is written, so the first result is kept for the second reading
    (docs/design-notes.md); the PDF is byte for byte the same (tests/test_render.py).
    """

    def __init__(self, original: property) -> None:
        self.original = original
        self.done: dict[int, tuple[object, bytes]] = {}

    def __get__(self, stream: pydyf.Stream, owner: type | None = None) -> bytes:
        kept = self.done.get(id(stream))
        if kept is None or kept[0] is not stream:
            kept = self.done[id(stream)] = (stream, self.original.__get__(stream, owner))
        return kept[1]


def _write_once(write: Callable[..., None]) -> Callable[..., None]:
    """``PDF.write`` with ``Stream.data`` computed once per stream while it runs."""

    def write_once(pdf: pydyf.PDF, *args: object, **kwargs: object) -> None:
        original = pydyf.Stream.__dict__["data"]
        pydyf.Stream.data = _SerializedOnce(original)
        try:
            write(pdf, *args, **kwargs)
        finally:
            pydyf.Stream.data = original

    return write_once


@contextmanager
def pydyf_workarounds() -> Iterator[None]:
    """``_PageReferences`` and ``_SerializedOnce`` in place while a PDF is made, for the pydyf they were written for.

    Each is left out if pydyf's code it replaces is no longer what it was.
    """
    references = pydyf.PDF.__dict__.get("page_references")
    data = pydyf.Stream.__dict__.get("data")
    write = pydyf.PDF.__dict__.get("write")
    patched = []
    if isinstance(references, property):
        pydyf.PDF.page_references = _PageReferences()
        patched.append(("page_references", references))
    if isinstance(data, property) and callable(write):
        pydyf.PDF.write = _write_once(write)
        patched.append(("write", write))
    try:
        yield
    finally:
        for name, original in patched:
            setattr(pydyf.PDF, name, original)


@contextmanager
def source_date_epoch(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set while a PDF is made, then put back as it was.

    Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps
    each font's ``head.modified`` with the current time unless this variable is set
    (reproducible-builds.org): two builds of the same inputs would differ.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def render_pdf(
    html: str, base: Path, roots: list[Path], theme: Path, identifier: str, epoch: int
) -> tuple[bytes, list[str]]:
    """PDF bytes for the document, and the warnings met on the way; ``epoch`` is the time written into it."""
    fetcher = SafeFetcher([*roots, theme])
    # Without a FontConfiguration, WeasyPrint ignores @font-face and uses whatever
    # fonts the machine has: the theme's fonts would silently not be used.
    fonts = FontConfiguration()
    with collect_warnings() as messages, pydyf_workarounds(), source_date_epoch(epoch):
        source = weasyprint.HTML(string=html, base_url=str(base) + "/", url_fetcher=fetcher)
        css = weasyprint.CSS(filename=str(theme / "print.css"), url_fetcher=fetcher, font_config=fonts)
        with layout_collection():
            document = source.render(stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT)
        data: bytes = document.write_pdf(
            pdf_variant=PDF_VARIANT,
            pdf_identifier=hashlib.sha256(identifier.encode()).hexdigest()[:32].encode(),
            uncompressed_pdf=False,
        )
    return data, plain_warnings(messages)
