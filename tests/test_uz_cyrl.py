"""uz-Cyrl, a derived language (issue 18): the approved Uzbek Latin catalog, transliterated at build time.

The sample with uz-Cyrl added to its languages checks clean, builds an Uzbek Cyrillic HTML, needs no catalog
of its own, and names the words the transliteration cannot settle (T113) where they are written.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from babel.dates import format_date

from guidegen.build import fingerprint
from guidegen.checks import check_guideline
from guidegen.cli import main
from guidegen.i18n import catalogs
from guidegen.i18n.labels import label_translations, package_po
from guidegen.i18n.languages import profile
from guidegen.i18n.translit import to_cyrillic, unresolved
from guidegen.load import load_guideline
from guidegen.model import Guideline
from guidegen.outputs import registry
from guidegen.problems import Problem, has_errors

from .conftest import ROOT, SAMPLE

UNRESOLVABLE = "Zoughbek"  # gh and ou are not Uzbek: the rules cannot be sure of it (translit.DOUBTS)
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'  # a guideline's label override


def sample_with(tmp_path: Path, languages: str) -> Path:
    """A copy of the sample and its catalogs whose languages line starts with ``languages``."""
    shutil.copytree(SAMPLE, tmp_path / "guideline")
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    meta = tmp_path / "guideline" / "guideline.yaml"
    text, count = re.subn(r"^languages: \[", f"languages: [{languages}, ", meta.read_text(encoding="utf-8"), flags=re.M)
    assert count == 1
    meta.write_text(text, encoding="utf-8")
    return tmp_path / "guideline"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return sample_with(tmp_path, "uz-Cyrl")


def loaded(root: Path) -> Guideline:
    guideline, problems = load_guideline(root)
    assert guideline is not None and not has_errors(problems), problems
    return guideline


def build_html(root: Path, out: Path, langs: str = "uz-Cyrl") -> None:
    err = io.StringIO()
    argv = ["build", str(root), "--to", "html", "--lang", langs, "--out", str(out), "--jobs", "1"]
    assert main(argv, io.StringIO(), err) == 0, err.getvalue()


def html_of(out: Path, lang: str) -> str:
    return next(out.glob(f"*-{lang}.html")).read_text(encoding="utf-8")


def uz_string(root: Path, msgid: str) -> str:
    path = root.parent / "translations" / "uz" / "LC_MESSAGES" / "guideline.po"
    catalog, problems = catalogs.read_catalog(path, "uz.po", "uz")
    assert catalog is not None and not problems
    return str(next(m.string for m in catalog if m.id == msgid))


def t_problems(root: Path, code: str) -> list[Problem]:
    _, problems = check_guideline(root)
    return [p for p in problems if p.code == code]


def test_profile_is_derived_from_uz() -> None:
    language = profile("uz_Cyrl")
    assert language is not None and language.tag == "uz-Cyrl" and language.script == "Cyrl"
    assert language.derived is not None and (language.derived.source, language.derived.by) == ("uz", "uz-cyrl")
    assert language.derived.convert("Oʻzbekiston") == "Ўзбекистон"


def test_sample_with_uz_cyrl_checks_clean(sample: Path) -> None:
    _, problems = check_guideline(sample)
    assert not has_errors(problems), [p for p in problems if p.severity.value == "error"]
    assert [p for p in problems if p.code == "T113"] == []  # every word of the sample's uz catalog is settled
    assert "uz-Cyrl" not in catalogs.target_languages(loaded(sample))


def test_html_is_uzbek_cyrillic(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_html(sample, out, "uz,uz-Cyrl")
    latin, html = html_of(out, "uz"), html_of(out, "uz-Cyrl")
    guideline = loaded(sample)
    assert '<html lang="uz-Cyrl">' in html
    title = uz_string(sample, guideline.meta.title)
    assert to_cyrillic(title) in html and title not in html
    assert re.search("[ўғқҳ]", html)
    # citation numbers and their links, DOIs and Latin abbreviations are those of the uz edition
    citations = re.compile(r'<a [^>]*href="#ref-[^"]*"[^>]*>[^<]*</a>')
    assert citations.findall(html) == citations.findall(latin) != []
    doi = re.compile(r"10\.\d{4,9}/[^\s<\"]+")
    assert doi.findall(html) == doi.findall(latin) != []
    assert "MADRS" in html
    # dates from CLDR uz_Cyrl, in the profile's pattern; the grading words transliterated from the scheme's uz
    assert format_date(guideline.meta.date, "y 'йил' d MMMM", locale="uz_Cyrl") in html
    assert "йил" in format_date(guideline.meta.date, "y 'йил' d MMMM", locale="uz_Cyrl")
    strength = guideline.scheme.strength[0].label
    assert "uz-Cyrl" not in strength and to_cyrillic(strength["uz"]) in html


def test_untranslated_text_stays_as_written(sample: Path, tmp_path: Path) -> None:
    po = sample.parent / "translations" / "uz" / "LC_MESSAGES" / "guideline.po"
    guideline = loaded(sample)
    title = guideline.meta.title
    text = po.read_text(encoding="utf-8")
    text = re.sub(rf'(msgid "{re.escape(title)}"\nmsgstr )"[^"\n]*"', r'\1""', text, count=1)
    po.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build_html(sample, out)
    html = html_of(out, "uz-Cyrl")
    assert re.search(rf'<span class="untranslated" lang="en"[^>]*>{re.escape(title)}</span>', html)


def test_update_and_stats_keep_no_uz_cyrl_catalog(sample: Path) -> None:
    out = io.StringIO()
    assert main(["update", str(sample)], out, io.StringIO()) == 0
    assert "uz-Cyrl" not in out.getvalue()
    assert not (sample.parent / "translations" / "uz-Cyrl").exists()
    stats = io.StringIO()
    assert main(["stats", str(sample)], stats, io.StringIO()) == 0
    assert "uz-Cyrl" not in stats.getvalue() and "uz " in stats.getvalue()


def test_uz_cyrl_alone_reads_the_uz_catalog(tmp_path: Path) -> None:
    root = sample_with(tmp_path, "uz-Cyrl")
    meta = root / "guideline.yaml"
    text = re.sub(r"^languages: .*$", "languages: [uz-Cyrl, en]", meta.read_text(encoding="utf-8"), flags=re.M)
    meta.write_text(text, encoding="utf-8")
    guideline = loaded(root)
    assert catalogs.target_languages(guideline) == ["uz"]
    assert not has_errors(check_guideline(root)[1])
    out = tmp_path / "out"
    build_html(root, out)
    assert to_cyrillic(uz_string(root, guideline.meta.title)) in html_of(out, "uz-Cyrl")
    # without the uz catalog there is nothing to transliterate: T111 where uz-Cyrl is listed
    shutil.rmtree(root.parent / "translations" / "uz")
    [problem] = t_problems(root, "T111")
    assert meta.read_text(encoding="utf-8").splitlines()[problem.position.line - 1].startswith("languages:")
    assert "'uz'" in problem.message and "uz-Cyrl" in problem.message


def test_labels_are_transliterated_and_the_hand_written_override_wins(sample: Path) -> None:
    uz, cyrl = label_translations("uz"), label_translations("uz-Cyrl")
    assert cyrl.gettext("References") == to_cyrillic(uz.gettext("References")) == "Адабиётлар"
    # the package's corrections (locale/uz_Cyrl) replace what the rules get wrong
    assert package_po("uz_Cyrl").is_file()
    assert to_cyrillic(uz.gettext("Name")) != "Ф.И.Ш." and cyrl.gettext("Name") == "Ф.И.Ш."
    assert cyrl.gettext("DRAFT") == "ЛОЙИҲА"
    assert cyrl.gettext("%(count)s fewer") == "%(count)s та кам"  # placeholders kept
    shown = "shown in the source language and highlighted."
    one = f"This draft contains %(count)s passage not yet translated; it is {shown}"
    many = f"This draft contains %(count)s passages not yet translated; they are {shown}"
    assert cyrl.ngettext(one, many, 3) == to_cyrillic(uz.ngettext(one, many, 3)) != uz.ngettext(one, many, 3)
    # a guideline's uz override is transliterated too
    override = sample.parent / "translations" / "uz" / "LC_MESSAGES" / "guidegen.po"
    override.write_text(HEADER + 'msgid "References"\nmsgstr "Foydalanilgan adabiyotlar"\n', encoding="utf-8")
    assert label_translations("uz-Cyrl", loaded(sample)).gettext("References") == "Фойдаланилган адабиётлар"


def test_t113_names_an_unresolvable_word_where_it_stands(sample: Path, tmp_path: Path) -> None:
    assert unresolved(UNRESOLVABLE)
    po = sample.parent / "translations" / "uz" / "LC_MESSAGES" / "guideline.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and line != 'msgstr ""')
    lines[n] = lines[n][:-1] + f' {UNRESOLVABLE}"'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = t_problems(sample, "T113")
    assert problem.severity.value == "warning"
    assert (Path(problem.position.file).resolve(), problem.position.line) == (po.resolve(), n + 1)
    assert lines[n][problem.position.column - 1 :].startswith(UNRESOLVABLE)
    assert f"'{UNRESOLVABLE}'" in problem.message and "uz-Cyrl" in problem.message
    # not a concern of a guideline that does not publish uz-Cyrl
    meta = sample / "guideline.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("languages: [uz-Cyrl, ", "languages: ["), encoding="utf-8")
    assert t_problems(sample, "T113") == []


def test_fingerprint_follows_the_uz_catalog(sample: Path) -> None:
    guideline = loaded(sample)
    before = fingerprint(guideline, "uz-Cyrl", registry()["html"])
    po = sample.parent / "translations" / "uz" / "LC_MESSAGES" / "guideline.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert fingerprint(guideline, "uz-Cyrl", registry()["html"]) != before
    override = sample.parent / "translations" / "uz" / "LC_MESSAGES" / "guidegen.po"
    middle = fingerprint(guideline, "uz-Cyrl", registry()["html"])
    override.write_text(HEADER, encoding="utf-8")
    assert fingerprint(guideline, "uz-Cyrl", registry()["html"]) != middle
