"""What one run keeps for the next, in the user's cache: the messages of a catalog, what the checks found in
them, the records read from a guideline's YAML files; and what one run reads only once (``once_per_state``).

A value is kept under a key that names everything it was made from (a hash of the file's bytes, the language,
the code that made it), so a changed input never meets an old value; the key is also stored in the file and
compared when read.  A folder holds at most ``KEPT_FILES`` files and ``KEPT_BYTES`` bytes, the least
recently used going first.  Nothing here is an error: a cache that cannot be read or written only costs time.

Values are written with ``marshal`` (plain data) or ``pickle`` (guidegen's own model records).  Both are read
only from the user's own cache folder, which only the user can write: the same trust as Python's own
``__pycache__``, and never a file that came with a guideline.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import pickle
import sys
import tempfile
import time
import typing
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any, Concatenate, ParamSpec, TypeVar

from . import __version__

# What is kept at most in each folder: the least recently used goes first.  A library of 1,500 guidelines in
# three languages keeps two files (messages, findings) per catalog.
KEPT_FILES = 20_000
KEPT_BYTES = 512_000_000


@cache
def code_stamp(*modules: str) -> str:
    """guidegen's version, Python's, and the size and time of the given source files (as first asked, near when
    they were imported): what ends what was kept when the code that made it may have changed, in a release or in
    a working copy."""
    stats = [os.stat(module) for module in modules]
    return f"guidegen {__version__} python {sys.version} " + " ".join(f"{st.st_size}.{st.st_mtime_ns}" for st in stats)


def cache_dir() -> Path:
    """The user's cache folder for guidegen, where pip and others keep theirs."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative, which the XDG specification says to ignore
        base = str(Path.home() / ".cache")
    return Path(base) / "guidegen"


def _file(folder: str, kind: str, key: str) -> Path:
    """Named by the key, so that equal inputs anywhere (a copy of the repository, a benchmark's) share a file."""
    return cache_dir() / folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.{kind}"


def kept(kind: str, key: str, folder: str = "catalogs", codec: ModuleType = marshal) -> Any:
    """What an earlier run kept under exactly ``key``, or None."""
    file = _file(folder, kind, key)
    try:
        stored = codec.loads(file.read_bytes())
    except (OSError, ValueError, EOFError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
        return None  # none, torn by a crash, or written by a version whose classes are gone: made again
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return None
    with contextlib.suppress(OSError):  # a cache that cannot be written is still read
        os.utime(file)  # used now: the last to go
    return stored[1]


def keep(kind: str, key: str, value: Any, folder: str = "catalogs", codec: ModuleType = marshal) -> None:
    """Keep ``value`` (of the types ``codec`` writes) for the next run."""
    file = _file(folder, kind, key)
    data = codec.dumps((key, value))
    tmp = None
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", suffix=".tmp", dir=file.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, file)  # a reader sees the old file or the new one, never half of one
        _evict_once(file.parent)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


@cache
def _evict_once(folder: Path) -> None:
    """``_evict``, once per run and folder: a library's first check keeps hundreds of files, and looking over the
    whole folder after each would cost more than the parsing it saves.  A run may leave the folder over its
    bounds; the next run that keeps something brings it back under them."""
    _evict(folder)


def _evict(folder: Path) -> None:
    """What is over ``KEPT_FILES`` or ``KEPT_BYTES``, least recently used first, and half-written files."""
    found = sorted(((p, p.stat()) for p in folder.iterdir()), key=lambda found: found[1].st_mtime, reverse=True)
    total = 0
    for n, (path, st) in enumerate((p, st) for p, st in found if not p.name.startswith(".")):
        total += st.st_size
        if n >= KEPT_FILES or total > KEPT_BYTES:
            path.unlink(missing_ok=True)
    for path, st in found:  # a killed run's half-written file: an hour old, no run still writes it
        if path.name.startswith(".") and st.st_mtime < time.time() - 3600:
            path.unlink(missing_ok=True)


P = ParamSpec("P")
R = TypeVar("R")


def once_per_state(read: Callable[Concatenate[Path, P], R]) -> Callable[Concatenate[Path, P], R]:
    """``read(path, ...)`` done once per state (time and size) of the file within a run, for readers whose result
    nobody changes: a library's guidelines share catalogs' readers and one grading scheme."""

    positional = typing.cast(Callable[..., R], read)  # lru_cache's key: the arguments in order

    @lru_cache(maxsize=16)
    def once(path: Path, mtime_ns: int, size: int, *args: Any) -> R:
        return positional(path, *args)

    def reader(path: Path, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            st = path.stat()
        except OSError:
            return read(path, *args, **kwargs)
        if kwargs:  # called by keyword: not kept, so that equal calls never look different
            return read(path, *args, **kwargs)
        return once(path, st.st_mtime_ns, st.st_size, *args)

    reader.cache_clear = once.cache_clear  # type: ignore[attr-defined]
    return reader
