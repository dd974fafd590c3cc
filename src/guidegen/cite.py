"""Pandoc's citation syntax, defined once: ``[@key]``, ``[see @a, p. 3; @b]``.

https://pandoc.org/MANUAL.html#citation-syntax — used by the evidence checks
(unknown keys), the translation checks (keys must survive) and the renderer
(keys become numbered links).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A bracketed group holding at least one @key.
GROUP = re.compile(r"\[([^\[\]]*?@[^\[\]]*)\]")
# A key: starts with a letter, digit or _, may hold internal punctuation, ends with a word character.
KEY = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[\w])?)")


def citations(text: str) -> Iterator[tuple[str, int]]:
    """Every citation key in bracketed citations of a markdown text, with the offset of its '@'."""
    for group in GROUP.finditer(text):
        for match in KEY.finditer(group.group()):
            yield match.group(1), group.start() + match.start()
