"""Payloads to stories: parse each with its format, normalize what it holds.

An item whose body comes out of normalization without a letter or digit (an Atom entry whose
content is a ``<video>`` or an empty CDATA section, a lone ``…``) is a reject whose reason
starts ``no text:``, for every format alike: a story always has text. A kill or a withhold
(``pubstatus`` canceled or withheld) is the exception: it is a signal about an earlier version
and may come without text.

A payload that fails goes to the rejects with the reason and the hash of its bytes; the other
payloads go on. Within a payload that holds many items (a feed, a newsMessage, a ninjs list),
an item that fails goes to the rejects on its own, named by its agency id where it has one,
with the hash of the payload it came in; the other items go on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ingest.formats import parse_payload
from ingest.normalize import normalize
from ingest.normalize.agencies import Agency, declared_agencies
from record.errors import ParseError
from record.story import RawItem, Reject, Story, sha256_hex

__all__ = ["TEXTLESS_STATUSES", "has_text", "no_text_reason", "prepare"]

log = logging.getLogger(__name__)


def _reject(raw: RawItem, reason: str, item_id: str | None = None) -> Reject:
    return Reject(
        source=raw.source,
        item_id=item_id or raw.item_id,
        reason=reason,
        sha256=sha256_hex(raw.data),
        size=len(raw.data),
        fetched_at=raw.fetched_at,
        location=raw.location,
    )


#: Statuses whose record is a signal, not text: a kill or a withhold keeps its empty body.
TEXTLESS_STATUSES = frozenset({"canceled", "withheld"})


def has_text(body: str) -> bool:
    """Whether a normalized body holds text: at least one letter or digit."""
    return any(c.isalnum() for c in body)


def no_text_reason(raw_body: str) -> str:
    """The reject reason of an item whose body normalized to no text, saying what it held."""
    held = raw_body.strip()
    if not held:
        return "no text: the body is empty"
    what = "only markup" if held.startswith("<") else "no letter or digit"
    return f"no text: the body holds {what} ({held[:60]!r})"


def prepare(raws: Iterable[RawItem], hashed: bool = True) -> tuple[list[Story], list[Reject]]:
    """Parse and normalize payloads; return the stories and the rejects (``hashed=False``:
    without their ``content_hash``, as ``normalize`` says)."""
    stories: list[Story] = []
    rejects: list[Reject] = []
    for raw in raws:
        try:
            result = parse_payload(raw)
        except ParseError as exc:
            log.warning("source %s: item %s rejected: %s", raw.source, raw.item_id, exc)
            rejects.append(_reject(raw, str(exc)))
            continue
        except Exception as exc:  # a parser bug must cost one payload, never the run
            log.exception("source %s: item %s: unexpected parser failure", raw.source, raw.item_id)
            rejects.append(_reject(raw, f"parser failure: {type(exc).__name__}: {exc}"))
            continue
        for problem in result.problems:
            log.warning("source %s: %s rejected: %s", raw.source, raw.item_id, problem.reason)
            rejects.append(_reject(raw, problem.reason, problem.item_id))
        for note in result.warnings:
            log.info("source %s: %s: %s", raw.source, raw.item_id, note)
        declared = tuple(Agency(a[0], a[1:]) for a in raw.agencies)
        for item in result.items:
            try:
                with declared_agencies(declared):
                    story = normalize(raw.source, item, raw.fetched_at, hashed)
            except Exception as exc:  # one item's normalization bug costs that item only
                log.exception("source %s: item %s: normalization failed", raw.source, item.item_id)
                rejects.append(
                    _reject(raw, f"normalize failure: {type(exc).__name__}: {exc}", item.item_id)
                )
                continue
            if not has_text(story.body) and story.pubstatus not in TEXTLESS_STATUSES:
                reason = no_text_reason(item.body)
                log.warning("source %s: %s rejected: %s", raw.source, item.item_id, reason)
                rejects.append(_reject(raw, reason, item.item_id))
                continue
            stories.append(story)
    return stories, rejects
