"""HTML -> DOCX with pandoc, styled by a reference.docx that this module generates.

The reference document is made by code from pandoc's own default (A4, the PDF
theme's font and margins, and one named style per kind of block), never kept
as a hand-edited binary.  ``data-custom-style`` in the HTML names the Word
style of each block; pandoc runs sandboxed, so nothing outside is read.
After pandoc, a real Word TOC field replaces the PDF's table of contents.
"""

from __future__ import annotations

import io
import tempfile
from functools import cache
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from . import pandoc

FONT = "Liberation Sans"
ACCENT = RGBColor(0x1D, 0x4E, 0x89)

# name: (based on, bold, italic, size pt, colour, left border colour hex, shading hex)
PARAGRAPH_STYLES: dict[str, tuple[str, bool, bool, float, RGBColor | None, str | None, str | None]] = {
    "Cover issuer": ("Normal", True, False, 12, None, None, None),
    "Approval": ("Normal", False, False, 10, None, None, None),
    "Untranslated note": ("Normal", False, True, 9, None, None, "FFF3B0"),
    "Recommendation heading": ("Normal", True, False, 10.5, ACCENT, "1D4E89", None),
    "Recommendation — strong": ("Normal", True, False, 11, None, "1D4E89", "F2F6FB"),
    "Recommendation — conditional": ("Normal", True, False, 11, None, "4A7FB5", None),
    "Good practice statement": ("Normal", True, False, 11, None, "2E7D4F", "F3FAF5"),
    "Research recommendation": ("Normal", True, False, 11, None, "7A5C99", "F8F5FB"),
    "Recommendation body": ("Normal", False, False, 10, None, "B8C4D0", None),
    "Recommendation grade": ("Normal", False, False, 9, None, "B8C4D0", None),
    "Recommendation part": ("Normal", True, False, 9, RGBColor(0x33, 0x33, 0x33), "B8C4D0", None),
    "Evidence links": ("Normal", False, False, 9, None, "B8C4D0", None),
    "Remarks": ("Normal", False, False, 9.5, None, "B8C4D0", None),
    "Untranslated": ("Normal", False, False, 10, None, "C9A400", "FFF3B0"),
}
# name: shading hex (None: none); the EtD annex marks the committee's judgement on each scale
# the template's table kinds (data-custom-style on <table>), ruled like the Table style
TABLE_STYLES = ("Cover table", "Committee table", "Summary table", "Evidence table", "Scale table", "EtD table")
CHARACTER_STYLES: dict[str, str | None] = {"Untranslated text": "FFF3B0", "EtD judgement": "E3ECF7", "EtD scale": None}


def _border_and_shading(style: docx.styles.style.ParagraphStyle, border: str | None, shading: str | None) -> None:
    ppr = style.element.get_or_add_pPr()
    if border:
        pbdr = OxmlElement("w:pBdr")
        left = OxmlElement("w:left")
        for key, value in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", border)):
            left.set(qn(key), value)
        pbdr.append(left)
        ppr.append(pbdr)
    if shading:
        shd = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", shading)):
            shd.set(qn(key), value)
        ppr.append(shd)


