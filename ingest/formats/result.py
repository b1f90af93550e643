"""What a format parser returns: the good items, and what went wrong item by item.

A payload that cannot be read at all raises ``ParseError``. A payload that can be read returns
a ``ParseResult``: one bad entry of a feed (no text, no identity, a date that is not a date)
becomes an ``ItemProblem`` that ``ingest.prepare`` turns into a reject, while the other items
go on. Warnings are notes that cost no item, such as a malformed-but-usable feed.
"""

from __future__ import annotations

from dataclasses import dataclass

from record.story import ParsedItem

__all__ = ["ItemError", "ItemProblem", "PackageRef", "ParseResult"]


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
