"""What rendering keeps between runs (references pandoc formatted, compiled templates) never hides a change.

Each test renders twice or more in one process; the second time reads back what the first kept in the user's
cache (here a temporary folder) and must give exactly what a first run would.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import jinja2
import pytest

from guidegen.load import load_guideline
from guidegen.model import Reference
from guidegen.render import citations, pandoc
from guidegen.render.html import environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "src" / "guidegen" / "templates"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "guidegen"


@pytest.fixture(scope="module")
def references() -> tuple[Reference, ...]:
    guideline, problems = load_guideline(ROOT / "guideline")
    assert guideline is not None and guideline.references, problems
    return guideline.references


def pandoc_runs(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The pandoc commands run from now on (the other results were read back)."""
    runs: list[list[str]] = []
    real = pandoc.run

    def counting(args: list[str], *rest: object) -> tuple[bytes, list[str]]:
        runs.append(args)
        return real(args, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(pandoc, "run", counting)
    return runs


def test_references_read_back(cache: Path, references: tuple[Reference, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    runs = pandoc_runs(monkeypatch)
    first = citations.format_references(references, "ru")
    assert len(runs) == 1 and [p.suffix for p in (cache / "references").iterdir()] == [".html"]
    assert citations.format_references(references, "ru") == first
    assert len(runs) == 1


def test_a_changed_reference_language_style_or_pandoc_runs_pandoc_again(
    cache: Path, references: tuple[Reference, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs = pandoc_runs(monkeypatch)
    entries, _ = citations.format_references(references, "en")
    retitled = dataclasses.replace(references[0], data={**references[0].data, "title": "A title never seen before"})
    changed, _ = citations.format_references((retitled, *references[1:]), "en")
    assert "A title never seen before" in changed[references[0].id]
    assert "A title never seen before" not in entries[references[0].id]
    citations.format_references(references, "ru")
    assert len(runs) == 3

    style = tmp_path / "style.csl"
    style.write_bytes(citations.style_path().read_bytes().replace(b"</style>", b"<!-- edited --></style>"))
    monkeypatch.setattr(citations, "style_path", lambda: style)
    assert citations.format_references(references, "en")[0] == entries  # the same entries, from a new run
    assert len(runs) == 4

    monkeypatch.setattr(pandoc, "identity", lambda: b"another pandoc")
    citations.format_references(references, "en")
    assert len(runs) == 5


def front_page(theme: Path) -> str:
    template = environment(theme).get_template("site/index.html.j2")
    return template.render(title="Title", languages=[("en", "English", "Title")])


def test_a_kept_template_is_used_and_a_changed_one_is_seen(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = tmp_path / "theme"
    (theme / "templates" / "site").mkdir(parents=True)
    own = theme / "templates" / "site" / "index.html.j2"
    shutil.copy(TEMPLATES / "site" / "index.html.j2", own)
    first = front_page(theme)
    assert [p.suffix for p in (cache / "templates").iterdir()] == [".jinja"]

    def no_compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    with monkeypatch.context() as m:
        m.setattr(jinja2.Environment, "compile", no_compile)
        assert front_page(theme) == first  # read back, not compiled

    st = own.stat()
    text = own.read_text(encoding="utf-8")
    assert "<main>" in text
    own.write_text(text.replace("<main>", "<mian>"), encoding="utf-8")  # same size and time: only the bytes differ
    os.utime(own, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert "<mian>" in front_page(theme)


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, references: tuple[Reference, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert "<main>" in front_page(tmp_path / "no-theme")
    assert citations.format_references(references, "en")[0]
