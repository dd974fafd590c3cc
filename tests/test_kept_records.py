"""What a check keeps of a guideline's YAML files between runs (load.py ``KeptRecords``) never hides a change.

Each test checks a copy of the sample twice or more in one process; the second run reads back what the first
kept in the user's cache (here a temporary folder) and must report exactly what a first run would.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from guidegen import load as load_module
from guidegen.checks import check_guideline
from guidegen.i18n import catalogs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "guideline", tmp_path / "guideline")
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "guideline"


def check(guideline: Path) -> list[str]:
    catalogs.checked_catalog.cache_clear()  # type: ignore[attr-defined]  # as in a new process
    return [f"{p.position}: {p.code} {p.message}" for p in check_guideline(guideline)[1]]


def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the loader parses from now on (the others it read back)."""
    parsed: list[str] = []
    real = load_module.parse

    def counting(text: str, shown: str, *args: object) -> object:
        parsed.append(Path(shown).name)
        return real(text, shown, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(load_module, "parse", counting)
    return parsed


def section(guideline: Path) -> Path:
    """A section file that holds a recommendation with a strength."""
    return next(p for p in sorted((guideline / "sections").glob("*.yaml")) if "strength: strong" in p.read_text())


def test_read_back_the_same_without_parsing(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check(sample)
    assert list((sample.parent / "cache" / "guidegen" / "sources").iterdir())
    parsed = parses(monkeypatch)
    assert check(sample) == first
    assert parsed == []


def test_a_changed_file_is_seen_even_with_its_old_size_and_time(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(sample)
    path = section(sample)
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("strength: strong", "strength: strang", 1), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: only the bytes differ
    parsed = parses(monkeypatch)
    after = check(sample)
    assert any("'strang'" in p for p in after)
    assert parsed == [path.name]  # only the changed file is parsed again


def test_a_broken_file_is_reported_every_time(sample: Path) -> None:
    path = section(sample)
    path.write_text(path.read_text(encoding="utf-8") + "\n  - [unclosed\n", encoding="utf-8")
    first = check(sample)
    assert any(f"{path.name}:" in p and " S001 " in p for p in first)
    assert check(sample) == first


def test_positions_follow_the_working_directory(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(sample)
    check(sample)
    monkeypatch.chdir(sample.parent)
    read_back = check(sample)
    monkeypatch.setenv("XDG_CACHE_HOME", str(sample.parent / "fresh-cache"))
    assert read_back == check(sample)
    assert any(p.startswith("guideline/") for p in read_back)


def test_a_torn_kept_file_is_made_again(sample: Path) -> None:
    first = check(sample)
    for path in (sample.parent / "cache" / "guidegen" / "sources").iterdir():
        path.write_bytes(path.read_bytes()[:1000])
    assert check(sample) == first
    assert check(sample) == first


def test_no_cache_folder_is_no_error(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check(sample)
    blocked = sample.parent / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert check(sample) == first
