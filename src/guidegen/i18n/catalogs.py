"""Catalogs on disk: guideline -> template; template + old catalog -> merged catalog; .po -> Catalog.

For the checks, a catalog is read as its messages alone (``checked_catalog``); those of a large catalog are
kept in the user's cache between runs, under a hash of the file's bytes, so that an unchanged catalog is not
parsed again (guidegen.kept).

The merge is ours, not msgmerge's or Babel's: a changed paragraph is matched
first against the old messages of the *same* context (the same field of the
same block), which is nearly always the right previous text; only then against
all others.  Nothing is ever dropped: a message that matches nothing new is
kept as obsolete (``#~``), with its translation.
"""

from __future__ import annotations

import datetime
import difflib
import hashlib
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from babel import Locale
from babel import __version__ as babel_version
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from ..kept import code_stamp, keep, kept, once_per_state
from ..model import Guideline
from ..problems import Position, Problem, error
from .languages import profile
from .messages import units

TEMPLATE = "guideline.pot"
DOMAIN = "guideline"


def catalog_dir(guideline: Guideline) -> Path:
    return (guideline.root / guideline.meta.translations).resolve()


def po_path(guideline: Guideline, lang: str) -> Path:
    return catalog_dir(guideline) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_language(guideline: Guideline, lang: str) -> str:
    """The language whose catalog ``lang`` is made from: itself, or for a derived language its source, as the
    guideline spells it if it names it (uz-Cyrl -> uz, or uz-Latn), else by its tag (translations/uz)."""
    language = profile(lang)
    if language is None or language.derived is None:
        return lang
    source = language.derived.source
    named = (name for name in (guideline.meta.source_language, *guideline.meta.languages) if _tag(name) == source)
    return next(named, source)


def _tag(lang: str) -> str:
    language = profile(lang)
    return language.tag if language else lang


def target_languages(guideline: Guideline) -> list[str]:
    """The languages with a catalog to keep: no derived language (uz-Cyrl reads uz's), no source language."""
    found = dict.fromkeys(catalog_language(guideline, lang) for lang in guideline.meta.languages)
    return [lang for lang in found if lang != guideline.meta.source_language]


def _stamp(guideline: Guideline) -> datetime.datetime:
    # The guideline's own date, not "now": regenerating an unchanged template changes no byte.
    d = guideline.meta.date
    return datetime.datetime(d.year, d.month, d.day, tzinfo=datetime.UTC)


def template(guideline: Guideline) -> Catalog:
    """The .pot: every message of the guideline with its context, location and comment."""
    cat = Catalog(
        project=guideline.meta.id,
        version=guideline.meta.version,
        creation_date=_stamp(guideline),
        revision_date=_stamp(guideline),
        fuzzy=False,
        charset="utf-8",
    )
    root = catalog_dir(guideline)
    for unit in units(guideline):
        location = os.path.relpath(Path(unit.position.file).resolve(), root.parent)
        existing = cat.get(unit.text, context=unit.context)
        if existing is not None:
            existing.locations.append((location, unit.position.line))
            continue
        cat.add(
            unit.text, context=unit.context, locations=[(location, unit.position.line)], auto_comments=[unit.comment]
        )
    return cat


def _best(text: str, candidates: list[Message], cutoff: float) -> Message | None:
    best, score = None, cutoff
    for message in candidates:
        ratio = difflib.SequenceMatcher(None, text, str(message.id), autojunk=False).ratio()
        if ratio > score:
            best, score = message, ratio
    return best


