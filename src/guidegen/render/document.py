"""Localized guideline -> the render-ready document of one language, read by every output.

Built once per (guideline, language): numbering, table of contents, labels in
the reader's language, the reference list in Vancouver style, evidence and
EtD numbering, the cross-links between recommendations, profiles and annexes,
and the functions that put committee and translator text on the page safely.
Each output (print HTML and PDF, DOCX, web edition) renders it with its own
template; none re-derives a number or a label, and none reads another's HTML.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .. import __version__
from ..i18n.labels import label_translations
from ..i18n.localize import Localized
from ..model import Guideline, Level, Recommendation
from .citations import Citations, format_references
from .decision import Words, etd_recommendations
from .html import MEASURES, TEMPLATE, Formatter, environment


@dataclass
class Document:
    """One language's document: what the templates of every output read."""

    localized: Localized
    lang: str
    theme: Path | None
    translations: gettext.NullTranslations
    context: dict[str, Any]
    warnings: list[str]

    @property
    def guideline(self) -> Guideline:
        return self.localized.guideline


def render_template(document: Document, name: str = TEMPLATE, target: str = "print", **extra: Any) -> str:
    """The document through one template; ``target`` (print, docx, site) lets a shared template leave out what an
    output has no use for."""
    env = environment(document.theme)
    env.install_gettext_translations(document.translations, newstyle=True)  # type: ignore[attr-defined]
    return env.get_template(name).render({**document.context, "target": target, **extra})


def revision_context(g: Guideline, lang: str, _: Callable[[str], str], fmt: Formatter) -> dict[str, Any] | None:
    """The change annex and the [new]/[amended] tags, when the guideline names its ``previous`` version."""
    from ..revision import AMENDED, KINDS, RevisionError, repository, since

    if not g.meta.previous:
        return None
    try:
        repository(g.root)
    except RevisionError:  # S020 has said so: a copy without its history builds without the annex
        return None

    version, changes = since(g.root, g.meta.previous)
    scales = {"strength": g.scheme.strength, "direction": g.scheme.direction, "certainty": g.scheme.certainty}
    names = {
        "type": _("Type"),
        "strength": fmt.scheme_heading("strength"),
        "direction": _("Direction"),
        "certainty": fmt.scheme_heading("certainty"),
    }

    def grade_word(key: str, value: str | None) -> str:
        level = next((lv for lv in scales.get(key, ()) if lv.id == value), None)
        return fmt.word(level) if level is not None else (value or "—")

    def described(c: Any) -> str:
        parts = []
        regraded = c.details.get("regraded", {})
        for key, (was, now) in regraded.items():
            parts.append(f"{names.get(key, key)}: {grade_word(key, was)} → {grade_word(key, now)}")
        fields = {
            "text": _("Text"),
            "title": _("Title"),
            "rationale": _("Rationale"),
            "remarks": _("Remarks"),
            "implementation": _("Implementation"),
            "etd": _("Evidence to decision"),
        }
        if c.details.get("reworded"):
            parts.append(", ".join(fields.get(k, k) for k in c.details["reworded"]))
        if "moved" in c.details:
            parts.append(
                _("moved from %(old)s to %(new)s") % {"old": c.details["moved"][0], "new": c.details["moved"][1]}
            )
        if "languages" in c.details:
            parts.append(", ".join(c.details["languages"]))
        return "; ".join(parts)

    for c in changes:
        c.details["described"] = described(c)
        if c.change == "removed":
            c.details["old_text"] = c.text_in.get(lang, c.title)
    year = g.meta.date.year
    titles = {
        "added": _("New recommendations and sections"),
        "removed": _("Removed"),
        "regraded": _("Regraded"),
        "reworded": _("Reworded"),
        "evidence-changed": _("Evidence changed"),
        "moved": _("Moved"),
        "translation-changed": _("Translation changed"),
    }
    tags = {}
    for c in changes:
        if c.kind != "recommendation":
            continue
        if c.change == "added":
            tags[c.id] = _("new %(year)s") % {"year": year}
        elif c.change in AMENDED or set(c.also) & set(AMENDED):
            tags[c.id] = _("amended %(year)s") % {"year": year}
    groups = [(kind, titles[kind], [c for c in changes if c.change == kind]) for kind in KINDS]
    return {"version": version, "groups": [g for g in groups if g[2]], "tags": tags}


def consultation_context(
    g: Guideline, _: Callable[[str], str]
) -> list[tuple[str, list[tuple[str, str, list[Any]]]]] | None:
    """The comments annex: by organisation, then by the recommendation or section commented on, in document order."""
    if g.consultation is None or not g.consultation.comments:
        return None
    numbers = {rec.id: (n, "rec") for n, rec in g.recommendations()} | {s.id: (n, "sec") for n, s in g.walk()}
    order = {ident: i for i, ident in enumerate(numbers)}
    groups: dict[str, dict[str, list[Any]]] = {}
    for c in g.consultation.comments:
        groups.setdefault(c.organisation, {}).setdefault(c.target, []).append(c)
    out = []
    for organisation in sorted(groups, key=str.casefold):
        targets = sorted(groups[organisation], key=lambda t: order.get(t, len(order)))
        rows = []
        for target in targets:
            number, kind = numbers.get(target, ("", ""))
            label = f"{number}" if number else (target or _("the whole document"))
            rows.append((label, f"{kind}-{target}" if kind else "", groups[organisation][target]))
        out.append((organisation, rows))
    return out


