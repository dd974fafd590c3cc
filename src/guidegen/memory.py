"""Allocating the model without the cyclic garbage collector walking it.

Loading a guideline and its catalogs makes hundreds of thousands of small,
long-lived objects with no reference cycles (YAML nodes, dataclasses, Babel
messages). CPython's collector runs every 700 allocations and its oldest
generation walks everything alive, so at 1000 recommendations it spent 0.3 s
of a 2 s check re-walking what had just been loaded and could never be
garbage. mypy raises its thresholds for the same reason.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside the block (reference counting still frees everything else)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What was allocated goes straight to the oldest generation (freeze and
            # unfreeze move lists, they walk nothing); re-enabled as it was, the first
            # young collection walked all of it: 0.09 s at 1000 recommendations.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def settle() -> None:
    """One full collection between a paused load and rendering.

    WeasyPrint's layout on top of objects allocated with collection paused peaked
    110 MB higher for a 398-page PDF (769 MB against 656 MB, measured in one
    process each) than after this collection, which takes 0.04-0.1 s.
    """
    gc.collect()


def drop_layout_garbage() -> None:
    """One full collection between WeasyPrint's layout and writing the PDF.

    Layout leaves hundreds of thousands of objects in reference cycles behind
    (discarded boxes and their computed styles: 813,000 objects at 398 pages), and
    the collector's oldest generation seldom runs, so they were still there while the
    PDF was drawn and written on top of them: 661 MB peak instead of 561 MB in one
    process.  The collection takes 1-1.6 s at that size (4-6 % of the build); the
    memory target (DESIGN.md, issue 6) is worth it.
    """
    gc.collect()
