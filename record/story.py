"""The records that cross Wiredup's stages.

``RawItem`` is what a source yields (bytes and where they came from), ``ParsedItem`` is what a
format parser reads out of it, ``Story`` is the normalized record that dedupe and storage work
on, and ``Reject`` is an item that could not be turned into a story. All are frozen dataclasses
that do no I/O.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = [
    "DATE_PRECISIONS",
    "PUBSTATUSES",
    "ParsedItem",
    "RawItem",
    "Reject",
    "Story",
    "make_story_id",
    "sha256_hex",
]

#: How much of ``published_at`` the source actually gave.
DATE_PRECISIONS = ("month", "day", "second")
#: IPTC publication status values, kept as the agency sent them.
PUBSTATUSES = ("usable", "withheld", "canceled")


def sha256_hex(data: bytes) -> str:
    """The hex sha256 of ``data``: the identity of raw bytes in rejects and quarantine."""
    return hashlib.sha256(data).hexdigest()


def make_story_id(source: str, item_id: str, version: int, revision: int = 0) -> str:
    """The stable key of one version (and revision) of one item of one source.

    The same (source, item id, version) always gives the same key, so a rerun recognises what
    it already stored; 16 bytes of sha256 keep collisions out of reach at any realistic scale.
    ``revision`` numbers the contents an agency sent again under one version (0: the first,
    whose key is the version's own, as before revisions were kept).
    """
    key = f"{source}\x00{item_id}\x00{version}"
    if revision:
        key += f"\x00r{revision}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class RawItem:
    """One payload as a source delivered it, before any parsing."""

    source: str
    item_id: str
    data: bytes
    fetched_at: datetime
    location: str
    format: str | None = None
    encoding: str | None = None
    #: The Content-Type the payload was served with (HTTP sources); feedparser reads its charset.
    content_type: str | None = None
    #: The source's IANA zone for timestamps without an offset (``sources.toml``); None: UTC.
    timezone: str | None = None
    #: Agencies the source declares beside the built-in registry (``sources.toml``): each the
    #: canonical name, then its other spellings.
    agencies: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class ParsedItem:
    """What a format parser read out of one payload: text still raw, markers still in it."""

    item_id: str
    body: str
    headline: str | None = None
    version: int = 1
    published_at: datetime | None = None
    date_precision: str = "second"
    pubstatus: str = "usable"
    embargo_until: datetime | None = None
    language: str | None = None
    format: str = "text"
    signals: tuple[str, ...] = ()
    #: The credit line as the format carries it ("By ANNA SMITH"); None where it has none.
    byline: str | None = None
    #: The dateline as the format carries it ("Berlin (dpa) -"); the body keeps its own copy.
    dateline: str | None = None
    #: The agency's priority, 1 (flash) to 8 (lowest) as the format numbers it.
    urgency: int | None = None
    #: The editor's note to desks ("Eds: Updates with ..."), not story text.
    ednote: str | None = None
    #: Notes on how the item was read (``charset-guessed:<codec>``), carried into ``Story.flags``.
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Story:
    """A normalized story: clean text with the agency markers moved into fields."""

    story_id: str
    source: str
    item_id: str
    version: int
    headline: str | None
    body: str
    agencies: tuple[str, ...]
    editors: tuple[str, ...]
    dateline: str | None
    copyright: str | None
    published_at: datetime | None
    date_precision: str
    story_date: date
    language: str | None
    content_hash: str
    pubstatus: str
    embargo_until: datetime | None
    format: str
    signals: tuple[str, ...] = field(default=())
    flags: tuple[str, ...] = field(default=())
    byline: str | None = None
    ednote: str | None = None
    urgency: int | None = None
    #: 0 for the first content stored under (source, item_id, version); n for the n-th other
    #: content the agency sent under the same key (``pipeline.select_new`` numbers them).
    revision: int = 0
    #: The story_id of the revision this one revises (null for revision 0).
    revision_of: str | None = None


@dataclass(frozen=True)
class Reject:
    """An item or payload that could not become a story, with why and the hash of its bytes."""

    source: str
    item_id: str | None
    reason: str
    sha256: str | None  # None when the bytes themselves could not be read
    size: int
    fetched_at: datetime
    location: str