def merge(old: Catalog, pot: Catalog) -> Catalog:
    """``old`` brought up to ``pot``: exact matches kept, near matches fuzzy with ``#|``, the rest obsolete."""
    new = Catalog(
        locale=old.locale,
        domain=old.domain,
        project=pot.project,
        version=pot.version,
        creation_date=pot.creation_date,
        revision_date=old.revision_date,
        last_translator=old.last_translator,
        language_team=old.language_team,
        charset="utf-8",
        fuzzy=False,
        header_comment=old.header_comment,
    )
    old_messages = [m for m in old if m.id]
    by_key = {(m.context, m.id): m for m in old_messages}
    # text that comes back (a block restored, an edit undone) finds its old translation among the obsolete
    retired = {(m.context, m.id): m for m in old.obsolete.values() if m.string}
    unused = {id(m): m for m in old_messages}
    pending: list[Message] = []
    for message in pot:
        if not message.id:
            continue
        fresh = Message(
            message.id, "", locations=message.locations, auto_comments=message.auto_comments, context=message.context
        )
        key = (message.context, message.id)
        previous = by_key.get(key) or retired.pop(key, None)
        if previous is not None:
            fresh.string = previous.string
            fresh.flags = set(previous.flags)
            fresh.user_comments = previous.user_comments
            fresh.previous_id = previous.previous_id if "fuzzy" in previous.flags else []
            unused.pop(id(previous), None)
        else:
            pending.append(fresh)
        new[fresh.id] = fresh
    for fresh in pending:  # changed text: look for what it was
        translated = [m for m in unused.values() if m.string]
        same_field = [m for m in translated if m.context == fresh.context]
        match = _best(str(fresh.id), same_field, 0.3) or _best(str(fresh.id), translated, 0.8)
        if match is None:
            continue
        fresh.string = match.string
        fresh.user_comments = match.user_comments
        fresh.flags = {"fuzzy"}
        fresh.previous_id = [str(match.id)]
        unused.pop(id(match), None)
    active = {(m.context, m.id) for m in new if m.id}
    for message in [*unused.values(), *retired.values(), *old.obsolete.values()]:  # nothing is lost
        if (message.context, message.id) not in active and (message.string or message.user_comments):
            new.obsolete.setdefault(_key(message), message)
    return new


def _key(message: Message) -> str | tuple[str, str]:
    """The key Babel itself uses for a message: its id, or (id, context)."""
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (msgid, message.context) if message.context else msgid


def _locale(lang: str) -> Locale | None:
    language = profile(lang)
    return language.babel_locale() if language else None


def new_catalog(pot: Catalog, lang: str) -> Catalog:
    cat = Catalog(
        locale=_locale(lang),
        domain=DOMAIN,
        project=pot.project,
        version=pot.version,
        creation_date=pot.creation_date,
        revision_date=pot.creation_date,
        charset="utf-8",
        fuzzy=False,
    )
    return merge(cat, pot)


def dumps(catalog: Catalog, *, template: bool = False) -> bytes:
    # Guideline text is not a printf format: Babel flags any '%' as python-format,
    # and msgfmt -c then rejects a translation that writes "17 %" (ru typography).
    for message in [*catalog, *catalog.obsolete.values()]:
        message.flags.discard("python-format")
    buf = io.BytesIO()
    # a huge width: Babel wraps comments at 76 columns when width is 0, splitting translators' notes
    write_po(
        buf,
        catalog,
        width=1_000_000,
        include_previous=True,
        sort_output=False,
        omit_header=False,
        ignore_obsolete=False,
    )
    data = buf.getvalue()
    if not template:  # Babel writes the template's dummy header lines into catalogs too
        data = data.replace(b'#, fuzzy\nmsgid ""', b'msgid ""', 1)
    return data


_PLURAL = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*[^;]+;?\s*$")


