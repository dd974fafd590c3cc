"""Localized guideline -> one semantic HTML document (Jinja2).

Autoescape and StrictUndefined are on: a typo in a template fails, and no
committee or translator text ever becomes markup except through the safe
markdown renderer.  Labels come from the tool's gettext catalogs, grading words
from the scheme file, dates and numbers from CLDR through Babel.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from .. import __version__
from ..i18n.labels import label_translations
from ..i18n.languages import profile
from ..i18n.localize import Localized
from ..i18n.messages import paragraphs
from ..model import Effect, Level, Outcome, Recommendation
from . import markdown
from .citations import Citations, format_references
from .decision import Words, etd_recommendations

TEMPLATE = "document.html.j2"
MEASURES = ("MD", "SMD", "RR", "OR", "HR", "RD")


def css_string(value: str) -> Markup:
    """A CSS string literal: safe inside <style>, whatever the text holds."""
    escaped = "".join(c if c.isalnum() or c in " .,:;-–—()/№" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def template_dirs(theme: Path | None) -> list[Path]:
    dirs = []
    if theme is not None and (theme / "templates").is_dir():
        dirs.append(theme / "templates")
    dirs.append(Path(str(resources.files("guidegen") / "templates")))
    return dirs


def environment(theme: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(theme)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    return env


@dataclass
class Formatter:
    """Everything language-specific the template needs, as functions."""

    lang: str
    localized: Localized
    translations: gettext.NullTranslations
    citations: Citations
    fallback_texts: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        language = profile(self.lang)
        if language is None:  # the check refuses such a language before anything is rendered
            raise ValueError(f"no language profile for '{self.lang}'")
        self.language = language
        self.locale = language.babel_locale()
        self.fallback_texts = {u.text for u in self.localized.fallback_units}
        self.src = self.localized.guideline.meta.source_language
        self.scheme = self.localized.guideline.scheme

    # numbers and dates -------------------------------------------------
    def number(self, value: Decimal | int) -> str:
        """As the committee wrote it (7.20 keeps its zero), in the locale's digits and separators."""
        exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(value, format=pattern, locale=self.locale)
        return text.replace("-", "\u2212")  # a typographic minus, in every language

    def date(self) -> str:
        d = self.localized.guideline.meta.date
        return format_date(d, format=self.language.date, locale=self.locale)

    def quote(self, text: str) -> str:
        left, right = self.language.quotes
        return f"{left}{text}{right}"

    # text with fallback marking ------------------------------------------
    def _mark(self, html: Markup, *, block: bool) -> Markup:
        label = escape(self.t("Not yet translated"))
        if block:
            return Markup('<div class="untranslated" lang="{}" title="{}" data-custom-style="Untranslated">{}</div>').format(self.src, label, html)
        return Markup('<span class="untranslated" lang="{}" title="{}" data-custom-style="Untranslated text">{}</span>').format(self.src, label, html)

    def plain_text(self, text: str) -> Markup:
        html = Markup(escape(text))
        return self._mark(html, block=False) if text.strip() in self.fallback_texts else html

    def markdown(self, text: str, inline: bool = False, mark: bool = True) -> Markup:
        parts = paragraphs(text)
        if inline and len(parts) <= 1:
            html = markdown.render(text, self.citations.cite, inline=True)
            return self._mark(html, block=False) if mark and text.strip() in self.fallback_texts else html
        out = []
        for _, para in parts:
            html = markdown.render(para, self.citations.cite)
            out.append(self._mark(html, block=True) if mark and para in self.fallback_texts else html)
        return Markup("\n").join(out)

    # grading words -------------------------------------------------------
    def pick(self, values: dict[str, str], fallback: str) -> str:
        """A scheme's text in this language: its own, else a derived language's source text transliterated
        (uz-Cyrl from uz), else English."""
        own = values.get(self.lang) or values.get(self.language.tag) or values.get(self.lang.split("_")[0])
        derived = self.language.derived
        if not own and derived is not None and values.get(derived.source):
            own = derived.convert(values[derived.source])
        return own or values.get("en") or fallback

    def word(self, level: Level, attribute: str = "label") -> str:
        return self.pick(getattr(level, attribute), level.id)

    def _level(self, levels: tuple[Level, ...], ident: str | None) -> Level | None:
        return next((level for level in levels if level.id == ident), None)

    def strength_text(self, rec: Recommendation) -> str:
        strength = self._level(self.scheme.strength, rec.strength)
        direction = self._level(self.scheme.direction, rec.direction)
        parts = [self.word(x) for x in (strength, direction) if x is not None]
        return ", ".join(parts[:1] + [p.lower() for p in parts[1:]])

    def certainty_text(self, ident: str | None) -> str:
        level = self._level(self.scheme.certainty, ident)
        if level is None:
            return ident or ""
        return f"{self.word(level)} {level.symbol}".strip()

    def justification_text(self, ident: str) -> str:
        level = self._level(self.scheme.justification, ident)
        return self.word(level) if level else ident

    def scheme_heading(self, which: str) -> str:
        return self.pick(getattr(self.scheme, f"{which}_label"), which)

    # evidence ------------------------------------------------------------
    def effect_text(self, effect: Effect | None) -> str:
        if effect is None:
            return "—"
        value = self.number(effect.value)
        if effect.ci is None:
            return f"{effect.measure} {value}"
        low, high = (self.number(x) for x in effect.ci)
        return self.t("%(measure)s %(value)s (%(low)s to %(high)s)") % {"measure": effect.measure, "value": value, "low": low, "high": high}

    def studies_text(self, outcome: Outcome) -> str:
        if outcome.studies is None:
            return "—"
        if outcome.participants is None:
            return self.number(outcome.studies)
        return f"{self.number(outcome.studies)} ({self.number(outcome.participants)})"

    def t(self, message: str) -> str:
        return self.translations.gettext(message)


