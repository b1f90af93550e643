"""Trailing agency credits and copyright lines: taken off the end of a body, kept as fields.

A credit is a parenthesised group at the very end of the last paragraph whose slash-separated
tokens include at least one known agency, the others being editor initials:
``(ats/nxp)``, ``(afp/nxp)``, ``(sda/dpa)``, ``(ats/afp/nxp)``, ``(AFP)``, ``(Reuters)``.
A copyright line is a last paragraph of its own that starts with ``©``, ``(c)`` or
``Copyright``: ``© AFP``, ``Copyright 2026 The Associated Press. All rights reserved.``
Parentheses that are not credits (``(de lettre)``, ``(...)``, ``(PS)``) stay in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize.agencies import AGENCIES, canonical_agency

__all__ = ["Trailer", "strip_trailers"]

_CREDIT = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z.\- ]*(?:\s*/\s*[A-Za-z][A-Za-z.\- ]*)*)\s*\)\s*\Z")
_INITIALS = re.compile(r"\A[a-z]{2,4}\Z", re.IGNORECASE)
_COPYRIGHT = re.compile(r"\A(?:©|\(c\)|copyright\b)\s*(?P<rest>.{0,160})\Z", re.IGNORECASE)
_AGENCY_IN_TEXT = re.compile(
    r"\b(" + "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


@dataclass
class Trailer:
    """What came off the end of a body."""

    agencies: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    copyright: str | None = None


def _credit(paragraph: str) -> tuple[str, list[str], list[str]] | None:
    """Split a trailing credit off ``paragraph``: (rest, agencies, editors), or None."""
    match = _CREDIT.search(paragraph)
    if match is None:
        return None
    tokens = [t.strip() for t in match[1].split("/")]
    agencies: list[str] = []
    editors: list[str] = []
    for token in tokens:
        agency = canonical_agency(token)
        if agency is not None:
            agencies.append(agency)
        elif _INITIALS.match(token):
            editors.append(token.lower())
        else:
            return None
    if not agencies:
        return None
    return paragraph[: match.start()].rstrip(), agencies, editors


def _copyright(paragraph: str) -> tuple[str, list[str]] | None:
    match = _COPYRIGHT.match(paragraph)
    if match is None:
        return None
    found = [canonical_agency(m) for m in _AGENCY_IN_TEXT.findall(match["rest"])]
    return paragraph, [a for a in found if a]


def strip_trailers(paragraphs: list[str]) -> tuple[list[str], Trailer]:
    """Take credits and copyright lines off the end until none is left.

    Markers found later in the text (nearer its start) are listed first, so ``agencies`` reads
    in the order the markers were written.
    """
    body = list(paragraphs)
    trailer = Trailer()
    while body:
        last = body[-1]
        copyright_line = _copyright(last)
        if copyright_line is not None:
            line, agencies = copyright_line
            trailer.copyright = (
                line if trailer.copyright is None else f"{line}\n{trailer.copyright}"
            )
            trailer.agencies[:0] = agencies
            body.pop()
            continue
        credit = _credit(last)
        if credit is not None:
            rest, agencies, editors = credit
            trailer.agencies[:0] = agencies
            trailer.editors[:0] = editors
            if rest:
                body[-1] = rest
            else:
                body.pop()
            continue
        break
    return body, trailer