def _table_borders(style: docx.styles.style.BaseStyle) -> None:
    tblpr = style.element.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.element.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "B8C4D0")):
            line.set(qn(key), value)
        borders.append(line)
    later = [
        c
        for c in tblpr
        if c.tag
        in {qn(f"w:{n}") for n in ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")}
    ]
    if later:  # OOXML fixes the order of a tblPr's children; Word and LibreOffice ignore misplaced ones
        later[0].addprevious(borders)
    else:
        tblpr.append(borders)


@cache
def reference_docx() -> bytes:
    """pandoc's default reference.docx, restyled to match the PDF theme."""
    data, _ = pandoc.run(["--print-default-data-file", "reference.docx"])
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)
        section.left_margin, section.right_margin = Mm(20), Mm(18)
    styles = document.styles
    for name in (
        "Normal",
        "Body Text",
        "First Paragraph",
        "Compact",
        "Title",
        "Subtitle",
        "Bibliography",
        "TOC Heading",
        *[f"Heading {n}" for n in range(1, 7)],
    ):
        style = styles[name]
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        for theme_attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme_attr), None)
    styles["Normal"].font.size = Pt(10)
    _table_borders(styles["Table"])  # pandoc's tables: ruled like the PDF's, so an EtD or SoF row reads across
    for name in TABLE_STYLES:
        # pandoc names a table's style by its data-custom-style, as the style's id
        style = styles.add_style(name, WD_STYLE_TYPE.TABLE)
        style.element.set(qn("w:styleId"), name)
        style.base_style = styles["Table"]
        _table_borders(style)
    styles["Heading 1"].paragraph_format.page_break_before = True  # chapters start on a new page, as in the PDF
    for name in ("Title", *[f"Heading {n}" for n in range(1, 4)]):
        styles[name].font.color.rgb = ACCENT
    for name, (base, bold, italic, size, colour, border, shading) in PARAGRAPH_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.font.name = FONT
        style.font.bold, style.font.italic, style.font.size = bold, italic, Pt(size)
        if colour is not None:
            style.font.color.rgb = colour
        style.paragraph_format.left_indent = Mm(3) if border else None
        style.paragraph_format.space_after = Pt(4)
        _border_and_shading(style, border, shading)
    for name, fill in CHARACTER_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        if fill is None:
            style.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
            continue
        rpr = style.element.get_or_add_rPr()
        shd = OxmlElement("w:shd")
        for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
            shd.set(qn(key), value)
        rpr.append(shd)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# The template writes this before the contents' placeholder text; _toc_field puts Word's TOC field there.
TOC_MARK = "GUIDEGEN-TOC-FIELD"


def _toc_field(document: docx.document.Document) -> None:
    """Replace the marker paragraph with a Word TOC field (Word fills it in; LibreOffice too on update)."""
    for paragraph in document.paragraphs:
        if paragraph.text.startswith(TOC_MARK):
            placeholder = paragraph.text[len(TOC_MARK) :].strip()
            for run in paragraph.runs:
                run._element.getparent().remove(run._element)
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), r'TOC \o "1-2" \h \z \u')
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = placeholder
            run.append(text)
            field.append(run)
            paragraph._p.append(field)
            break
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _properties(document: docx.document.Document, properties: dict[str, str], lang: str, stamp: int) -> None:
    """Title, author, subject, keywords and language from the guideline; fixed dates (reproducible)."""
    import datetime

    props = document.core_properties
    props.title = properties.get("title", "")
    props.author = properties.get("author", "")
    props.subject = properties.get("subject", "")
    props.keywords = properties.get("keywords", "")
    props.language = lang
    props.comments = properties.get("generator", "")
    props.created = props.modified = datetime.datetime.fromtimestamp(stamp, tz=datetime.UTC)
    props.last_modified_by = properties.get("generator", "")
    props.revision = 1


def normalize_zip(data: bytes, stamp: int) -> bytes:
    """The same bytes for the same content: fixed entry times and order (python-docx writes 'now')."""
    import datetime
    import zipfile

    when = datetime.datetime.fromtimestamp(max(stamp, 315532800), tz=datetime.UTC).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def render_docx(
    html: str, lang: str, stamp: int = 315532800, properties: dict[str, str] | None = None
) -> tuple[bytes, list[str]]:
    """The Word form of the document's HTML (its template's "docx" target) through pandoc, styled and dated."""
    with tempfile.TemporaryDirectory(prefix="guidegen-docx-") as tmp:
        ref = Path(tmp) / "reference.docx"
        ref.write_bytes(reference_docx())
        source = Path(tmp) / "document.html"
        source.write_text(html, encoding="utf-8")
        out = Path(tmp) / "document.docx"
        _, warnings = pandoc.run(
            [
                "-f",
                "html",
                "-t",
                "docx",
                "--reference-doc",
                str(ref),
                "--shift-heading-level-by=-1",
                "-M",
                f"lang={lang}",
                "-o",
                str(out),
                str(source),
            ]
        )
        document = docx.Document(str(out))
    _toc_field(document)
    _properties(document, properties or {}, lang, stamp)
    buf = io.BytesIO()
    document.save(buf)
    return normalize_zip(buf.getvalue(), stamp), warnings
