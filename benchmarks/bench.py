"""`make bench`: guidegen against its floor (WeasyPrint's own CLI) and a peer route (pandoc + WeasyPrint).

Every figure is a separate process, timed with its peak RSS (os.wait4), all in
one run on the same machine, so ratios are side by side. Sizes are synthetic
guidelines (benchmarks/generate.py) of N recommendations.

    python benchmarks/bench.py [--sizes 100,400,1000] [--out benchmarks/out]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

from guidegen.load import load_guideline  # noqa: E402
from guidegen.model import Recommendation  # noqa: E402
from guidegen.render.citations import style_path  # noqa: E402
from guidegen.render.pandoc import pandoc_path  # noqa: E402
from guidegen.render.theme import theme_dir  # noqa: E402

BIN = Path(sys.executable).parent
GUIDEGEN = str(BIN / "guidegen")
CSS = theme_dir() / "print.css"


# Runs one command and prints its wall seconds and peak RSS. It is a separate, small
# process because Linux counts the RSS a process had before exec() in its peak: a
# command started straight from this process (which grows to hundreds of MB reading
# PDFs) reported this process's size, not its own (771 MB for a run that peaks at 645).
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status))
"""


def measure(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    proc = subprocess.run(
        [sys.executable, "-S", "-c", _MEASURE, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    try:
        seconds, rss, code = proc.stdout.split()
    except ValueError:
        raise RuntimeError(f"{' '.join(cmd)}: no measurement:\n{proc.stderr[-2000:]}") from None
    if int(code) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return float(seconds), float(rss)


# What a user scripting pandoc adds for the page furniture guidegen's documents have
# (docs/format.md): running heads, "Page n of m", a table of contents with page numbers,
# chapters on new pages, the draft watermark.  The rest of the look is guidegen's own
# print.css, on the same classes, so both routes lay out the same document.
ROUTE_CSS = """
@page { @top-left { content: "%(title)s"; } @top-right { content: string(chapter); }
        @bottom-center { content: "Page " counter(page) " of " counter(pages); } }
@page :first { @top-left { content: none; } @top-right { content: none; } @bottom-center { content: none; } }
#title-block-header, #TOC { break-after: page; text-align: center; }
#TOC { text-align: left; }
#TOC ul { list-style: none; padding: 0; }
#TOC a { color: #111; }
#TOC a::after { content: leader('.') target-counter(attr(href), page); }
h1 { break-before: page; string-set: chapter content(text); font-size: 15pt; }
dl { display: grid; grid-template-columns: 28mm 1fr; gap: 1mm 4mm; }
"""

TYPES = {
    "recommendation": "Recommendation",
    "good-practice": "Good practice statement",
    "research": "Research recommendation",
}
DOWNGRADES = {
    "risk-of-bias": "risk of bias",
    "inconsistency": "inconsistency",
    "indirectness": "indirectness",
    "imprecision": "imprecision",
    "publication-bias": "publication bias",
}


def rule(*widths: int) -> str:
    """A pipe table's header rule: pandoc takes the columns' relative widths from its dashes (guidegen's <colgroup>
    widths)."""
    return "|" + "|".join("-" * w for w in widths) + "|"


def to_markdown(root: Path, out: Path) -> tuple[Path, Path, Path]:
    """The same content as Markdown, with the CSS and watermark a user scripting pandoc would add.

    Every text of guidegen's English document is here (cover, committee, scope,
    abbreviations, summary, boxes with their grades and evidence links, evidence
    profiles with downgrading, methodology, references), in fenced divs and spans
    with guidegen's class names.  Left out: guidegen's back-links from references to
    their first citation, which citeproc does not make.
    """
    g, _ = load_guideline(root)
    assert g is not None
    levels = {lv.id: lv for lv in (*g.scheme.strength, *g.scheme.direction, *g.scheme.certainty)}

    def certainty(ident: str | None) -> str:
        return f"{levels[ident].label['en']} {levels[ident].symbol}".strip() if ident in levels else ""

    def strength(rec: Recommendation) -> str:
        words = [levels[x].label["en"] for x in (rec.strength, rec.direction) if x in levels]
        return ", ".join(words[:1] + [w.lower() for w in words[1:]])

    profiles = {p.id: f"A.{i}" for i, p in enumerate(g.profiles, 1)}
    m = g.meta
    lines = [
        f'---\ntitle: "{m.title}"\nsubtitle: "{m.subtitle}"\nauthor: "{m.issuer}"\n'
        f'date: "{m.date:%B %-d, %Y}"\nlang: en\n---\n'
    ]
    lines.append(
        f"| | |\n|---|---|\n| Version | {m.version} |\n| Status | {m.status.capitalize()} |\n"
        f"| Grading system | {g.scheme.name['en']} |\n"
    )
    lines.append(
        "Approved by order of the issuing authority\\\nNo. \\_\\_\\_\\_ of \\_\\_\\_\\_\\\nSignature \\_\\_\\_\\_\n"
    )
    lines.append(
        "# Guideline development committee\n\n| Name | Role | Affiliation | Declared interests |\n|---|---|---|---|"
    )
    lines += [f"| {c.name} | {c.role.capitalize()} | {c.affiliation} | {c.interests} |" for c in m.committee]
    lines.append("\n# Abbreviations\n\n" + "".join(f"{a.term}\n: {a.meaning}\n\n" for a in m.abbreviations))
    lines.append("# Scope and purpose\n\n" + m.scope)
    lines.append(
        "# Summary of recommendations\n\n"
        f"| No. | Recommendation | Strength of recommendation | Certainty of evidence |\n{rule(8, 60, 16, 16)}"
    )
    for number, rec in g.recommendations():
        grades = (
            f"{strength(rec)} | {certainty(rec.certainty)}"
            if rec.type == "recommendation"
            else f"*{TYPES[rec.type]}* |"
        )
        lines.append(f"| [{number}](#rec-{rec.id}) | {' '.join(rec.text.split())} | {grades} |")
    lines.append("")
    for number, section in g.walk():
        lines.append(f"{'#' * (number.count('.') + 1)} {number} {section.title}\n\n{section.text}\n")
        for i, rec in enumerate(section.recommendations, 1):
            kind = rec.type if rec.type != "recommendation" else rec.strength
            box = [
                f"::: {{#rec-{rec.id} .rec .rec-{rec.type} .rec-{kind}}}",
                f"[{TYPES[rec.type]} {number}.{i}]{{.rec-heading}}\n",
                f"::: rec-text\n{rec.text.strip()}\n:::\n",
            ]
            if rec.type == "recommendation":
                box.append(
                    f"[Strength of recommendation: {strength(rec)}]{{.badge .strength-{rec.strength}}} "
                    f"[Certainty of evidence: {certainty(rec.certainty)}]{{.badge .certainty}}\n"
                )
            if rec.evidence:
                box.append(
                    "Evidence: "
                    + ", ".join(f"[Evidence profile {profiles[e]}](#ev-{e})" for e in rec.evidence if e in profiles)
                    + "\n"
                )
            remarks = "".join(f"- {r}\n" for r in rec.remarks)
            for title, body in (
                ("Rationale", rec.rationale),
                ("Remarks", remarks),
                ("Implementation", rec.implementation),
            ):
                if body:
                    box.append(f"[{title}]{{.rec-part}}\n\n{body}\n")
            lines.append("\n".join(box) + ":::\n")
    lines.append("# Annex A. Evidence profiles\n")
    for p in g.profiles:
        pico = (
            ("Population", p.population),
            ("Intervention", p.intervention),
            ("Comparison", p.comparison),
            ("Studies", "; ".join(f"[@{s}]" for s in p.studies)),
            ("Certainty of evidence", certainty(p.certainty)),
        )
        lines.append(
            f"## {profiles[p.id]} {p.question} {{#ev-{p.id}}}\n\n| | |\n{rule(25, 75)}\n"
            + "".join(f"| {k} | {v} |\n" for k, v in pico)
        )
        head = "| Outcome | Importance | Studies (participants) | Effect (95% CI) | Certainty of evidence | Comments |"
        lines.append(f"Table: Summary of findings\n\n{head}\n{rule(20, 11, 11, 16, 14, 28)}")
        for o in p.outcomes:
            e = o.effect
            effect = f"{e.measure} {e.value:.2f} ({e.ci[0]:.2f} to {e.ci[1]:.2f})" if e and e.ci else "—"
            downgrade = (
                f"<br>[Downgraded for: {', '.join(DOWNGRADES[d] for d in o.downgrade)}]{{.downgrade}}"
                if o.downgrade
                else ""
            )
            lines.append(
                f"| {o.name} | {o.importance.capitalize()} | {o.studies} ({o.participants:,}) | {effect} "
                f"| {certainty(o.certainty)}{downgrade} | {o.notes} |"
            )
        lines.append("")
    lines.append("# Annex B. Methodology\n\n" + g.scheme.methodology["en"])
    scale = (*g.scheme.strength, *g.scheme.certainty)
    lines.append(
        f"| Grade | Meaning |\n{rule(22, 78)}\n"
        + "".join(f"| {lv.label['en']} {lv.symbol} | {lv.description['en']} |\n" for lv in scale)
    )
    lines.append("# References\n\n::: {#refs .references}\n:::\n")
    md = out / "guideline.md"
    md.write_text("\n".join(lines))
    (out / "references.json").write_text(json.dumps([r.data for r in g.references]))
    css = out / "route.css"
    css.write_text(ROUTE_CSS % {"title": m.title})
    watermark = out / "watermark.html"
    watermark.write_text('<div class="watermark" aria-hidden="true">DRAFT</div>\n')
    return md, css, watermark


def pdf_and_floor(n: int, base: Path) -> tuple[Path, dict[str, float]]:
    """A fresh synthetic guideline of N recommendations; one PDF by guidegen, and WeasyPrint's CLI on guidegen's
    HTML."""
    if base.exists():
        shutil.rmtree(base)
    root = generate(n, base)
    out = base / "out"
    r: dict[str, float] = {"n": n}
    r["pdf_s"], r["pdf_rss"] = measure(
        [GUIDEGEN, "build", str(root), "--to", "pdf", "--lang", "en", "--out", str(out), "--jobs", "1", "--force"]
    )
    from pypdf import PdfReader

    r["pages"] = len(PdfReader(out / f"bench-{n}-1.0.0-en.pdf").pages)
    measure([GUIDEGEN, "build", str(root), "--to", "html", "--lang", "en", "--out", str(out), "--jobs", "1", "--force"])
    html = out / f"bench-{n}-1.0.0-en.html"
    r["floor_s"], r["floor_rss"] = measure(
        [str(BIN / "weasyprint"), str(html), str(base / "floor.pdf"), "-s", str(CSS), "--pdf-variant", "pdf/ua-1"]
    )
    return root, r


def check_seconds(root: Path, section: Path, cache: Path) -> dict[str, float]:
    """``check`` three ways: with nothing kept from an earlier run (a fresh cache folder), again (median of 3: what
    the last run kept is read back), and after one section file changed (only it is read again)."""
    if cache.exists():
        shutil.rmtree(cache)
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    check = [GUIDEGEN, "check", str(root)]
    first, _ = measure(check, env=env)
    again = statistics.median(measure(check, env=env)[0] for _ in range(3))
    section.write_text(section.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    edited, _ = measure(check, env=env)
    return {"first": first, "again": again, "edited": edited}


def row(n: int, work: Path) -> dict[str, float]:
    base = work / f"n{n}"
    root, r = pdf_and_floor(n, base)
    r["check_s"] = check_seconds(root, root / "sections" / "001-chapter.yaml", base / "cache")["again"]
    # the same guideline with a whole EtD on every graded recommendation (issue 13): 12 criteria, evidence and
    # considerations
    etd_root = generate(n, base / "etd", with_etd=True)
    etd = check_seconds(etd_root, etd_root / "sections" / "001-chapter.yaml", base / "cache-etd")
    r["check_etd_first_s"], r["check_etd_s"], r["check_etd_edited_s"] = etd["first"], etd["again"], etd["edited"]
    md, route_css, watermark = to_markdown(root, base)
    env = {**os.environ, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}
    pandoc = [
        str(pandoc_path()),
        str(md),
        "-s",
        "--toc",
        "--toc-depth=1",
        "--citeproc",
        "--csl",
        str(style_path()),
        "--bibliography",
        str(base / "references.json"),
        "--css",
        str(CSS),
        "--css",
        str(route_css),
        "--include-before-body",
        str(watermark),
        "--pdf-engine=weasyprint",
    ]
    r["pandoc_s"], r["pandoc_rss"] = measure([*pandoc, "-o", str(base / "pandoc.pdf")], cwd=base, env=env)
    # The same route asked for what guidegen always makes: a tagged PDF (PDF/UA-1)
    r["pandoc_ua_s"], _ = measure(
        [*pandoc, "--pdf-engine-opt=--pdf-variant=pdf/ua-1", "-o", str(base / "pandoc-ua.pdf")], cwd=base, env=env
    )
    r["docx_s"], _ = measure(
        [
            GUIDEGEN,
            "build",
            str(root),
            "--to",
            "docx",
            "--lang",
            "en",
            "--out",
            str(base / "out"),
            "--jobs",
            "1",
            "--force",
        ]
    )
    full = base / "full"
    r["full_cold_s"], r["full_rss"] = measure([GUIDEGEN, "build", str(root), "--to", "pdf,docx", "--out", str(full)])
    r["full_noop_s"], _ = measure([GUIDEGEN, "build", str(root), "--to", "pdf,docx", "--out", str(full)])
    r["overhead"] = r["pdf_s"] / r["floor_s"]
    r["vs_pandoc"] = r["pdf_s"] / r["pandoc_s"]
    r["vs_pandoc_ua"] = r["pdf_s"] / r["pandoc_ua_s"]
    return r


def site_seconds(n: int, work: Path) -> float:
    """The web edition of one language at N recommendations (issue 14's target: 2 s at N = 1000)."""
    root = generate(n, work / f"site{n}")
    return measure(
        [
            GUIDEGEN,
            "build",
            str(root),
            "--to",
            "site",
            "--lang",
            "en",
            "--out",
            str(work / f"site{n}" / "out"),
            "--jobs",
            "1",
            "--force",
        ]
    )[0]


def preview_seconds(work: Path, saves: int = 7) -> list[float]:
    """From saving a YAML file of the sample to the preview's page fetched again, re-rendered (target: 0.5 s)."""
    import urllib.request

    copy = work / "preview"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(HERE.parent / "guideline", copy / "guideline")
    shutil.copytree(HERE.parent / "translations", copy / "translations")
    proc = subprocess.Popen(
        [GUIDEGEN, "serve", str(copy / "guideline"), "--lang", "uz", "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().split()[1]
        origin = url.rsplit("/", 2)[0]

        def version() -> int:
            with urllib.request.urlopen(origin + "/__version") as r:
                return int(json.loads(r.read())["version"])

        time.sleep(2)  # the watcher starts after the first render
        section = copy / "guideline" / "sections" / "01-introduction.yaml"
        times = []
        for i in range(saves):
            seen = version()
            text = section.read_text(encoding="utf-8")
            start = time.perf_counter()
            section.write_text(
                text.replace("title: ", f"title: ({i}) ", 1)
                if i % 2 == 0
                else text.replace(f"title: ({i - 1}) ", "title: ", 1),
                encoding="utf-8",
            )
            while version() == seen:
                time.sleep(0.005)
            with urllib.request.urlopen(url) as r:
                r.read()
            times.append(time.perf_counter() - start)
            time.sleep(0.3)
        return times
    finally:
        proc.terminate()
        proc.wait(10)


def library_rows(work: Path, guidelines: int = 50, n: int = 20, cold_builds: bool = True) -> dict[str, float]:
    """A synthetic library (issue 16): cold builds serially, on local processes and on a 2-worker Dask cluster;
    the no-op build; one edited guideline; check of the whole library."""
    from generate import generate_library

    root = work / "library"
    if root.exists():
        shutil.rmtree(root)
    generate_library(guidelines, n, root)
    r: dict[str, float] = {"guidelines": guidelines, "n": n}
    build = [GUIDEGEN, "build", str(root), "--to", "pdf,docx", "--force"]
    if cold_builds:
        r["serial_s"], _ = measure([*build, "--out", str(root / "serial"), "--jobs", "1"])
        r["local_s"], _ = measure([*build, "--out", str(root / "local"), "--jobs", "2"])
        r["dask_s"], _ = measure([*build, "--out", str(root / "dask"), "--jobs", "2", "--scheduler", "dask"])
    else:  # the outputs the no-op build and the edit need, untimed
        subprocess.run([*build, "--out", str(root / "local"), "--jobs", "2"], capture_output=True, check=True)
    r["noop_s"], _ = measure([GUIDEGEN, "build", str(root), "--to", "pdf,docx", "--out", str(root / "local")])
    section = root / "guidelines" / "g007" / "guideline" / "sections" / "001-chapter.yaml"
    section.write_text(section.read_text().replace("title: Chapter 1", "title: Chapter one", 1))
    out = subprocess.run(
        [GUIDEGEN, "build", str(root), "--to", "pdf,docx", "--out", str(root / "local")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    r["rebuilt_after_edit"] = float(out.split("building ", 1)[1].split(" of", 1)[0])
    other = root / "guidelines" / "g023" / "guideline" / "sections" / "001-chapter.yaml"
    checks = check_seconds(root, other, work / "cache-library")
    r["check_first_s"], r["check_s"], r["check_edited_s"] = checks["first"], checks["again"], checks["edited"]
    return r


def memory_row(n: int, work: Path) -> dict[str, float]:
    """Peak RSS of one PDF of about 400 pages (the target's size), guidegen against WeasyPrint's CLI on its HTML."""
    return pdf_and_floor(n, work / f"mem{n}")[1]


COLUMNS = [
    ("n", "N", "{:.0f}"),
    ("pages", "pages", "{:.0f}"),
    ("check_s", "check s", "{:.2f}"),
    ("check_etd_s", "check with EtDs s", "{:.2f}"),
    ("check_etd_edited_s", "… after one edit s", "{:.2f}"),
    ("check_etd_first_s", "… nothing kept s", "{:.2f}"),
    ("pdf_s", "PDF s", "{:.1f}"),
    ("pdf_rss", "PDF MB", "{:.0f}"),
    ("floor_s", "WeasyPrint CLI s", "{:.1f}"),
    ("floor_rss", "CLI MB", "{:.0f}"),
    ("overhead", "× floor", "{:.2f}"),
    ("pandoc_s", "pandoc route s", "{:.1f}"),
    ("vs_pandoc", "× pandoc", "{:.2f}"),
    ("pandoc_ua_s", "pandoc route, PDF/UA s", "{:.1f}"),
    ("vs_pandoc_ua", "× pandoc PDF/UA", "{:.2f}"),
    ("docx_s", "DOCX s", "{:.1f}"),
    ("full_cold_s", "3×2 cold s", "{:.1f}"),
    ("full_noop_s", "3×2 no-op s", "{:.2f}"),
]


def table(rows: list[dict[str, float]]) -> str:
    head = "| " + " | ".join(title for _, title, _ in COLUMNS) + " |"
    rule = "|" + "|".join("---:" for _ in COLUMNS) + "|"
    body = ["| " + " | ".join(fmt.format(r[key]) for key, _, fmt in COLUMNS) + " |" for r in rows]
    return "\n".join([head, rule, *body])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,400,1000")
    parser.add_argument("--out", default=str(HERE / "out"))
    parser.add_argument(
        "--memory-n", type=int, default=300, help="recommendations for the ~400-page memory row (0: skip)"
    )
    parser.add_argument(
        "--library",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the 50-guideline library rows (issue 16)",
    )
    parser.add_argument(
        "--library-builds",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the library's three cold builds (an hour on 2 vCPUs); without them, one cold build with local processes",
    )
    args = parser.parse_args()
    work = Path(args.out)
    work.mkdir(parents=True, exist_ok=True)
    # Measured as installed: pip writes guidegen's bytecode, and so does Python on a first run; a shell that
    # forbids it (PYTHONDONTWRITEBYTECODE) recompiles 60 modules on every command, 0.05 s.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    # What check keeps between runs goes to the benchmark's own folder, never the user's cache.
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        rows.append(row(n, work))
        print(f"N={n} done", file=sys.stderr, flush=True)
    memory = memory_row(args.memory_n, work) if args.memory_n else None
    site = site_seconds(1000, work)
    preview = preview_seconds(work)
    library = library_rows(work, cold_builds=args.library_builds) if args.library else None
    machine = f"{platform.platform()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"
    print(f"{time.strftime('%Y-%m-%d')} · {machine}")
    print(table(rows))
    if memory:
        print(
            f"\nMemory at about 400 pages: N = {memory['n']:.0f}, {memory['pages']:.0f} pages: "
            f"guidegen {memory['pdf_rss']:.0f} MB ({memory['pdf_s']:.1f} s), "
            f"WeasyPrint CLI on its HTML {memory['floor_rss']:.0f} MB ({memory['floor_s']:.1f} s)"
        )
    print(f"\nWeb edition, one language, N = 1000: {site:.2f} s (target 2 s)")
    print(
        f"Live preview, save to re-rendered page (sample, uz), {len(preview)} saves: "
        f"median {statistics.median(preview):.2f} s, max {max(preview):.2f} s (target 0.5 s)"
    )
    if library:
        lib = library
        print(f"\nLibrary of {lib['guidelines']:.0f} guidelines x {lib['n']:.0f} recommendations x 3 languages:")
        if "serial_s" in lib:
            print(
                f"x 2 formats, cold: serial {lib['serial_s']:.1f} s, "
                f"local processes {lib['local_s']:.1f} s ({lib['serial_s'] / lib['local_s']:.2f}x), "
                f"2-worker Dask {lib['dask_s']:.1f} s ({lib['serial_s'] / lib['dask_s']:.2f}x)"
            )
        print(
            f"no-op {lib['noop_s']:.2f} s (target 1 s); after editing one guideline "
            f"{lib['rebuilt_after_edit']:.0f} outputs rebuilt (target 6); check of the library {lib['check_s']:.2f} s "
            f"(target 2 s), after one edit {lib['check_edited_s']:.2f} s, nothing kept {lib['check_first_s']:.2f} s"
        )
    results = {"rows": rows, "memory": memory, "site_1000_s": site, "preview_s": preview, "library": library}
    (work / "results.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
