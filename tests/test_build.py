"""The build engine: check first, incremental, reproducible, atomic under SIGKILL, safe when run twice at once."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidegen.cli import main

from .conftest import CASES, ROOT, SAMPLE
from .test_catalogs import guideline_with_languages, translate_all, update


def build(root: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["build", str(root), "--out", str(out), "--jobs", "1", *extra], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.is_file()}


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    assert build(SAMPLE, a, "--to", "pdf,docx", "--lang", "en")[0] == 0
    assert build(SAMPLE, b, "--to", "pdf,docx", "--lang", "en")[0] == 0
    assert digests(a) == digests(b) and len(digests(a)) == 2


def test_nothing_changed_means_nothing_rebuilt_and_a_catalog_edit_rebuilds_only_its_language(tmp_path: Path) -> None:
    root = guideline_with_languages(tmp_path, "[ru, uz, en]")
    update(root)
    translate_all(root, "ru")
    translate_all(root, "uz", lambda s: "Tarjima " + s)
    out = tmp_path / "out"
    code, stdout, _ = build(root, out, "--to", "pdf,html")
    assert code == 0 and stdout.count(" s     ") == 6
    before = {name: os.stat(out / name).st_mtime_ns for name in digests(out)}
    code, stdout, _ = build(root, out, "--to", "pdf,html")
    assert code == 0 and stdout.count("up to date") == 6
    assert {name: os.stat(out / name).st_mtime_ns for name in before} == before
    po = root / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    po.write_text(po.read_text().replace('msgstr "ПЕРЕВОД Base section"', 'msgstr "Базовый раздел"'))
    code, stdout, _ = build(root, out, "--to", "pdf,html")
    rebuilt = sorted(line.split()[0] for line in stdout.splitlines() if " s     " in line)
    assert rebuilt == ["ru.html", "ru.pdf"]
    code, stdout, _ = build(root, out, "--to", "pdf,html", "--force")
    assert stdout.count(" s     ") == 6


def test_a_broken_guideline_renders_nothing(tmp_path: Path) -> None:
    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    shutil.copy(CASES / "invalid" / "E101-no-evidence.yaml", root / "sections" / "x.yaml")
    (root / "guideline.yaml").write_text((root / "guideline.yaml").read_text() + "  - sections/x.yaml\n")
    out = tmp_path / "out"
    code, _, stderr = build(root, out, "--to", "pdf")
    assert code == 1 and "E101" in stderr
    assert not out.exists() or not any(out.glob("*.pdf"))


def _spawn(root: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "guidegen",
            "build",
            str(root),
            "--out",
            str(out),
            "--to",
            "pdf,docx",
            "--force",
            "--jobs",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.parametrize("delay", [0.3, 1.0, 2.0, 3.0])
def test_sigkill_at_any_moment_leaves_previous_outputs_intact(tmp_path: Path, delay: float) -> None:
    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    out = tmp_path / "out"
    assert build(root, out, "--to", "pdf,docx")[0] == 0
    good = digests(out)
    proc = _spawn(root, out)
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    now = digests(out)
    for name, digest in good.items():
        assert now[name] == digest, f"{name} changed or broke after SIGKILL at {delay}s"
    # and the next build works, cache and all
    assert build(root, out, "--to", "pdf,docx")[0] == 0


def test_two_builds_at_once_do_not_corrupt_outputs(tmp_path: Path) -> None:
    from pypdf import PdfReader

    root = tmp_path / "g"
    shutil.copytree(CASES / "base", root)
    out = tmp_path / "out"
    procs = [_spawn(root, out), _spawn(root, out)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0]
    assert len(PdfReader(out / "base-1.0.0-en.pdf").pages) >= 3
    assert build(root, out, "--to", "pdf,docx")[1].count("up to date") == 2
