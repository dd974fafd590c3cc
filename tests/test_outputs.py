"""Outputs are a registry: the engine names none of them, and a plug-in output builds like guidegen's own."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest

from guidegen import outputs
from guidegen.cli import main

from .conftest import ROOT

PLUGIN = """
from guidegen.outputs import Output

def render(document):
    g = document.guideline
    lines = [f"{number} {rec.id}" for number, rec in g.recommendations()]
    return ("\\n".join([document.lang, *lines]) + "\\n").encode(), []

OUTPUT = Output("outline", "numbered outline of the recommendations", render, suffix=".txt")
"""


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed distribution whose entry point registers one output."""
    (tmp_path / "outline_output.py").write_text(PLUGIN)
    dist = tmp_path / "outline_output-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: outline-output\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[guidegen.outputs]\noutline = outline_output:OUTPUT\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    outputs.registry.cache_clear()
    yield
    outputs.registry.cache_clear()
    sys.modules.pop("outline_output", None)


def test_a_plugin_output_registers_through_the_entry_point_and_builds(
    plugin: None, base_guideline: Path, tmp_path: Path
) -> None:
    assert "outline" in outputs.names()
    out, err = io.StringIO(), io.StringIO()
    assert main(["build", str(base_guideline), "--to", "outline", "--out", str(tmp_path / "out")], out, err) == 0, (
        err.getvalue()
    )
    assert (tmp_path / "out" / "base-1.0.0-en.txt").read_text() == "en\n1.1 base-rec\n1.2 base-gps\n"
    out = io.StringIO()
    assert (
        main(["build", str(base_guideline), "--to", "outline", "--out", str(tmp_path / "out")], out, io.StringIO()) == 0
    )
    assert "up to date" in out.getvalue()  # the cache works for it as for any other


def test_an_unknown_output_is_a_usage_error_naming_the_registry(base_guideline: Path, tmp_path: Path) -> None:
    err = io.StringIO()
    assert main(["build", str(base_guideline), "--to", "epub", "--out", str(tmp_path)], io.StringIO(), err) == 2
    assert "choose from pdf, docx, html, site" in err.getvalue()


def test_the_engine_names_no_output() -> None:
    for module in ("build.py", "plan.py", "run.py", "cache.py"):
        text = (ROOT / "src" / "guidegen" / module).read_text()
        assert not re.search(r"""["'](pdf|docx|html|site)["']""", text), module


def test_version_lists_every_output_with_its_tools() -> None:
    out = io.StringIO()
    main(["--version"], out, io.StringIO())
    text = out.getvalue()
    assert re.search(r"^  pdf .*weasyprint \d", text, re.M) and re.search(r"^  docx .*python-docx \d", text, re.M)
