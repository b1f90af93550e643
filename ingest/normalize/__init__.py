"""Normalization: a parsed item to a clean ``Story`` with its markers kept as fields.

Deterministic and idempotent: the same input always gives the same story, and normalizing a
story's own text again changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from ingest.normalize.credits import strip_trailers
from ingest.normalize.datelines import strip_dateline
from ingest.normalize.language import detect_language
from ingest.normalize.text import clean_text, join_paragraphs, split_paragraphs, words
from ingest.story import ParsedItem, Story, make_story_id

__all__ = ["content_hash", "normalize", "normalize_body", "words"]

#: Flag set on a story whose markers were left in because removing them would empty it.
FLAG_MARKERS_KEPT = "markers-kept-body-would-be-empty"


def content_hash(body: str) -> str:
    """sha256 of the body's word tokens: equal for copies that differ only in typography."""
    return hashlib.sha256(" ".join(words(body)).encode()).hexdigest()


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def normalize_body(text: str) -> tuple[str, str | None, list[str], list[str], str | None, bool]:
    """Clean ``text`` and take its markers off.

    Returns (body, dateline, agencies, editors, copyright, markers_kept); ``markers_kept`` is
    True when taking the markers off would have left no text, in which case they stay.
    """
    paragraphs = split_paragraphs(clean_text(text))
    original = list(paragraphs)
    dateline: str | None = None
    agencies: list[str] = []
    if paragraphs:
        first, dateline, agencies = strip_dateline(paragraphs[0])
        paragraphs[0] = first
    paragraphs, trailer = strip_trailers(paragraphs)
    if not paragraphs:
        return join_paragraphs(original), None, [], [], None, True
    return (
        join_paragraphs(paragraphs),
        dateline,
        agencies + trailer.agencies,
        trailer.editors,
        trailer.copyright,
        False,
    )


def normalize(source: str, item: ParsedItem) -> Story:
    """Turn one parsed item of ``source`` into a normalized ``Story``."""
    body, dateline, agencies, editors, copyright_line, kept = normalize_body(item.body)
    headline = None
    if item.headline:
        headline = " ".join(split_paragraphs(clean_text(item.headline))) or None
    published = item.published_at
    if published is not None:
        published = published.astimezone(UTC) if published.tzinfo else published.replace(tzinfo=UTC)
    story_date = (published or datetime.now(UTC)).date()
    return Story(
        story_id=make_story_id(source, item.item_id, item.version),
        source=source,
        item_id=item.item_id,
        version=item.version,
        headline=headline,
        body=body,
        agencies=_unique(agencies),
        editors=_unique(editors),
        dateline=dateline,
        copyright=copyright_line,
        published_at=published,
        date_precision=item.date_precision,
        story_date=story_date,
        language=item.language or detect_language(body),
        content_hash=content_hash(body),
        pubstatus=item.pubstatus,
        embargo_until=item.embargo_until,
        format=item.format,
        signals=item.signals,
        flags=(FLAG_MARKERS_KEPT,) if kept else (),
    )
