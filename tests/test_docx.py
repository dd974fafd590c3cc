"""DOCX drafts: real Word structure (styles, tables, TOC field, language), and LibreOffice opens them."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from guidegen.build import localized_for
from guidegen.load import load_guideline

from .conftest import SAMPLE, output

LANGS = ("uz", "ru", "en")


def paragraphs_by_style(document: docx.document.Document) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in document.paragraphs:
        out.setdefault(p.style.name, []).append(p.text)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_docx_structure(built: Path, lang: str) -> None:
    path = output(built, lang, "docx")
    document = docx.Document(str(path))
    g, _ = load_guideline(SAMPLE)
    assert g is not None
    localized, _ = localized_for(g, lang)
    assert localized is not None
    lg = localized.guideline
    styles = paragraphs_by_style(document)
    # chapters are Word headings, in the output language
    assert [t for t in styles["Heading 1"] if re.match(r"\d+ ", t)] == [
        f"{i} {s.title}" for i, s in enumerate(lg.sections, 1)
    ]
    # each kind of recommendation has its own named style
    recs = dict(lg.recommendations())
    strong = next(r for r in recs.values() if r.strength == "strong")
    conditional = next(r for r in recs.values() if r.strength == "conditional")
    gps = next(r for r in recs.values() if r.type == "good-practice")
    for rec, style in (
        (strong, "Recommendation — strong"),
        (conditional, "Recommendation — conditional"),
        (gps, "Good practice statement"),
    ):
        assert any(text.strip() == rec.text.strip() for text in styles[style]), (style, rec.id)
    # the title page and the cover come first
    assert styles["Title"] == [lg.meta.title]
    # evidence tables are real tables: committee, summary, PICO + SoF per profile, two scales
    assert len(document.tables) >= 2 + 2 * len(lg.profiles) + 2
    assert document.sections[0].page_width is not None and abs(document.sections[0].page_width.mm - 210) < 1
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert 'w:instr="TOC \\o' in xml  # a real Word table-of-contents field
    styles_xml = zipfile.ZipFile(path).read("word/styles.xml").decode()
    assert re.search(rf'<w:lang [^>]*w:val="{lang}"', styles_xml)
    props = document.core_properties
    assert props.title == lg.meta.title and props.language == lang


def test_docx_numbers_references_like_the_pdf(built: Path) -> None:
    document = docx.Document(str(output(built, "en", "docx")))
    html = output(built, "en", "html").read_text()
    first_ref = re.search(r'<li id="ref-[^"]+" value="1"[^>]*>(.*?)</li>', html, re.S)
    assert first_ref is not None
    author = re.sub(r"<[^>]+>", "", first_ref.group(1)).split(".")[0]
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith(author) for t in texts)


@pytest.mark.parametrize("lang", LANGS)
def test_libreoffice_opens_the_docx(built: Path, lang: str, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)")
    source = output(built, lang, "docx")
    profile = tmp_path / "profile"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / source.with_suffix(".pdf").name
    assert pdf.is_file(), proc.stdout + proc.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    g, _ = load_guideline(SAMPLE)
    assert g is not None
    localized, _ = localized_for(g, lang)
    assert localized is not None
    for section in localized.guideline.sections:
        assert " ".join(section.title.split()) in " ".join(text.split()), section.title
