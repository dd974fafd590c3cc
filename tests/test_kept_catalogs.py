"""What the checks keep of a catalog between runs (i18n/catalogs.py ``keep``/``kept``) never hides a change.

Every test checks a copy of the sample twice or more in one process, clearing the in-process cache in
between, so that the second run reads what the first kept in the user's cache (here a temporary folder).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from guidegen.checks import check_guideline
from guidegen.i18n import catalogs

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "guideline", tmp_path / "guideline")
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(catalogs, "KEPT_FROM", 0)  # the sample's catalogs are small: keep them anyway
    return tmp_path / "guideline"


def check(guideline: Path) -> list[str]:
    catalogs.checked_catalog.cache_clear()  # type: ignore[attr-defined]  # as in a new process: only the user's cache remains
    return [f"{p.position}: {p.code} {p.message}" for p in check_guideline(guideline)[1]]


def kept_files(guideline: Path) -> list[str]:
    folder = guideline.parent / "cache" / "guidegen" / "catalogs"
    return sorted(p.suffix for p in folder.iterdir()) if folder.is_dir() else []


def test_read_back_the_same(sample: Path) -> None:
    first = check(sample)
    assert kept_files(sample) == [".findings", ".findings", ".markdown", ".markdown", ".messages", ".messages"]
    assert check(sample) == first


def test_a_changed_translation_is_seen_even_with_its_old_size_and_time(sample: Path) -> None:
    check(sample)
    po = sample.parent / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    st = po.stat()
    text = po.read_text(encoding="utf-8")
    match = re.search(r'^msgstr ".*?(\d)', text, re.M)
    assert match is not None
    digit = "7" if match.group(1) != "7" else "8"
    po.write_text(text[: match.start(1)] + digit + text[match.end(1) :], encoding="utf-8")
    os.utime(po, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: only the bytes differ
    assert any(" T105 ru: numbers differ" in p for p in check(sample))


def test_a_changed_glossary_is_seen(sample: Path) -> None:
    before = check(sample)
    glossary = sample.parent / "translations" / "glossary.yaml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8") + '  - en: the\n    ru: "zzz"\n    uz: "zzz"\n', encoding="utf-8"
    )
    after = check(sample)
    assert [p for p in after if " T108 " in p] and not [p for p in before if "'the'" in p]


def test_a_broken_catalog_is_reported_every_time(sample: Path) -> None:
    po = sample.parent / "translations" / "uz" / "LC_MESSAGES" / "guideline.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unterminated\n', encoding="utf-8")
    first = check(sample)
    assert any(" T110 " in p for p in first)
    assert check(sample) == first


def test_a_torn_or_foreign_kept_file_is_made_again(sample: Path) -> None:
    first = check(sample)
    folder = sample.parent / "cache" / "guidegen" / "catalogs"
    for i, path in enumerate(sorted(folder.iterdir())):
        path.write_bytes(path.read_bytes()[: 100 * i])  # empty, torn, ...
    assert check(sample) == first
    assert check(sample) == first


def test_no_cache_folder_is_no_error(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = check(sample)
    blocked = sample.parent / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert check(sample) == first


def test_a_link_a_translator_added_is_seen_when_read_back(sample: Path) -> None:
    po = sample.parent / "translations" / "ru" / "LC_MESSAGES" / "guideline.po"
    text = po.read_text(encoding="utf-8")
    at = text.index('msgstr "', text.index("(markdown")) + len('msgstr "')
    po.write_text(text[:at] + "см. [сайт](https://evil.example/ru) " + text[at:], encoding="utf-8")
    first = check(sample)
    assert [p for p in first if " T116 ru: link to 'https://evil.example/ru'" in p]
    assert check(sample) == first  # the second run reads back which messages are worth a look
