"""Rendering: golden HTML per language, and the PDF checked by structure as a reader would meet it."""

from __future__ import annotations

import difflib
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from guidegen.load import load_guideline
from guidegen.render.html import render_html
from guidegen.render.markdown import render

from .conftest import SAMPLE, output
from .golden import golden_path, render_sample

LANGS = ("uz", "ru", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_html_matches_golden(lang: str) -> None:
    """A change to the output shows up here as a diff; `make golden` rewrites after review."""
    expected = golden_path(lang).read_text(encoding="utf-8")
    actual = render_sample(lang)
    if actual != expected:
        diff = "".join(
            list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "now"))[:60]
        )
        pytest.fail(
            f"HTML for {lang} differs from tests/golden (run `make golden` and review the diff if intended):\n{diff}"
        )


def test_locale_formats() -> None:
    ru, uz, en = (render_sample(lang) for lang in ("ru", "uz", "en"))
    assert "1 декабря 2026\u202fг." in ru or "1 декабря 2026 г." in ru
    assert "2026-yil 1-dekabr" in uz
    assert "December 1, 2026" in en
    assert "MD \u22123,6 (от \u22127,20 до 0,07)" in ru  # decimal comma, typographic minus, precision kept
    assert "MD \u22123.6 (\u22127.20 to 0.07)" in en
    assert "«Мы рекомендуем»" in ru


def test_every_label_is_in_the_output_language() -> None:
    ru = render_sample("ru")
    for label in (
        "Оглавление",
        "Список литературы",
        "Сводка рекомендаций",
        "Приложение Б. Методология",
        "Сила рекомендации",
    ):
        assert label in ru
    for english in (">References<", ">Table of contents<", ">Summary of recommendations<"):
        assert english not in ru


def test_citations_are_numbered_by_first_appearance_and_linked() -> None:
    html = render_sample("en")
    cited = re.findall(r'<a href="#ref-([^"]+)"[^>]*>(\d+)</a>', html)
    first: dict[str, int] = {}
    for key, number in cited:
        first.setdefault(key, int(number))
    assert sorted(first.values()) == list(range(1, len(first) + 1))
    order = list(dict.fromkeys(int(n) for _, n in cited))
    assert order[: len(first)] == sorted(order[: len(first)])  # new numbers appear in increasing order
    for key in first:
        assert f'<li id="ref-{key}" value="{first[key]}"' in html
    backlinks = re.findall(r'<a class="backlink pdf-only" href="#(cite-\d+)"', html)
    assert len(backlinks) == len(first)  # every entry links back to its first citation ...
    for anchor in backlinks:
        assert re.search(rf'<a href="#ref-[^"]+" id="{anchor}">\d+</a>', html)  # ... which is a number in the text


def test_markdown_is_safe() -> None:
    text = '<script>alert(1)</script> <img src="http://127.0.0.1/x"> ![i](http://127.0.0.1/y) '
    html = render(text + "[a](javascript:alert(1)) [b](file:///etc/passwd) [c](https://example.org)", lambda keys: "")
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html.replace("[a](javascript:alert(1))", "") or 'href="javascript' not in html
    assert 'href="file:' not in html and 'href="javascript' not in html
    assert '<a href="https://example.org">c</a>' in html
    assert "&lt;script&gt;" in html


def test_untranslated_text_is_marked_in_a_draft(tmp_path: Path) -> None:
    import shutil

    from guidegen.build import localized_for

    shutil.copytree(SAMPLE.parent / "translations", tmp_path / "translations")
    shutil.copytree(SAMPLE, tmp_path / "guideline")
    po = tmp_path / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    text = po.read_text()
    start = text.index('msgctxt "esk-add-on:text"')
    end = text.index("\n\n", start)
    entry = text[start:end]
    po.write_text(text.replace(entry, re.sub(r'msgstr ".*"', 'msgstr ""', entry, flags=re.S)))
    g, _ = load_guideline(tmp_path / "guideline")
    assert g is not None
    localized, problems = localized_for(g, "ru")
    assert localized is not None, problems
    html, _ = render_html(localized)
    assert '<div class="untranslated" lang="en"' in html
    assert "For adults with TRD, we suggest that esketamine nasal spray" in html
    assert "1 фрагментов" in html or "фрагмент" in html  # the cover says how many


