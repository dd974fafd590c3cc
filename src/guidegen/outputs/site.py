"""The web edition: ``site/<id>/<lang>/index.html`` for every language, a front page that opens the
reader's language, and the shared assets — readable on a phone, offline and from ``file://``.

Recommendations come first (statement and grade); rationale, the EtD and the
summary of findings unfold on demand.  Search runs in the page over an index of
this language's recommendations.  Nothing is fetched from outside the folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from markupsafe import Markup

from ..i18n.languages import profile
from ..render import markdown
from ..render.document import Document, render_template
from ..render.html import environment
from ..render.theme import theme_dir

ASSETS = ("site.css", "site.js", "pick.js", "reload.js")


def _assets(theme: Path) -> dict[str, bytes]:
    """The theme's site assets, falling back to the package's for any it lacks."""
    package = Path(str(resources.files("guidegen") / "themes" / "default" / "site"))
    found = {}
    for name in ASSETS:
        own = theme / "site" / name
        found[f"assets/{name}"] = (own if own.is_file() else package / name).read_bytes()
    return found


def _plain(html: str) -> str:
    """Searchable text of a rendered fragment: tags out, whitespace folded."""
    return " ".join(Markup(html).striptags().split())


def render(document: Document) -> tuple[dict[str, bytes], list[str]]:
    g = document.guideline
    lang = document.lang
    ctx = document.context
    names = [(tag, language.name if (language := profile(tag)) else tag) for tag in g.meta.languages]
    stem = f"{g.meta.id}-{g.meta.version}-{lang}"
    _ = document.translations.gettext
    downloads = [(_("PDF"), f"../../../{stem}.pdf"), (_("Word (DOCX)"), f"../../../{stem}.docx")]
    entries = [
        # without citation numbers: numbering follows the page, which is rendered after this index
        {"id": rec.id, "number": number, "text": _plain(str(markdown.render(rec.text, lambda keys: Markup(""))))}
        for number, rec in g.recommendations()
    ]
    search_index = {
        "entries": entries,
        "labels": {"found": _("Found: %(count)s"), "none": _("No recommendation matches.")},
    }
    ctx["citations"].anchors = False
    ctx["fmt"].site_links = True
    profiles = {p.id: p for p in g.profiles}
    numbers = {p.id: f"A.{i}" for i, p in enumerate(g.profiles, 1)}
    page = render_template(
        document,
        "site/page.html.j2",
        target="site",
        site_languages=names,
        downloads=downloads,
        search_index=search_index,
        profile_numbers=numbers,
        profiles_by_id=profiles,
        preview=ctx.get("preview"),
        sof_cache={},  # a profile's summary of findings is rendered once, shown under each recommendation it supports
    )
    files = {f"{lang}/index.html": page.encode("utf-8"), **_assets(theme_dir(g.theme))}
    front = (
        environment(document.theme)
        .get_template("site/index.html.j2")
        .render(title=g.meta.title, languages=[(tag, name, g.meta.title) for tag, name in names])
    )
    files["index.html"] = front.encode("utf-8")
    return files, document.warnings
