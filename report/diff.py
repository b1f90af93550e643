"""A word-level diff between two versions of a story, as segments the page marks up."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

__all__ = ["CONTEXT_WORDS", "Segment", "WordDiff", "word_diff"]

#: A run of unchanged words longer than about twice this shows only its ends.
CONTEXT_WORDS = 6


@dataclass(frozen=True)
class Segment:
    """Words that are the same, removed or added; ``gap`` stands for ``skipped`` same words."""

    kind: Literal["same", "gap", "removed", "added"]
    text: str = ""
    skipped: int = 0


@dataclass(frozen=True)
class WordDiff:
    """``after`` against ``before``, word by word, and the counts added and removed."""

    segments: tuple[Segment, ...]
    added: int
    removed: int


def word_diff(before: str, after: str) -> WordDiff:
    """The words ``after`` added to and removed from ``before``; long unchanged runs cut."""
    a, b = before.split(), after.split()
    out: list[Segment] = []
    added = removed = 0
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = b[j1:j2]
            if len(same) > 2 * CONTEXT_WORDS + 3:
                out.append(Segment("same", " ".join(same[:CONTEXT_WORDS])))
                out.append(Segment("gap", skipped=len(same) - 2 * CONTEXT_WORDS))
                out.append(Segment("same", " ".join(same[-CONTEXT_WORDS:])))
            else:
                out.append(Segment("same", " ".join(same)))
            continue
        if i2 > i1:
            removed += i2 - i1
            out.append(Segment("removed", " ".join(a[i1:i2])))
        if j2 > j1:
            added += j2 - j1
            out.append(Segment("added", " ".join(b[j1:j2])))
    return WordDiff(tuple(out), added, removed)
