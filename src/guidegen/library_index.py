"""The library's index: one page per language listing every guideline with its version, status, date,
languages and links to its PDF, DOCX and web edition (``<out>/index-<lang>.html``)."""

from __future__ import annotations

from pathlib import Path

from babel.dates import format_date
from markupsafe import escape

from .atomic import write_atomic
from .i18n.catalogs import cached_catalog, catalog_language, po_path
from .i18n.labels import label_translations
from .i18n.languages import profile
from .load import load_guideline, shown_path
from .model import Guideline


def _title(g: Guideline, lang: str) -> str:
    """The guideline's title in ``lang``: its approved translation, else the source."""
    source = catalog_language(g, lang)
    if source == g.meta.source_language:
        return g.meta.title
    path = po_path(g, source)
    catalog, problems = cached_catalog(path, shown_path(path), source)
    message = catalog.get(g.meta.title, context=f"{g.meta.id}:title") if catalog is not None and not problems else None
    text = str(message.string) if message is not None and message.string and not message.fuzzy else g.meta.title
    language = profile(lang)
    return language.derived.convert(text) if language is not None and language.derived is not None else text


def write_indexes(directories: list[Path], out: Path, formats: list[str]) -> list[Path]:
    """One index page per language of the library; the guidelines that cannot be read are left out."""
    guidelines = [g for g in (load_guideline(d)[0] for d in directories) if g is not None]
    if not guidelines:
        return []
    library = guidelines[0].library
    languages = list(dict.fromkeys(lang for g in guidelines for lang in g.meta.languages))
    written = []
    for lang in languages:
        _ = label_translations(lang, guidelines[0]).gettext
        language = profile(lang)
        locale = language.babel_locale() if language is not None else None
        status = {"draft": _("Draft"), "consultation": _("Draft for consultation"), "final": _("Final")}
        rows = []
        for g in guidelines:
            if lang not in g.meta.languages:
                continue
            stem = f"{g.meta.id}-{g.meta.version}-{lang}"
            links = [
                (f"{stem}.pdf", _("PDF")),
                (f"{stem}.docx", _("Word (DOCX)")),
                (f"site/{g.meta.id}/{lang}/index.html", _("Web edition")),
            ]
            wanted = {"pdf": 0, "docx": 1, "site": 2}
            shown = [
                links[wanted[f]]
                for f in ("pdf", "docx", "site")
                if f in formats or (out / links[wanted[f]][0]).is_file()
            ]
            date = (
                format_date(g.meta.date, format=language.date, locale=locale)
                if language is not None
                else g.meta.date.isoformat()
            )
            cells = [
                f'<td lang="{escape(lang)}">{escape(_title(g, lang))}</td>',
                f"<td>{escape(g.meta.version)}</td>",
                f"<td>{escape(status[g.meta.status])}</td>",
                f"<td>{escape(date)}</td>",
                f"<td>{escape(', '.join(g.meta.languages))}</td>",
                "<td>" + " · ".join(f'<a href="{escape(href)}">{escape(label)}</a>' for href, label in shown) + "</td>",
            ]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        title = library.meta.title if library is not None else _("Guidelines")
        head = "".join(
            f'<th scope="col">{escape(h)}</th>'
            for h in (_("Title"), _("Version"), _("Status"), _("Date"), _("Languages"), _("Files"))
        )
        html = (
            f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title></head>\n<body>\n<main>\n<h1>{escape(title)}</h1>\n"
            f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
            + "\n".join(rows)
            + "\n</tbody>\n</table>\n</main>\n</body>\n</html>\n"
        )
        path = out / f"index-{lang}.html"
        write_atomic(path, html.encode("utf-8"))
        written.append(path)
    return written
