"""References to other stories that agencies leave in the text for their clients' desks.

Reuters points its clients to related stories by their codes in brackets, after a sentence or
inside it: ``[nL8N1U7564]``, ``[ID:nL1N1UB1XX]``, several in one pair of brackets or one after
the other. A reader of the story on a web page cannot follow them; they come off, with the
space before them.
"""

from __future__ import annotations

import re

__all__ = ["strip_story_codes"]

# A story code: ``n``, then a letter and seven to ten capitals or digits (``nL8N1U7564``,
# ``nASB0C1D2``), ``ID:`` before it in the older form; a pair of brackets holds one or more,
# separated by commas or spaces.
_CODE = r"(?:ID:)?n[A-Z][A-Z0-9]{7,10}"
_CODES = re.compile(rf"\s*\[\s*{_CODE}(?:\s*[,;]?\s*{_CODE})*\s*\](?=\s|\Z|[.,;:)])")


def strip_story_codes(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without the story codes in brackets in them; a paragraph of codes alone
    goes."""
    if "[" not in "".join(paragraphs):
        return paragraphs
    result = []
    for paragraph in paragraphs:
        if "[" in paragraph:
            paragraph = _CODES.sub("", paragraph).strip()
        if paragraph:
            result.append(paragraph)
    return result
