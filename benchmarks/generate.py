"""A synthetic guideline of N recommendations, with evidence profiles, references and catalogs.

    python benchmarks/generate.py N OUT [--etd]   writes OUT/guideline/ and OUT/translations/

The text is filler, deterministic for a given N, shaped like the sample: ten
blocks per chapter, a profile per two graded recommendations, citations in
every rationale, ru and uz catalogs filled in so all three languages render.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "patients treatment response remission dose weekly clinic monitoring blood pressure dissociation "
    "evidence trial placebo outcome certainty adverse events committee services registry follow-up "
    "induction maintenance relapse benefit harm cost access adults depression episode antidepressant"
).split()


def sentence(rng: random.Random, n: int = 14, cite: str = "") -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    number = f" {rng.randint(2, 90)}.{rng.randint(0, 9)} mg/kg over {rng.randint(10, 60)} minutes"
    return " ".join(words) + number + (f" [@{cite}]" if cite else "") + "."


def paragraph(rng: random.Random, sentences: int, refs: list[str]) -> str:
    return " ".join(sentence(rng, cite=rng.choice(refs) if refs and i == 0 else "") for i in range(sentences))


def block(text: str, indent: int = 6) -> str:
    pad = " " * indent
    return "|\n" + "\n\n".join(pad + p for p in text.split("\n\n")) + "\n"


JUDGEMENTS = {
    "problem": "yes",
    "desirable": "moderate",
    "undesirable": "small",
    "certainty": "low",
    "values": "probably-no-important-uncertainty",
    "balance": "probably-favors-intervention",
    "resources": "dont-know",
    "resources-certainty": "no-included-studies",
    "cost-effectiveness": "no-included-studies",
    "equity": "dont-know",
    "acceptability": "probably-yes",
    "feasibility": "probably-yes",
}


def etd(rng: random.Random, refs: list[str]) -> list[str]:
    """A whole GRADE Evidence-to-Decision framework: every criterion judged, with evidence and considerations."""
    lines = ["    etd:"]
    for criterion, judgement in JUDGEMENTS.items():
        lines += [f"      {criterion}:", f"        judgement: {judgement}"]
        lines += ["        evidence: " + block(paragraph(rng, 2, refs), 10).rstrip()]
        lines += ["        considerations: " + block(paragraph(rng, 1, []), 10).rstrip()]
    return lines


def generate(n: int, out: Path, with_etd: bool = False, ident: str | None = None, seed: int | None = None) -> Path:
    """``with_etd``: every graded recommendation gets a whole EtD, members declare, the guideline names its funding."""
    rng = random.Random(n if seed is None else seed)
    root = out / "guideline"
    (root / "sections").mkdir(parents=True, exist_ok=True)
    (root / "evidence").mkdir(exist_ok=True)
    n_refs = max(10, n // 2)
    refs = [f"ref{i:04d}" for i in range(n_refs)]
    with (root / "references.yaml").open("w") as f:
        f.write("references:\n")
        for i, ref in enumerate(refs):
            f.write(
                f"  - id: {ref}\n    type: article-journal\n    author:\n"
                f"      - {{family: Author{i}, given: A. B.}}\n      - literal: et al.\n"
                f"    title: {sentence(rng, 10).rstrip('.')}\n    container-title: Journal of Synthetic Evidence\n"
                f'    issued: {{date-parts: [[{2000 + i % 25}]]}}\n    volume: "{i % 90 + 1}"\n'
                f"    page: {i}-{i + 9}\n    DOI: 10.5555/bench.{i}\n"
            )
    chapters = max(1, n // 10)
    profiles = []
    contents = []
    used_refs: set[str] = set()
    rec_no = 0
    for c in range(chapters):
        name = f"sections/{c + 1:03d}-chapter.yaml"
        contents.append(name)
        intro = block(paragraph(rng, 4, refs) + "\n\n" + paragraph(rng, 3, refs), 2).rstrip()
        lines = [
            f"id: chapter-{c + 1}",
            f"title: Chapter {c + 1} on {rng.choice(WORDS)}",
            "text: " + intro,
            "recommendations:",
        ]
        for k in range(10):
            if rec_no >= n:
                break
            rec_no += 1
            rid = f"rec-{rec_no:04d}"
            kind = "good-practice" if k % 5 == 4 else "research" if k == 9 else "recommendation"
            lines += [f"  - id: {rid}", f"    type: {kind}", "    text: " + block(sentence(rng, 24)).rstrip()]
            if kind == "recommendation":
                if rec_no % 2 == 1:
                    profiles.append(f"ev-{rec_no:04d}")
                lines += [
                    "    direction: for",
                    "    strength: conditional",
                    "    certainty: low",
                    f"    evidence: [{profiles[-1]}]",
                ]
            lines += ["    rationale: " + block(paragraph(rng, 4, refs) + "\n\n" + paragraph(rng, 3, refs)).rstrip()]
            lines += ["    remarks:", f"      - {sentence(rng, 12)}", f"      - {sentence(rng, 10)}"]
            lines += ["    implementation: " + block(paragraph(rng, 3, refs)).rstrip()]
            if with_etd and kind == "recommendation":
                lines += etd(rng, refs)
        (root / name).write_text("\n".join(lines) + "\n")
    for pid in profiles:
        studies = rng.sample(refs, 3)
        used_refs |= set(studies)
        outcomes = []
        for o in range(4):
            low = rng.randint(10, 50) / 10
            outcomes.append(
                f"  - name: Outcome {o + 1}, {rng.choice(WORDS)} at week {rng.randint(1, 52)}\n"
                f"    importance: {'critical' if o < 2 else 'important'}\n"
                f"    studies: {rng.randint(1, 9)}\n    participants: {rng.randint(50, 4000)}\n"
                f"    effect: {{measure: RR, value: {low + 0.5:.2f}, ci: [{low:.2f}, {low + 1:.2f}]}}\n"
                "    certainty: low\n"
                f"    downgrade: [risk-of-bias, imprecision]\n    notes: {sentence(rng, 16)}\n"
            )
        (root / "evidence" / f"{pid}.yaml").write_text(
            f"id: {pid}\nquestion: Should {rng.choice(WORDS)} be used for {rng.choice(WORDS)}?\n"
            "population: Adults with TRD\n"
            f"intervention: Intervention {pid}\ncomparison: Placebo\nstudies: [{', '.join(studies)}]\noutcomes:\n"
            + "".join(outcomes)
            + "certainty: low\n"
        )
    abbreviations = "\n".join(f"  - {{term: AB{i}, meaning: abbreviation number {i}}}" for i in range(20))
    chair = 'committee:\n  - {name: "[Name]", role: chair, affiliation: "[Institution]"'
    (root / "guideline.yaml").write_text(
        f"id: {ident or f'bench-{n}'}\ntitle: Synthetic guideline with {n} recommendations\n"
        "subtitle: Benchmark\nversion: 1.0.0\nstatus: draft\n"
        f"date: 2026-11-27\nissuer: Benchmark issuer\nsource_language: en\nlanguages: [uz, ru, en]\ngrading: grade\n"
        + (
            chair + ", interests: [{type: none}]}\nfunding: Benchmark funder.\n"
            if with_etd
            else chair + ", interests: None declared}\n"
        )
        + f"scope: |\n  {paragraph(rng, 5, refs)}\nabbreviations:\n{abbreviations}\n"
        "evidence: evidence\nreferences: references.yaml\ncontents:\n" + "".join(f"  - {c}\n" for c in contents)
    )
    fill_catalogs(root)
    return root


def fill_catalogs(root: Path) -> None:
    """ru and uz catalogs whose every message is 'translated' (numbers kept, decimal comma)."""
    import re

    from guidegen.atomic import write_atomic
    from guidegen.i18n import catalogs
    from guidegen.load import load_guideline

    guideline, problems = load_guideline(root)
    assert guideline is not None, problems
    pot = catalogs.template(guideline)
    write_atomic(catalogs.catalog_dir(guideline) / catalogs.TEMPLATE, catalogs.dumps(pot, template=True))
    for lang, prefix in (("ru", "Перевод: "), ("uz", "Tarjima: ")):
        cat = catalogs.new_catalog(pot, lang)
        for message in cat:
            if message.id:
                message.string = prefix + re.sub(r"(\d)\.(\d)", r"\1,\2", str(message.id))
        write_atomic(catalogs.po_path(guideline, lang), catalogs.dumps(cat))


def generate_library(guidelines: int, n: int, out: Path, with_etd: bool = True) -> Path:
    """A library of ``guidelines`` synthetic guidelines of ``n`` recommendations each, with their own catalogs."""
    for i in range(1, guidelines + 1):
        generate(n, out / "guidelines" / f"g{i:03d}", with_etd=with_etd, ident=f"g{i:03d}", seed=i)
    (out / "library.yaml").write_text(
        f"id: bench-library\ntitle: Synthetic library of {guidelines} guidelines\n"
        "guidelines: [guidelines/*/guideline]\nlanguages: [uz, ru, en]\n"
    )
    return out


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2]), with_etd="--etd" in sys.argv[3:]))
