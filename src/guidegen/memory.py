"""Allocating the model without the cyclic garbage collector walking it.

Loading a guideline and its catalogs makes hundreds of thousands of small,
long-lived objects with no reference cycles (YAML nodes, dataclasses, Babel
messages). CPython's collector runs every 700 allocations and its oldest
generation walks everything alive, so a large check spent a sixth of its
time re-walking what had just been loaded and could never be garbage. mypy
raises its thresholds for the same reason. The measurements behind each choice
here are in docs/design-notes.md.
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
            # young collection walked all of it.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def settle() -> None:
    """One full collection between a paused load and a PDF's rendering.

    WeasyPrint's layout on top of objects allocated with collection paused peaked
    markedly higher than after this short collection (docs/design-notes.md).  The
    other outputs go without: it walks everything alive for a few thousand objects
    (a twentieth of a large web edition's build, 2-3 MB of peak).
    """
    gc.collect()


@contextmanager
def layout_collection() -> Iterator[None]:
    """WeasyPrint's layout with the oldest generation seldom collected, then one full collection.

    Layout leaves hundreds of thousands of objects in reference cycles behind
    (discarded boxes and their computed styles).  With the usual thresholds the
    collector walked everything alive many times during layout, and the garbage
    left since its last pass was still resident while the PDF was drawn and
    written on top of it, where the peak is.  Here the oldest generation waits a
    hundred times longer during layout and one full collection follows it, before
    the PDF is written: faster, and no higher a peak (docs/design-notes.md).
    """
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, oldest * 100)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, oldest)
        gc.collect()
