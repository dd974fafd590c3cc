"""The command line as a user meets it: exit codes, formats, and never a traceback."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

from guidegen.cli import main

from .conftest import CASES, ROOT


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_clean_guideline_exits_zero(base_guideline: Path) -> None:
    code, out, _ = run("check", str(base_guideline))
    assert code == 0
    assert out.strip().endswith("0 error(s), 0 warning(s)")


def test_problems_exit_one_with_compiler_style_lines(base_guideline: Path) -> None:
    shutil.copy(CASES / "invalid" / "E101-no-evidence.yaml", base_guideline / "sections" / "x.yaml")
    (base_guideline / "guideline.yaml").write_text(
        (base_guideline / "guideline.yaml").read_text() + "  - sections/x.yaml\n"
    )
    code, out, _ = run("check", str(base_guideline))
    assert code == 1
    assert "sections/x.yaml:6:9: E101 recommendation 'ne-rec' links to no evidence" in out


def test_strict_promotes_warnings(base_guideline: Path) -> None:
    shutil.copy(CASES / "invalid" / "E112-unused-reference.yaml", base_guideline / "references.yaml")
    assert run("check", str(base_guideline))[0] == 0
    assert run("check", "--strict", str(base_guideline))[0] == 1


def test_json_and_github_formats(base_guideline: Path) -> None:
    shutil.copy(CASES / "invalid" / "E112-unused-reference.yaml", base_guideline / "references.yaml")
    _, out, _ = run("check", "--format", "json", str(base_guideline))
    [problem] = json.loads(out)
    assert problem["code"] == "E112" and problem["severity"] == "warning" and problem["line"] == 10
    _, out, _ = run("check", "--format", "github", str(base_guideline))
    assert out.startswith("::warning file=") and "line=10,col=9,title=E112::" in out


def test_usage_errors_exit_two() -> None:
    assert run("check", "/nonexistent/folder")[0] == 2
    for command in ("build", "update", "stats"):
        assert run(command, "/nonexistent/folder")[0] == 2, command
    assert run("frobnicate")[0] == 2
    assert run("check", "--format", "xml")[0] == 2
    assert run()[0] == 2


def test_console_script_never_shows_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "guideline.yaml").write_bytes(b"\x00\x01\x02 binary junk")
    proc = subprocess.run(
        [sys.executable, "-m", "guidegen", "check", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "S015" in proc.stdout


def test_schema_files_are_current() -> None:
    """docs/schema/ is what `guidegen schema` prints: editors validate against the real format."""
    for kind in ("guideline", "section", "evidence", "references", "library", "consultation"):
        code, out, _ = run("schema", kind)
        assert code == 0
        assert json.loads(out) == json.loads((ROOT / "docs" / "schema" / f"{kind}.schema.json").read_text()), kind


def test_sample_files_name_their_schema() -> None:
    for path in (ROOT / "guideline").rglob("*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), path
