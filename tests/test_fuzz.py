"""No traceback, ever: property-based fuzzing of every reader of untrusted text.

2,000 examples per target by default (CI); `pytest --slow` runs 20,000.
Each target must turn any input into problems or output, never an exception.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from guidegen.checks import check_guideline
from guidegen.i18n.catalogs import read_catalog
from guidegen.load import path_problem
from guidegen.model import ID_PATTERN, LANG_PATTERN, SLUG_PATTERN, VERSION_PATTERN
from guidegen.render.markdown import dropped_lines, render
from guidegen.yamlsrc import is_invisible, parse, printable, read_text

from .conftest import CASES
from .test_security import parse_tags

EXAMPLES = int(os.environ.get("GUIDEGEN_FUZZ_EXAMPLES", "2000"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

YAML_PIECES = st.sampled_from(
    [
        "id",
        "title",
        "text",
        "recommendations",
        "subsections",
        ":",
        ": ",
        "- ",
        "  ",
        "\n",
        "\t",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "!!str ",
        "'",
        '"',
        "|",
        ">",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "---\n",
        "...\n",
        "010",
        "no",
        "~",
        "null",
        "1.5",
        "-7.20",
        "é",
        "ʻ",
        "\x00",
        "\ufeff",
        "\r\n",
        "? ",
        "%YAML 1.1\n",
        "<<: ",
        "@",
        "[@x]",
        "type: good-practice",
        "strength: strong",
        "\u2028",
    ]
)
yaml_like = st.lists(YAML_PIECES, max_size=60).map("".join)


@FUZZ
@given(st.one_of(st.text(max_size=300), yaml_like))
def test_yaml_parser_never_raises(text: str) -> None:
    _node, problems = parse(text, "f.yaml")
    assert all(p.code.startswith("S") and p.position.line >= 0 for p in problems)


@FUZZ
@given(st.binary(max_size=400))
def test_file_reader_never_raises(data: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".yaml") as f:
        f.write(data)
        f.flush()
        text, problems = read_text(Path(f.name), "f.yaml")
        assert (text is None) == bool(problems)
        if text is not None:
            parse(text, "f.yaml")


PO_PIECES = st.sampled_from(
    [
        'msgid ""\nmsgstr ""\n',
        'msgid "a"\n',
        'msgstr "b"\n',
        'msgctxt "c:d"\n',
        '"Content-Type: text/plain; charset=UTF-8\\n"\n',
        '"Plural-Forms: nplurals=3; plural=(n!=1);\\n"\n',
        '"Plural-Forms: nplurals=x\\n"\n',
        "#, fuzzy\n",
        '#| msgid "old"\n',
        '#~ msgid "o"\n',
        '#~ msgstr "p"\n',
        "# comment\n",
        "#. auto\n",
        "#: f.yaml:3\n",
        'msgid_plural "as"\n',
        'msgstr[0] "x"\n',
        'msgstr[7] "y"\n',
        '"unterminated\n',
        "\n",
        '"\\"escaped\\n"\n',
        "msgid\n",
        "\x00",
        "ʻ",
        'msgstr "Привет"\n',
    ]
)
po_like = st.lists(PO_PIECES, max_size=40).map("".join)


@FUZZ
@given(st.one_of(po_like, st.text(max_size=200)))
def test_catalog_reader_never_raises(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "guideline.po"
        path.write_bytes(text.encode("utf-8", "replace"))
        catalog, problems = read_catalog(path, "guideline.po", "ru")
        assert catalog is not None or all(p.code == "T110" and p.position.line >= 1 for p in problems)


SAFE_TAGS = {"p", "em", "strong", "a", "ul", "ol", "li", "blockquote", "code", "pre", "br", "hr"}
SAFE_TAGS |= {"h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}  # tables: issue 17
MD_PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "![a](http://127.0.0.1/x)",
        "![a](file:///etc/passwd)",
        "[l](javascript:alert(1))",
        "[l](file:///etc/passwd)",
        "[l](https://ok.example)",
        "<a href='javascript:x'>",
        "[@key]",
        "[@a; @b]",
        "@c",
        "*",
        "**",
        "_",
        "`",
        "\n\n",
        "\n",
        "- ",
        "1. ",
        "> ",
        "# ",
        "<style>body{}</style>",
        "<iframe src=x>",
        "&amp;",
        "&#x3C;script&#x3E;",
        "\ue000",
        "\ue0010\ue001",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "data:text/html,<script>",
        "<svg onload=alert(1)>",
        "[x]: javascript:alert(1)\n",
        "[y][x]",
        "<http://127.0.0.1>",
        "<javascript:alert(1)>",
        "| a | b |\n",
        "|---|:-:|\n",
        "| <b>x</b> | [l](javascript:x) |\n",
        "|",
        "---:",
    ]
)
md_like = st.lists(MD_PIECES | st.text(max_size=5), max_size=30).map("".join)


@FUZZ
@given(st.one_of(md_like, st.text(max_size=300)))
def test_markdown_is_always_safe(text: str) -> None:
    html = render(text, lambda keys: "", inline=False) + render(text, lambda keys: "", inline=True)
    for tag, attrs in parse_tags(str(html)):
        assert tag in SAFE_TAGS, tag
        assert "src" not in attrs and not any(k.startswith("on") for k in attrs)
        assert attrs.get("style") in (None, "text-align:left", "text-align:center", "text-align:right"), attrs
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("http://", "https://", "mailto:", "#")), href


# Issue 17: what the renderer would drop is exactly what the nesting check flags.
MARKERS = st.sampled_from(["- ", "* ", "1. ", "> ", "- > ", "> - ", ""])
NESTED = st.lists(st.tuples(st.integers(0, 14), MARKERS), min_size=1, max_size=16)


@FUZZ
@given(NESTED)
def test_markdown_loses_nothing_the_nesting_check_passes(lines: list[tuple[int, str]]) -> None:
    text = "".join(f"{'  ' * depth}{marker}w{i}x\n" for i, (depth, marker) in enumerate(lines))
    if dropped_lines(text):
        return
    html = str(render(text, lambda keys: Markup("")))
    assert all(f"w{i}x" in html for i in range(len(lines))), (text, html)


# Issue 17: a path written in the YAML that passes its shape check resolves inside the folder.
PATH_PIECES = st.sampled_from(
    ["sections", "x.yaml", "/", "//", ".", "..", "...", "\\", "~", "\x00", "\n", "\u202e", " ", "C:", "%2e%2e", "é"]
)


@FUZZ
@given(st.lists(PATH_PIECES, min_size=1, max_size=8).map("".join) | st.text(max_size=30))
def test_paths_that_pass_stay_inside(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "g"
        root.mkdir()
        if path_problem(name) is None:
            assert (root / name).resolve().is_relative_to(root.resolve()), name
            assert not any(is_invisible(c) or c in "\n\r\t" for c in name)


# Issue 17: what names an output file ({id}-{version}-{lang}.pdf) is one plain component, whatever is written.
NAME_PIECES = st.sampled_from(["1", "a", "Z", ".", "..", "/", "\\", "-", "_", "+", "\n", " ", "\u202e", "é", "x" * 70])
NAME_PATTERNS = st.sampled_from([SLUG_PATTERN, VERSION_PATTERN, LANG_PATTERN, ID_PATTERN])


@FUZZ
@given(st.lists(NAME_PIECES, min_size=1, max_size=10).map("".join), NAME_PATTERNS)
def test_file_name_parts_are_one_plain_component(value: str, pattern: str) -> None:
    if re.fullmatch(pattern, value):
        assert value.isascii() and value.isprintable() and " " not in value
        assert "/" not in value and "\\" not in value and ".." not in value and value[0] not in ".-+"
        assert pattern == ID_PATTERN or len(value) <= 64


@FUZZ
@given(st.text(max_size=60) | st.binary(max_size=30).map(os.fsdecode))
def test_printable_shows_nothing_invisible(text: str) -> None:
    shown = printable(text)
    shown.encode("utf-8")  # no lone surrogate from an undecodable file name
    assert not any(is_invisible(c) or c in "\n\r\t" for c in shown)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line"]), st.integers(0, 10_000), yaml_like
    ),
    min_size=1,
    max_size=4,
)


@FUZZ
@given(
    st.sampled_from(["sections/01-base.yaml", "evidence/ev-base.yaml", "guideline.yaml", "references.yaml"]), MUTATIONS
)
def test_check_end_to_end_never_raises(target: str, mutations: list[tuple[str, int, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "g"
        shutil.copytree(CASES / "base", root)
        path = root / target
        text = path.read_text()
        for action, where, piece in mutations:
            lines = text.splitlines(keepends=True)
            i = where % (len(text) + 1)
            if action == "insert":
                text = text[:i] + piece + text[i:]
            elif action == "delete":
                text = text[:i] + text[i + 1 + where % 7 :]
            elif action == "replace":
                text = text[:i] + piece + text[i + len(piece) :]
            elif action == "dup-line" and lines:
                n = where % len(lines)
                text = "".join(lines[: n + 1] + lines[n:])
            elif action == "drop-line" and lines:
                n = where % len(lines)
                text = "".join(lines[:n] + lines[n + 1 :])
        path.write_text(text)
        _guideline, problems = check_guideline(root)
        for p in problems:
            assert p.code[0] in "SET" and p.message
