"""Payloads to stories: parse each with its format, normalize what it holds.

A payload that fails goes to the rejects with the reason and the hash of its bytes; the other
payloads go on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ingest.errors import ParseError
from ingest.formats import parse
from ingest.normalize import normalize
from ingest.story import RawItem, Reject, Story, sha256_hex

__all__ = ["prepare"]

log = logging.getLogger(__name__)


def _reject(raw: RawItem, reason: str) -> Reject:
    return Reject(
        source=raw.source,
        item_id=raw.item_id,
        reason=reason,
        sha256=sha256_hex(raw.data),
        size=len(raw.data),
        fetched_at=raw.fetched_at,
        location=raw.location,
    )


def prepare(raws: Iterable[RawItem]) -> tuple[list[Story], list[Reject]]:
    """Parse and normalize payloads; return the stories and the rejects."""
    stories: list[Story] = []
    rejects: list[Reject] = []
    for raw in raws:
        try:
            items = parse(raw)
            prepared = [normalize(raw.source, item) for item in items]
        except ParseError as exc:
            log.warning("source %s: item %s rejected: %s", raw.source, raw.item_id, exc)
            rejects.append(_reject(raw, str(exc)))
            continue
        except Exception as exc:  # a parser bug must cost one payload, never the run
            log.exception("source %s: item %s: unexpected parser failure", raw.source, raw.item_id)
            rejects.append(_reject(raw, f"parser failure: {type(exc).__name__}: {exc}"))
            continue
        stories.extend(prepared)
    return stories, rejects
