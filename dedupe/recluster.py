"""Re-clustering: assign clusters afresh over a span of days, from stored signatures.

Days are taken in order; each day's stories are matched, in their deterministic order,
against the stories of the ``window_days`` days before it (as this re-clustering assigned
them) and against the earlier stories of the same day: the streaming rule, replayed with the
parameters of today. The result is a separate assignment; stored cluster ids never change.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from dedupe.clusters import Entry, Match, Matcher
from dedupe.params import DEFAULT_MATCH, MatchParams
from dedupe.signatures import Signer
from dedupe.window import Member, Window

__all__ = ["DayBatch", "recluster"]


@dataclass
class DayBatch:
    """The stories of one day, in matching order."""

    day: date
    entries: list[Entry]
    extra: list[dict[str, object]] = field(default_factory=list)  # carried through untouched


def recluster(
    batches: Iterable[DayBatch], signer: Signer, params: MatchParams = DEFAULT_MATCH
) -> Iterator[tuple[DayBatch, list[Match]]]:
    """Yield each day with the matches of its stories, days in the order given."""
    num_perm = signer.params.num_perm
    history: deque[tuple[date, Window]] = deque()
    for batch in batches:
        horizon = batch.day - timedelta(days=params.window_days)
        while history and history[0][0] < horizon:
            history.popleft()
        matcher = Matcher(signer, params, Window.concat([w for _, w in history], num_perm))
        matches = matcher.assign_many(batch.entries)
        yield batch, matches
        kept = [
            Member(
                e.story_id, m.cluster_id, e.content_hash, e.shingles, e.signature, e.item, e.day,
                e.profile, e.published,
            )
            for e, m in zip(batch.entries, matches, strict=True)
            if e.matchable
        ]  # fmt: skip
        history.append((batch.day, Window.from_members(kept, num_perm)))