def render_html(localized: Localized, theme: Path | None = None) -> tuple[str, list[str]]:
    """The document for one language, and warnings (pandoc's) worth showing."""
    g = localized.guideline
    lang = localized.language
    translations = label_translations(lang, g)
    fmt = Formatter(lang, localized, translations, Citations({r.id for r in g.references}))
    entries, warnings = format_references(g.references, lang)
    _ = translations.gettext
    profiles = {p.id: (f"A.{i}", p) for i, p in enumerate(g.profiles, 1)}

    def evidence_links(items: tuple[str, ...]) -> Markup:
        links = [Markup('<a href="#ev-{}">{} {}</a>').format(i, _("Evidence profile"), profiles[i][0]) for i in items if i in profiles]
        refs = [i for i in items if i not in profiles]
        if refs:
            links.append(fmt.citations.cite(refs))
        return Markup(", ").join(links)

    def bibliography() -> list[tuple[int, str, Markup]]:
        return [(n, key, entries.get(key, Markup(escape(key)))) for n, key in enumerate(fmt.citations.order, 1)]

    def box_style(rec: Recommendation) -> str:
        if rec.type == "good-practice":
            return "Good practice statement"
        if rec.type == "research":
            return "Research recommendation"
        return "Recommendation — strong" if rec.strength == g.scheme.strength[0].id else "Recommendation — conditional"

    type_labels = {"recommendation": _("Recommendation"), "good-practice": _("Good practice statement"), "research": _("Research recommendation")}
    role_labels = {"chair": _("Chair"), "member": _("Member"), "methodologist": _("Methodologist"), "secretary": _("Secretary"), "reviewer": _("Reviewer")}
    importance_labels = {"critical": _("Critical"), "important": _("Important"), "limited": _("Of limited importance")}
    downgrade_labels = {
        "risk-of-bias": _("risk of bias"), "inconsistency": _("inconsistency"), "indirectness": _("indirectness"),
        "imprecision": _("imprecision"), "publication-bias": _("publication bias"),
    }
    measure_labels = {
        "MD": _("mean difference"), "SMD": _("standardised mean difference"), "RR": _("risk ratio"),
        "OR": _("odds ratio"), "HR": _("hazard ratio"), "RD": _("risk difference"),
    }
    status_labels = {"draft": _("Draft"), "consultation": _("Draft for consultation"), "final": _("Final")}
    watermarks = {"draft": _("DRAFT"), "consultation": _("CONSULTATION"), "final": ""}
    page = _("Page %(page)s of %(pages)s")
    before, _sep, rest = page.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")

    words = Words(lang, _, fmt.number, fmt.pick)
    etd_recs = etd_recommendations(g)
    rec_numbers = {rec.id: number for number, rec in g.recommendations()}
    toc = [{"level": 1, "number": "", "title": t, "anchor": a} for t, a in (
        (_("Guideline development committee"), "committee"),
        *([(_("Abbreviations"), "abbreviations")] if g.meta.abbreviations else []),
        *([(_("Scope and purpose"), "scope")] if g.meta.scope else []),
        *([(_("Funding"), "funding")] if g.meta.funding else []),
        (_("Summary of recommendations"), "summary"),
    )]
    for number, section in g.walk():
        if number.count(".") <= 1:
            toc.append({"level": number.count(".") + 1, "number": number, "title": fmt.plain_text(section.title), "anchor": f"sec-{section.id}"})
    toc += [{"level": 1, "number": "", "title": t, "anchor": a} for t, a in (
        *([(_("Annex A. Evidence profiles"), "evidence-profiles")] if g.profiles else []),
        (_("Annex B. Methodology"), "methodology"),
        *([(_("Annex C. Evidence to decision"), "evidence-to-decision")] if etd_recs else []),
        (_("References"), "references"),
    )]

    env = environment(theme)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    template = env.get_template(TEMPLATE)
    html = template.render(
        g=g,
        lang=lang,
        version=__version__,
        date=fmt.date(),
        toc=toc,
        status_label=status_labels[g.meta.status],
        watermark=watermarks[g.meta.status],
        scheme=g.scheme,
        scheme_name=fmt.word(Level(g.scheme.id, g.scheme.name)),
        strength_heading=fmt.scheme_heading("strength"),
        certainty_heading=fmt.scheme_heading("certainty"),
        methodology=fmt.pick(g.scheme.methodology, ""),
        measures=[(code, measure_labels[code]) for code in MEASURES],
        abbreviations=sorted(g.meta.abbreviations, key=lambda a: a.term.casefold()),
        recommendations=g.recommendations(),
        fallback_count=len({u.text for u in localized.fallback_units}),
        page_label_before=before, page_label_middle=middle, page_label_after=after,
        citations=fmt.citations,
        cite=lambda keys: fmt.citations.cite(list(keys)),
        bibliography=bibliography,
        evidence_links=evidence_links,
        box_style=box_style,
        plain_text=fmt.plain_text,
        markdown=fmt.markdown,
        word=fmt.word,
        q=fmt.quote,
        strength_text=fmt.strength_text,
        certainty_text=fmt.certainty_text,
        justification_text=fmt.justification_text,
        effect_text=fmt.effect_text,
        studies_text=fmt.studies_text,
        type_label=type_labels.__getitem__,
        role_label=role_labels.__getitem__,
        importance_label=importance_labels.__getitem__,
        d=words,
        etd_recs=etd_recs,
        etd_number={rec.id: _("C.%(number)s") % {"number": i} for i, (_n, rec) in enumerate(etd_recs, 1)},
        rec_numbers=rec_numbers,
        downgrade_text=lambda reasons: _("Downgraded for: %(reasons)s") % {"reasons": ", ".join(downgrade_labels[r] for r in reasons)},
    )
    return html, warnings
