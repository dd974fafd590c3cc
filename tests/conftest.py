"""Fixtures layered like the stages: a guideline folder, a loaded model, its problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
SAMPLE = ROOT / "guideline"


@pytest.fixture
def base_guideline(tmp_path: Path) -> Path:
    """A copy of the minimal valid guideline that test cases modify."""
    target = tmp_path / "guideline"
    shutil.copytree(CASES / "base", target)
    return target