def font_names(reader: PdfReader) -> dict[str, bool]:
    """Every font used, and whether its program is embedded."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_structure(built: Path, lang: str) -> None:
    reader = PdfReader(output(built, lang, "pdf"))
    g, _ = load_guideline(SAMPLE)
    assert g is not None
    assert len(reader.pages) >= 25
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert "/StructTreeRoot" in reader.trailer["/Root"] and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    meta = reader.metadata
    assert meta is not None and meta.title and meta.author and meta.subject
    fonts = font_names(reader)
    assert fonts and all(fonts.values()), fonts
    assert all("Guidegen-" in name for name in fonts), fonts  # only the theme's fonts, never a system fallback
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert len(outline) >= 10
    text = "\n".join(page.extract_text() for page in reader.pages)
    watermark = {"uz": "LOYIHA", "ru": "ПРОЕКТ", "en": "DRAFT"}[lang]
    assert watermark in text
    if lang == "uz":
        assert "ʻ" in text and "Mundarija" in text and "Adabiyotlar" in outline
    if lang == "ru":
        assert re.search("[А-Яа-яЁё]{5,}", text) and "Список литературы" in outline
        assert "Стр. 2 из" in text
    if lang == "en":
        assert "Page 2 of" in text and "References" in outline
        assert re.search(r"Summary of recommendations\s*\.*\s*\d+", text)  # TOC with page numbers


def test_pdf_bookmarks_follow_the_chapters(built: Path) -> None:
    reader = PdfReader(output(built, "en", "pdf"))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    g, _ = load_guideline(SAMPLE)
    assert g is not None
    chapters = [f"{i} {s.title}" for i, s in enumerate(g.sections, 1)]
    assert [t for t in titles if t[:1].isdigit()] == chapters


@pytest.mark.parametrize(("status", "mark"), [("draft", "DRAFT"), ("consultation", "CONSULTATION"), ("final", None)])
def test_watermark_follows_the_status(base_guideline: Path, status: str, mark: str | None) -> None:
    from guidegen.build import localized_for

    meta = base_guideline / "guideline.yaml"
    meta.write_text(meta.read_text().replace("status: draft", f"status: {status}"))
    g, _ = load_guideline(base_guideline)
    assert g is not None
    localized, _ = localized_for(g, "en")
    assert localized is not None
    html, _ = render_html(localized)
    watermarks = re.findall(r'<div class="watermark pdf-only" aria-hidden="true">([^<]*)</div>', html)
    assert watermarks == ([mark] if mark else [])


def test_pdf_is_the_same_with_the_pydyf_workarounds(base_guideline: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cached page references and streams compressed once change nothing in the PDF, and are undone afterwards."""
    import contextlib
    import gc

    import pydyf

    from guidegen import build
    from guidegen.render import pdf

    originals = {name: pydyf.PDF.__dict__[name] for name in ("page_references", "write")}
    data = pydyf.Stream.__dict__["data"]
    g, _ = load_guideline(base_guideline)
    assert g is not None
    localized, _ = build.localized_for(g, "en")
    assert localized is not None
    compressed: list[int] = []
    compress = data.fget

    def counting(stream: pydyf.Stream) -> bytes:
        compressed.append(id(stream))
        return compress(stream)

    monkeypatch.setattr(pydyf.Stream, "data", property(counting))
    thresholds = gc.get_threshold()
    with_workarounds, _ = build.render(localized, "pdf", g)
    assert {name: pydyf.PDF.__dict__[name] for name in originals} == originals
    assert gc.get_threshold() == thresholds  # layout's collector settings are undone too
    assert len(compressed) == len(set(compressed))  # each stream compressed once, though the file has an identifier
    compressed.clear()
    monkeypatch.setattr(pdf, "pydyf_workarounds", contextlib.nullcontext)
    without, _ = build.render(localized, "pdf", g)
    assert len(compressed) > len(set(compressed))  # what pydyf alone does
    monkeypatch.setattr(pydyf.Stream, "data", data)
    assert len(PdfReader(io.BytesIO(with_workarounds)).pages) >= 3  # tags on several pages read the references
    assert with_workarounds == without
