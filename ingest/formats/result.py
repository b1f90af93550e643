"""What a format parser returns: the good items, and what went wrong item by item.

A payload that cannot be read at all raises ``ParseError``. A payload that can be read returns
a ``ParseResult``: one bad entry of a feed (no text, no identity, a date that is not a date)
becomes an ``ItemProblem`` that ``ingest.prepare`` turns into a reject, while the other items
go on. Warnings are notes that cost no item, such as a malformed-but-usable feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from record.story import ParsedItem

__all__ = ["ItemError", "ItemProblem", "PackageRef", "ParseResult", "read_each"]


class ItemError(Exception):
    """Raised inside a parser when one item is unusable; becomes that item's ``ItemProblem``."""

    def __init__(self, item_id: str | None, reason: str) -> None:
        super().__init__(reason)
        self.item_id = item_id
        self.reason = reason


@dataclass(frozen=True)
class ItemProblem:
    """One item of a payload that failed; ``item_id`` is the agency identity where known."""

    item_id: str | None
    reason: str


@dataclass(frozen=True)
class PackageRef:
    """A NewsML-G2 ``packageItem``: recorded by reference (what it groups), never as a story."""

    guid: str | None  # optional on a packageItem inside a newsMessage (Scoop sends none)
    version: int
    item_refs: tuple[str, ...]


@dataclass(frozen=True)
class ParseResult:
    """The items a payload holds, the items that failed and notes on the payload."""

    items: tuple[ParsedItem, ...]
    problems: tuple[ItemProblem, ...] = ()
    warnings: tuple[str, ...] = ()
    packages: tuple[PackageRef, ...] = ()


_E = TypeVar("_E")


def read_each(
    entries: Iterable[_E], read: Callable[[_E, int], ParsedItem | None]
) -> tuple[list[ParsedItem], list[ItemProblem], list[tuple[int, _E]]]:
    """``read(entry, index)`` for every entry of a payload, one bad entry costing only itself.

    Returns the items read, the ``ItemProblem`` of each entry that raised ``ItemError``, and
    the (index, entry) of those that ``read`` found not to be stories (``None``), for the
    parser's own note.
    """
    items: list[ParsedItem] = []
    problems: list[ItemProblem] = []
    skipped: list[tuple[int, _E]] = []
    for index, entry in enumerate(entries):
        try:
            item = read(entry, index)
        except ItemError as exc:
            problems.append(ItemProblem(exc.item_id, exc.reason))
            continue
        if item is None:
            skipped.append((index, entry))
        else:
            items.append(item)
    return items, problems, skipped