def read_catalog(path: Path, shown: str, lang: str) -> tuple[Catalog | None, list[Problem]]:
    """A .po file as a Catalog, or a T110 problem naming the line that is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [error("T110", f"cannot read catalog: {exc.strerror or exc}", Position(shown))]
    return parse_catalog(data, shown, lang)


def parse_catalog(data: bytes, shown: str, lang: str) -> tuple[Catalog | None, list[Problem]]:
    """The bytes of a .po file as a Catalog, or a T110 problem naming the line that is wrong."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [error("T110", "catalog is not UTF-8; save it as UTF-8", Position(shown, line, 1))]
    charset = re.search(r'"Content-Type:[^"]*charset=([^"\\\s;]+)', text)
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        line = text.count("\n", 0, charset.start()) + 1
        return None, [
            error(
                "T110",
                f"catalog declares charset={charset.group(1)}; guideline catalogs are UTF-8",
                Position(shown, line, 1),
            )
        ]
    plural = re.search(r'"Plural-Forms:\s*([^"\\]*)', text)
    if plural:
        line = text.count("\n", 0, plural.start()) + 1
        match = _PLURAL.match(plural.group(1))
        if not match:
            return None, [
                error("T110", f"broken Plural-Forms header '{plural.group(1).strip()}'", Position(shown, line, 1))
            ]
        language = profile(lang)
        expected = language.nplurals if language else None
        if expected and int(match.group(1)) != expected:
            return None, [
                error(
                    "T110",
                    f"Plural-Forms has nplurals={match.group(1)}; {lang} needs {expected}",
                    Position(shown, line, 1),
                )
            ]
    bad = _syntax(text, shown)
    if bad:
        return None, bad
    try:
        catalog = read_po(io.BytesIO(data), locale=None, domain=DOMAIN, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        return None, [
            error("T110", f"catalog syntax: {exc.args[0].rsplit(' on ', 1)[0]}", Position(shown, exc.lineno + 1, 1))
        ]
    except (ValueError, IndexError, KeyError) as exc:  # Babel's parser on some malformed headers
        return None, [error("T110", f"catalog cannot be read: {exc}", Position(shown, 1, 1))]
    if catalog.charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        # a header the quick look above missed (split over two strings, quoted): msgfmt,
        # Babel and Poedit would all decode the file with this charset and show mojibake
        at = re.search(r"charset", text, re.IGNORECASE)
        line = text.count("\n", 0, at.start()) + 1 if at else 1
        return None, [
            error(
                "T110",
                f"catalog declares charset={catalog.charset}; guideline catalogs are UTF-8",
                Position(shown, line, 1),
            )
        ]
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog, []


cached_catalog = once_per_state(read_catalog)
cached_catalog.__doc__ = "``read_catalog`` for readers that do not change the catalog: each file is parsed once."


class Entry(NamedTuple):
    """A message as the checks read it: what Babel parsed, less what only ``update`` needs."""

    context: str | None
    id: str | tuple[str, ...] | list[str]  # as Babel has them: a plural message's are a tuple
    string: str | tuple[str, ...] | list[str] | None
    fuzzy: bool
    lineno: int | None


class Entries:
    """A catalog's messages for the checks, in the order of the file (the header aside), found as
    ``Catalog.get`` finds them."""

    def __init__(
        self,
        messages: list[Entry],
        obsolete: list[Entry],
        key: str | None = None,
        characters: str | None = None,
        index: dict[str | tuple[str, str], int] | None = None,
    ) -> None:
        self.messages = messages
        self.obsolete = obsolete
        # what the messages were kept under between runs (``kept``), so that what is derived from them can be too
        self.key = key
        self._characters = characters
        if index is None:
            index = {_lookup_key(entry.id, entry.context): i for i, entry in enumerate(messages)}
        self._index = index

    @property
    def characters(self) -> str:
        """Every character of the translations (of the messages with an id, as the checks read them) and a space,
        which joins plural forms: the checks that look for a character test these before each message."""
        if self._characters is None:
            strings = (m.string if isinstance(m.string, str) else "".join(m.string or ()) for m in self if m.id)
            self._characters = "".join(sorted(set(" ").union(*strings)))
        return self._characters

    @classmethod
    def of(cls, catalog: Catalog, key: str | None = None) -> Entries:
        def entry(m: Message) -> Entry:
            return Entry(m.context, m.id, m.string, m.fuzzy, m.lineno)

        messages = iter(catalog)
        next(messages)  # the header, which Babel makes up from the catalog's metadata
        return cls([entry(m) for m in messages], [entry(m) for m in catalog.obsolete.values()], key)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.messages)

    def get(self, id: str, context: str | None = None) -> Entry | None:
        index = self.index(id, context)
        return None if index is None else self.messages[index]

    def index(self, id: str, context: str | None = None) -> int | None:
        """The message's place in ``messages``."""
        return self._index.get((id, context) if context is not None else id)  # ``_lookup_key`` of a text


def _lookup_key(id: str | tuple[str, ...] | list[str], context: str | None) -> str | tuple[str, str]:
    """Babel's key for a message (``Catalog._key_for``): its singular id, with its context if it has one."""
    key = id[0] if isinstance(id, (list, tuple)) else id
    return key if context is None else (key, context)


# ``read_catalog`` for the checks: the messages only, each file parsed once per process, and a large one
# read back from the user's cache when its bytes are those parsed before.
checked_catalog = once_per_state(lambda path, shown, lang: _entries(path, shown, lang))


# Smaller catalogs (a test's) are parsed every time: keeping them would save little, and would leave a file in
# the user's cache for each.  A real guideline's catalog (the sample's are 250-320 kB) is kept: reading back a
# kept one takes a tenth of Babel's parsing (docs/design-notes.md), and a library checks hundreds of them.
KEPT_FROM = 100_000


