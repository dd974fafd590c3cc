"""guidegen serve: loopback only, a save re-renders the page, problems show in the page itself."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from guidegen.serve import serve


@pytest.fixture
def preview(base_guideline: Path) -> Iterator[tuple[str, Path]]:
    stop = threading.Event()
    ready: list[str] = []
    lines: list[str] = []
    thread = threading.Thread(
        target=serve, args=(base_guideline, "en", 0, lines.append, stop, ready.append), daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not ready and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready, lines
    try:
        yield ready[0], base_guideline
    finally:
        stop.set()
        thread.join(10)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def version(url: str) -> int:
    base = url.split("/", 3)
    return int(json.loads(get(f"{base[0]}//{base[2]}/__version"))["version"])


def wait_for_new_version(url: str, seen: int) -> None:
    deadline = time.monotonic() + 20
    while version(url) == seen:
        assert time.monotonic() < deadline, "the preview did not re-render after the save"
        time.sleep(0.05)


def test_binds_the_loopback_address_only(preview: tuple[str, Path]) -> None:
    url, _ = preview
    assert url.startswith("http://127.0.0.1:")
    assert "Base guideline for test cases" in get(url)
    assert '<script src="../assets/reload.js" defer>' in get(url)


def test_a_save_re_renders_the_page(preview: tuple[str, Path]) -> None:
    url, root = preview
    seen = version(url)
    section = root / "sections" / "01-base.yaml"
    section.write_text(
        section.read_text().replace("We suggest the intervention.", "We suggest the intervention, as edited.")
    )
    wait_for_new_version(url, seen)
    assert "as edited" in get(url)


def test_problems_show_in_the_page_and_a_broken_file_gives_a_page_of_problems(preview: tuple[str, Path]) -> None:
    url, root = preview
    section = root / "sections" / "01-base.yaml"
    seen = version(url)
    section.write_text(section.read_text().replace("evidence: [ev-base]", "evidence: [ev-bsae]"))
    wait_for_new_version(url, seen)
    page = get(url)
    assert "preview-problems" in page and "E102" in page and "01-base.yaml:12:" in page
    seen = version(url)
    (root / "guideline.yaml").write_text("id: [unclosed\n")
    wait_for_new_version(url, seen)
    front = url.rsplit("/", 2)[0] + "/index.html"
    assert "S001" in get(front) and "guideline.yaml:" in get(front)
