"""Localized guideline -> one semantic HTML document (Jinja2).

Autoescape and StrictUndefined are on: a typo in a template fails, and no
committee or translator text ever becomes markup except through the safe
markdown renderer.  Labels come from the tool's gettext catalogs, grading words
from the scheme file, dates and numbers from CLDR through Babel.
"""

from __future__ import annotations

import gettext
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from ..i18n.languages import profile
from ..i18n.localize import Localized
from ..i18n.messages import paragraphs
from ..kept import code_stamp, keep, kept
from ..library import XREF, catalogue
from ..model import Effect, Level, Outcome, Recommendation
from . import markdown
from .citations import Citations

if TYPE_CHECKING:
    from jinja2.bccache import Bucket

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


class KeptTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in the user's cache (guidegen.kept): compiling the web edition's was a part of
    every build.  Jinja names each by its template's name and file and stores with it the hash of its source and
    its bytecode format; the key adds Jinja's version and this module's (whose ``environment`` shapes the code)."""

    def load_bytecode(self, bucket: Bucket) -> None:
        code = kept("jinja", self._key(bucket), folder="templates")
        if isinstance(code, bytes):
            bucket.bytecode_from_string(code)  # a stale source or format is refused here, and compiled anew

    def dump_bytecode(self, bucket: Bucket) -> None:
        keep("jinja", self._key(bucket), bucket.bytecode_to_string(), folder="templates")

    def _key(self, bucket: Bucket) -> str:
        return f"{bucket.key} jinja2 {jinja2.__version__} {code_stamp(__file__)}"


def environment(theme: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(theme)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        bytecode_cache=KeptTemplates(),
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
    site_links: bool = False  # cross-guideline references as links between web editions (the site output sets it)

    def __post_init__(self) -> None:
        language = profile(self.lang)
        if language is None:  # the check refuses such a language before anything is rendered
            raise ValueError(f"no language profile for '{self.lang}'")
        self.language = language
        self.locale = language.babel_locale()
        self.fallback_texts = {u.text for u in self.localized.fallback_units}
        self.src = self.localized.guideline.meta.source_language
        self.scheme = self.localized.guideline.scheme
        self._numbers: dict[tuple[type, str], str] = {}

    # numbers and dates -------------------------------------------------
    def number(self, value: Decimal | int) -> str:
        """As the committee wrote it (7.20 keeps its zero), in the locale's digits and separators.

        Each written form is formatted once: a document repeats its numbers (counts, effects, intervals), and
        Babel parses the pattern and looks up the locale's symbols anew for every one."""
        key = (type(value), str(value))  # 7.20 == 7.2, and they hash alike: their text tells them apart
        text = self._numbers.get(key)
        if text is None:
            text = self._numbers[key] = self._format_number(value)
        return text

    def _format_number(self, value: Decimal | int) -> str:
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
            return Markup(
                '<div class="untranslated" lang="{}" title="{}" data-custom-style="Untranslated">{}</div>'
            ).format(self.src, label, html)
        return Markup(
            '<span class="untranslated" lang="{}" title="{}" data-custom-style="Untranslated text">{}</span>'
        ).format(self.src, label, html)

    def plain_text(self, text: str) -> Markup:
        html = Markup(escape(text))
        return self._mark(html, block=False) if text.strip() in self.fallback_texts else html

    def markdown(self, text: str, inline: bool = False, mark: bool = True) -> Markup:
        parts = paragraphs(text)
        if inline and len(parts) <= 1:
            html = self._render(text, inline=True)
            return self._mark(html, block=False) if mark and text.strip() in self.fallback_texts else html
        out = []
        for _, para in parts:
            html = self._render(para)
            out.append(self._mark(html, block=True) if mark and para in self.fallback_texts else html)
        return Markup("\n").join(out)

    def _render(self, text: str, inline: bool = False) -> Markup:
        """Markdown with citations; ``[[guideline:rec]]`` becomes "recommendation 2.1 of “Title”" (a link in the web
        edition)."""
        if "[[" not in text or not XREF.search(text):
            return markdown.render(text, self.citations.cite, inline=inline)
        found: dict[str, Markup] = {}

        def token(match: re.Match[str]) -> str:
            # letters and digits only: markdown leaves them as they are
            key = f"gdgxref{len(found)}x{secrets.token_hex(4)}"
            found[key] = self._xref(match.group(1), match.group(2), match.group(0))
            return key

        html = str(markdown.render(XREF.sub(token, text), self.citations.cite, inline=inline))
        for key, markup in found.items():
            html = html.replace(key, str(markup))
        return Markup(html)

    def _xref(self, gid: str, rid: str, written: str) -> Markup:
        library = self.localized.guideline.library
        entry = catalogue(library).get(gid) if library is not None else None
        if entry is None or rid not in entry.numbers:  # E133 refuses this; a draft shows what was written
            return Markup("<span>{}</span>").format(written)
        label = self.t("recommendation %(number)s of %(guideline)s") % {
            "number": entry.numbers[rid],
            "guideline": self.quote(entry.title),
        }
        if self.site_links:
            return Markup('<a class="xref" href="../../{}/{}/index.html#rec-{}">{}</a>').format(
                gid, self.lang, rid, label
            )
        return Markup('<span class="xref">{}</span>').format(label)

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
        return self.t("%(measure)s %(value)s (%(low)s to %(high)s)") % {
            "measure": effect.measure,
            "value": value,
            "low": low,
            "high": high,
        }

    def studies_text(self, outcome: Outcome) -> str:
        if outcome.studies is None:
            return "—"
        if outcome.participants is None:
            return f"— ({self.number(outcome.studies)})"
        return f"{self.number(outcome.participants)} ({self.number(outcome.studies)})"  # GRADE: participants (studies)

    def t(self, message: str) -> str:
        return self.translations.gettext(message)


def render_html(localized: Localized, theme: Path | None = None) -> tuple[str, list[str]]:
    """The print document for one language, and warnings (pandoc's) worth showing."""
    from .document import build_document, render_template

    document = build_document(localized, theme)
    return render_template(document), document.warnings
