"""Normalization: a parsed item to a clean ``Story`` with its markers kept as fields.

Deterministic and idempotent: the same input always gives the same story, and normalizing a
story's own text again changes nothing. The supported marker forms are listed, with an
example each, in ``docs/normalization.md``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from ingest.normalize.body import (
    FLAG_MARKERS_KEPT,
    FLAG_NOTEBOOK_REMOVED,
    NormalizedBody,
    normalize_body,
)
from ingest.normalize.datelines import strip_dateline
from ingest.normalize.header import byline_text, note_signals
from ingest.normalize.html import html_to_text
from ingest.normalize.language import detect_language, load_model
from ingest.normalize.places import load_places
from ingest.normalize.text import clean_text, split_paragraphs
from record.story import ParsedItem, Story, make_story_id
from record.words import words

__all__ = [
    "FLAG_DATE_OUT_OF_RANGE",
    "FLAG_MARKERS_KEPT",
    "FLAG_NOTEBOOK_REMOVED",
    "NormalizedBody",
    "content_hash",
    "detect_language",
    "hash_of_words",
    "html_to_text",
    "load_tables",
    "normalize",
    "normalize_body",
    "story_date",
    "words",
]


def load_tables() -> None:
    """Load what normalization otherwise loads on the first story that needs it: the
    gazetteer of places and the language model: about 1.2 s together the first time, a tenth
    of a second once they are cached on disk (``tables``).

    For a process that has the time before its first story anyway (the command line, while
    its temporary Prefect server starts); every other process loads them on first use.
    """
    load_places()
    load_model()


def content_hash(body: str) -> str:
    """sha256 of the body's word tokens: equal for copies that differ only in typography."""
    return hash_of_words(words(body))


def hash_of_words(tokens: Sequence[str]) -> str:
    """``content_hash`` of a body whose ``words`` are ``tokens`` (for a caller that has them)."""
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest()


# Lone UTF-16 surrogates: a JSON payload can carry them (``"\\ud800"``) and no UTF-8 writer
# (sha256 of the id, Parquet) accepts them. Found by fuzzing.
_SURROGATES = re.compile("[\ud800-\udfff]")


def _scrubbed(item: ParsedItem) -> ParsedItem:
    """``item`` with every lone surrogate in its text fields replaced by U+FFFD."""

    def scrub(value: str | None) -> str | None:
        return _SURROGATES.sub("\ufffd", value) if value else value

    fields = (item.item_id, item.body, item.headline, item.language)
    if not any(_SURROGATES.search(v or "") for v in fields):
        return item
    return dataclasses.replace(
        item,
        item_id=scrub(item.item_id) or item.item_id,
        body=scrub(item.body) or "",
        headline=scrub(item.headline),
        language=scrub(item.language),
    )


# Wire signals written as headline prefixes: CORRECTED-, UPDATE 2-, RPT-, (RPT), REFILE-,
# *** TRANSLATED ***. They are signals, not headline.
_HEADLINE_SIGNAL = re.compile(
    r"\A(?:(?P<correction>CORRECTED|CORRECTION)\s*-|(?P<update>UPDATE(?:\s+\d+)?)\s*-|"
    r"(?P<repeat>RPT|REFILE)\s*-|\((?P<repeat2>RPT|REFILE)\)\s*|"
    r"\*{3}\s*(?P<translation>TRANSLATED)\s*\*{3}\s*)"
)
_EDS = re.compile(r"\A(?:Eds?|EDS)\s*:\s*")
_INITIALS_ONLY = re.compile(r"[a-z]{1,5}(?:/[a-z]{1,5})+")


def _headline_signals(headline: str) -> tuple[str, list[str]]:
    signals: list[str] = []
    while (match := _HEADLINE_SIGNAL.match(headline)) is not None and match.end() < len(headline):
        kind = next(name for name, value in match.groupdict().items() if value)
        signals.append(kind.rstrip("2"))
        headline = headline[match.end() :].lstrip()
    return headline, signals


# A region's abbreviation keeps its full stop ("GREENWICH, Conn.", "BOSTON, Mass.", "N.Y.").
_ABBREVIATED_END = re.compile(r",\s*(?:[A-Z][a-z]{1,4}|(?:[A-Z]\.)+[A-Z])\.\Z")
# A timestamp is no dateline (NTB's NITF writes one there): "15.7.2019 12:09:11 CEST".
_TIMESTAMP = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}[ T]\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*[A-Z]{2,5}|[+-]\d{2}:?\d{2}|Z)?"
)


