"""Fixtures layered like the stages: a guideline folder, a loaded model, its problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
SAMPLE = ROOT / "guideline"


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """What the checks keep between runs (i18n/catalogs.py) goes to a folder of the session, not the user's cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def base_guideline(tmp_path: Path) -> Path:
    """A copy of the minimal valid guideline that test cases modify."""
    target = tmp_path / "guideline"
    shutil.copytree(CASES / "base", target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once for the session: PDF, DOCX and HTML in every language."""
    import io

    from guidegen.cli import main

    out = tmp_path_factory.mktemp("build")
    err = io.StringIO()
    code = main(["build", str(SAMPLE), "--to", "pdf,docx,html", "--out", str(out), "--jobs", "2"], io.StringIO(), err)
    assert code == 0, err.getvalue()
    return out


def output(built: Path, lang: str, fmt: str) -> Path:
    return built / f"trd-ketamine-0.2.0-{lang}.{fmt}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="fuzz with 20,000 examples per target instead of 2,000")


def pytest_configure(config: pytest.Config) -> None:
    import os

    os.environ["GUIDEGEN_FUZZ_EXAMPLES"] = (
        "20000" if config.getoption("--slow") else os.environ.get("GUIDEGEN_FUZZ_EXAMPLES", "2000")
    )