def build_document(localized: Localized, theme: Path | None = None) -> Document:
    """The render-ready document for ``localized``'s language; ``theme`` is the guideline's theme folder, if any."""
    g = localized.guideline
    lang = localized.language
    translations = label_translations(lang, g)
    fmt = Formatter(lang, localized, translations, Citations({r.id for r in g.references}))
    entries, warnings = format_references(g.references, lang)
    _ = translations.gettext
    profiles = {p.id: (f"A.{i}", p) for i, p in enumerate(g.profiles, 1)}

    def evidence_links(items: tuple[str, ...]) -> Markup:
        links = [
            Markup('<a href="#ev-{}">{} {}</a>').format(i, _("Evidence profile"), profiles[i][0])
            for i in items
            if i in profiles
        ]
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

    type_labels = {
        "recommendation": _("Recommendation"),
        "good-practice": _("Good practice statement"),
        "research": _("Research recommendation"),
    }
    role_labels = {
        "chair": _("Chair"),
        "member": _("Member"),
        "methodologist": _("Methodologist"),
        "secretary": _("Secretary"),
        "reviewer": _("Reviewer"),
    }
    importance_labels = {"critical": _("Critical"), "important": _("Important"), "limited": _("Of limited importance")}
    downgrade_labels = {
        "risk-of-bias": _("risk of bias"),
        "inconsistency": _("inconsistency"),
        "indirectness": _("indirectness"),
        "imprecision": _("imprecision"),
        "publication-bias": _("publication bias"),
    }
    measure_labels = {
        "MD": _("mean difference"),
        "SMD": _("standardised mean difference"),
        "RR": _("risk ratio"),
        "OR": _("odds ratio"),
        "HR": _("hazard ratio"),
        "RD": _("risk difference"),
    }
    status_labels = {"draft": _("Draft"), "consultation": _("Draft for consultation"), "final": _("Final")}
    watermarks = {"draft": _("DRAFT"), "consultation": _("CONSULTATION"), "final": ""}
    page = _("Page %(page)s of %(pages)s")
    before, _sep, rest = page.partition("%(page)s")
    middle, _sep, after = rest.partition("%(pages)s")

    words = Words(lang, _, translations.pgettext, fmt.number, fmt.pick)
    changes = revision_context(g, lang, _, fmt)
    comments = consultation_context(g, _)  # also in a draft, so the committee sees what it still has to answer
    etd_recs = etd_recommendations(g)
    rec_numbers = {rec.id: number for number, rec in g.recommendations()}
    toc = [
        {"level": 1, "number": "", "title": t, "anchor": a}
        for t, a in (
            (_("Guideline development committee"), "committee"),
            *([(_("Abbreviations"), "abbreviations")] if g.meta.abbreviations else []),
            *([(_("Scope and purpose"), "scope")] if g.meta.scope else []),
            *([(_("Funding"), "funding")] if g.meta.funding else []),
            (_("Summary of recommendations"), "summary"),
        )
    ]
    for number, section in g.walk():
        if number.count(".") <= 1:
            toc.append(
                {
                    "level": number.count(".") + 1,
                    "number": number,
                    "title": fmt.plain_text(section.title),
                    "anchor": f"sec-{section.id}",
                }
            )
    toc += [
        {"level": 1, "number": "", "title": t, "anchor": a}
        for t, a in (
            *([(_("Annex A. Evidence profiles"), "evidence-profiles")] if g.profiles else []),
            (_("Annex B. Methodology"), "methodology"),
            *([(_("Annex C. Evidence to decision"), "evidence-to-decision")] if etd_recs else []),
            *(
                [(_("Changes since version %(version)s") % {"version": changes["version"]}, "changes")]
                if changes
                else []
            ),
            *([(_("Stakeholder comments and responses"), "stakeholder-comments")] if comments else []),
            (_("References"), "references"),
        )
    ]

    context = dict(
        fmt=fmt,
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
        page_label_before=before,
        page_label_middle=middle,
        page_label_after=after,
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
        changes=changes,
        comments=comments,
        action_label={
            "": "—",
            "accepted": _("Accepted"),
            "partly-accepted": _("Partly accepted"),
            "rejected": _("Rejected"),
            "noted": _("Noted"),
        }.__getitem__,
        etd_recs=etd_recs,
        etd_number={rec.id: _("C.%(number)s") % {"number": i} for i, (_n, rec) in enumerate(etd_recs, 1)},
        rec_numbers=rec_numbers,
        downgrade_text=lambda reasons: (
            _("Downgraded for: %(reasons)s") % {"reasons": ", ".join(downgrade_labels[r] for r in reasons)}
        ),
    )
    return Document(localized, lang, theme, translations, context, list(warnings))