def _entries(path: Path, shown: str, lang: str) -> tuple[Entries | None, list[Problem]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [error("T110", f"cannot read catalog: {exc.strerror or exc}", Position(shown))]
    key = _messages_key(data, lang) if len(data) >= KEPT_FROM else None
    rows = kept("messages", key) if key else None
    if rows is not None:
        messages, obsolete, characters, index = rows
        return Entries(list(map(Entry._make, messages)), list(map(Entry._make, obsolete)), key, characters, index), []
    catalog, problems = parse_catalog(data, shown, lang)
    if catalog is None:
        return None, problems  # a catalog with a problem is never kept: it is parsed, and reported, every time
    entries = Entries.of(catalog, key)
    if key:
        messages, obsolete = [tuple(e) for e in entries.messages], [tuple(e) for e in entries.obsolete]
        rows = (messages, obsolete, entries.characters, entries._index)  # the index too: a tenth of a reading
        keep("messages", key, rows)
    return entries, problems


def _messages_key(data: bytes, lang: str) -> str:
    """Everything the parsed messages depend on: the catalog's very bytes (a hash, not its size and time, so no
    edit can go unseen), the plural count the language needs, Babel, and this module."""
    language = profile(lang)
    nplurals = language.nplurals if language else None
    return f"{hashlib.sha256(data).hexdigest()} {lang} {nplurals} babel {babel_version} {code_stamp(__file__)}"


def _restore_previous(message: Message) -> None:
    """Babel reads ``#| msgid`` lines as translator comments; put them back where they belong."""
    previous: list[str] = []
    kept = []
    for comment in message.user_comments:
        if comment.startswith("| msgid "):
            previous.append(unescape(comment[len("| msgid ") :].strip()))
        elif comment.startswith('| "') and previous:
            previous[-1] += unescape(comment[2:].strip())
        elif comment.startswith("| msgctxt ") or comment.startswith("| msgid_plural "):
            continue
        else:
            kept.append(comment)
    if previous:
        message.previous_id = previous
        message.user_comments = kept


_QUOTED = r'"(?:[^"\\]|\\.)*"'
_PO_KEYWORD = re.compile(r"(?:#~ )?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?$")
_PO_LINE = re.compile(rf"^(?:#.*|(?:#~ )?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?{_QUOTED}\s*|\s*)$")


def _syntax(text: str, shown: str) -> list[Problem]:
    """What Babel's reader lets pass silently and msgfmt refuses: an unquoted or
    unterminated string, and two entries with the same msgctxt and msgid (Babel keeps the last)."""
    seen: dict[tuple[str, str], int] = {}
    context = ""
    for n, line in enumerate(text.splitlines(), 1):
        if not line or (line[0] == "#" and not line.startswith("#~")):
            continue
        start = line.find('"')
        body = line[start + 1 : -1] if start >= 0 and len(line) > start + 1 and line.endswith('"') else None
        fast = body is not None and '"' not in body and not body.endswith("\\") and _PO_KEYWORD.match(line[:start])
        if not fast and not _PO_LINE.match(line):
            return [error("T110", f"catalog syntax: cannot read line {line[:40]!r}", Position(shown, n, 1))]
        if line.startswith("msgctxt "):
            context = line[8:]
        elif line.startswith("msgid "):
            if line != 'msgid ""':
                key = (context, line[6:])
                if key in seen:
                    return [error("T110", f"duplicate entry (first at line {seen[key]})", Position(shown, n, 1))]
                seen[key] = n
            context = ""
    return []


@dataclass(frozen=True)
class Stats:
    language: str
    total: int
    translated: int
    fuzzy: int
    missing: int
    obsolete: int
    memory: int = 0  # messages the translation memory pre-filled (fuzzy or since approved)

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def statistics(guideline: Guideline, lang: str, catalog: Catalog | None) -> Stats:
    keys = {(u.context, u.text) for u in units(guideline)}
    translated = fuzzy = 0
    for context, text in keys:
        message = catalog.get(text, context=context) if catalog is not None else None
        if message is None or not message.string:
            continue
        if message.fuzzy:
            fuzzy += 1
        else:
            translated += 1
    obsolete = len(catalog.obsolete) if catalog is not None else 0
    memory = (
        sum(1 for m in catalog if any(c.startswith("Translation memory:") for c in m.user_comments))
        if catalog is not None
        else 0
    )
    return Stats(lang, len(keys), translated, fuzzy, len(keys) - translated - fuzzy, obsolete, memory)