def _item_dateline(dateline: str) -> tuple[str | None, tuple[str, ...]]:
    """The format's own dateline read by the same grammar: ``Berlin (dpa) -`` is Berlin, dpa."""
    text = " ".join(dateline.split()).rstrip(" -–—_")
    if not _ABBREVIATED_END.search(text):
        text = text.rstrip(" -–—_.")
    if not text or _TIMESTAMP.fullmatch(text):
        return None, ()
    _rest, found = strip_dateline(f"{text} - X")
    if found is not None and (found.text or found.agencies):
        return found.text or None, found.agencies
    return text, ()


#: Flag of a story whose ``published_at`` is before 1900 or more than a day after its fetch.
FLAG_DATE_OUT_OF_RANGE = "date-out-of-range"
#: The earliest ``published_at`` taken as a real date.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
#: How far ahead of the fetch a ``published_at`` may be (clocks, zones, embargoed copy).
AHEAD = timedelta(days=1)


def story_date(published: datetime | None, fetched_at: datetime | None) -> tuple[date, bool]:
    """The partition date of a story and whether its ``published_at`` is out of range.

    A date before 1900 or more than ``AHEAD`` after the fetch (a typo'd year 3013) is no date
    to partition by: the fetch's date stands in, and the story is flagged.
    """
    fetched = fetched_at or datetime.now(UTC)
    if published is None:
        return fetched.astimezone(UTC).date(), False
    if published < EARLIEST or published > fetched + AHEAD:
        return fetched.astimezone(UTC).date(), True
    return published.date(), False


def normalize(
    source: str, item: ParsedItem, fetched_at: datetime | None = None, hashed: bool = True
) -> Story:
    """Turn one parsed item of ``source``, fetched at ``fetched_at``, into a ``Story``.

    ``published_at`` keeps the time as sent; ``story_date`` follows ``story_date``'s rule.
    ``hashed=False`` leaves ``content_hash`` empty for a caller that tokenizes the body anyway
    and fills it with ``hash_of_words`` (the pipeline's prepare step).
    """
    item = _scrubbed(item)
    result = normalize_body(item.body)
    headline = None
    signals = list(item.signals) + list(result.signals)
    if item.headline:
        headline = " ".join(split_paragraphs(clean_text(item.headline))) or None
        if headline:
            headline, found = _headline_signals(headline)
            signals.extend(found)
    editors = list(result.editors)
    byline = result.byline
    if item.byline and _INITIALS_ONLY.fullmatch(item.byline.strip()):
        editors.extend(item.byline.strip().split("/"))  # EFE's "daa/mt/msr" signs the desk
    elif item.byline and byline is None:
        byline = byline_text(clean_text(item.byline))
    notes = []
    if item.ednote:
        note = _EDS.sub("", " ".join(clean_text(item.ednote).split(" ")).strip())
        notes.append(note)
        signals.extend(note_signals(note))
    if result.ednote and result.ednote not in notes:
        notes.append(result.ednote)
    dateline, agencies = result.dateline, list(result.agencies)
    if item.dateline and dateline is None:
        dateline, more = _item_dateline(clean_text(item.dateline))
        agencies = list(more) + agencies
    published = item.published_at
    if published is not None:
        published = published.astimezone(UTC) if published.tzinfo else published.replace(tzinfo=UTC)
    partition, out_of_range = story_date(published, fetched_at)
    date_flags = (FLAG_DATE_OUT_OF_RANGE,) if out_of_range else ()
    return Story(
        story_id=make_story_id(source, item.item_id, item.version),
        source=source,
        item_id=item.item_id,
        version=item.version,
        headline=headline,
        body=result.body,
        agencies=tuple(dict.fromkeys(agencies)),
        editors=tuple(dict.fromkeys(editors)),
        dateline=dateline,
        copyright=result.copyright,
        published_at=published,
        date_precision=item.date_precision,
        story_date=partition,
        language=item.language or detect_language(result.body),
        content_hash=content_hash(result.body) if hashed else "",
        pubstatus=item.pubstatus,
        embargo_until=item.embargo_until,
        format=item.format,
        signals=tuple(dict.fromkeys(signals)),
        flags=tuple(dict.fromkeys((*item.flags, *result.flags, *date_flags))),
        byline=byline,
        ednote="\n".join(notes) or None,
        urgency=item.urgency,
    )
