"""The pandoc that pypandoc-binary ships, run sandboxed.

Always that binary, never another ``pandoc`` on PATH: outputs must not depend
on what a maintainer happens to have installed (issue: DOCX drafts).
"""

from __future__ import annotations

import subprocess
from functools import cache
from importlib.util import find_spec
from pathlib import Path


class PandocError(Exception):
    pass


@cache
def pandoc_path() -> Path:
    spec = find_spec("pypandoc")  # where the package is, without importing it (and urllib, email)
    if spec is None or not spec.submodule_search_locations:
        raise PandocError("pypandoc-binary is not installed; reinstall guidegen")
    path = Path(spec.submodule_search_locations[0]) / "files" / "pandoc"
    if not path.is_file():
        raise PandocError(f"pandoc is missing from pypandoc-binary (expected {path}); reinstall guidegen")
    return path


def identity() -> bytes:
    """Which pandoc this is, for a cache's key: its path, size and time (its 160 MB are not read, as in cache.py)."""
    st = pandoc_path().stat()
    return f"{pandoc_path()} {st.st_size} {st.st_mtime_ns}".encode()


# Known noise: pandoc has no term translations for Uzbek; citeproc uses our style's terms.
_IGNORED = ("Could not load translations for", "data file translations/", "has no translation defined")


def run(args: list[str], stdin: bytes = b"", cwd: Path | None = None) -> tuple[bytes, list[str]]:
    """Run pandoc with ``--sandbox``; return its output and the warnings worth showing a user."""
    proc = subprocess.run(
        [str(pandoc_path()), "--sandbox", *args], input=stdin, capture_output=True, cwd=cwd, check=False, timeout=600
    )
    lines = [line for line in proc.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    if proc.returncode != 0:
        raise PandocError("pandoc failed: " + " ".join(lines[-5:]))
    warnings = [line for line in lines if not any(noise in line for noise in _IGNORED)]
    return proc.stdout, warnings
