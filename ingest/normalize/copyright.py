"""Copyright lines at the end of a body: taken off and kept as ``copyright``.

A copyright line is a short last paragraph that starts with ``©``, ``(c)`` or ``Copyright``
(``© AFP``, ``Copyright 2020 The Associated Press. All rights reserved.``,
``©2020 Bloomberg L.P.``), or that says all rights are reserved in one of the languages
agencies write (``Tous droits réservés``, ``Alle Rechte vorbehalten``, ``Tutti i diritti
riservati``, ``Todos los derechos reservados``). A ``© AGENCY`` after the last sentence of a
paragraph counts too, in parentheses or not; in parentheses (``(© AFP)``) after any text. The
agencies it names join ``agencies``.
"""

from __future__ import annotations

import re

from ingest.normalize.agencies import canonical_agency, per_registry
from ingest.normalize.credits import Credit

__all__ = ["copyright_line"]

# Long enough for AP's full notice, short enough never to take a paragraph of the story.
_MAX_CHARS = 300
_MARK = re.compile(r"\A(?:©|\(c\)\s)", re.IGNORECASE)
_WORD = re.compile(r"\A(?:©\s*)?copyright\b", re.IGNORECASE)
_RESERVED = re.compile(
    r"\b(?:tous\s+droits\s+(?:de\s+reproduction\s+)?(?:\w+\s+)?réservés|"
    r"all\s+rights\s+reserved|alle\s+rechte\s+vorbehalten|tutti\s+i\s+diritti\s+riservati|"
    r"riproduzione\s+riservata|todos\s+los\s+derechos\s+reservados)\b",
    re.IGNORECASE,
)
# In parentheses its shape is its own, after any text; bare, after the last sentence.
_INLINE = re.compile(
    r"(?:\s+\((?P<paren>©\s*[^©()]{1,80})\)|(?<=[.!?»\"”…)’'。！？])\s+(?P<line>©\s*[^©]{1,80}))\Z"
)
_AGENCY_IN_TEXT = per_registry(lambda agency: re.compile(rf"\b(?:{agency})\b", re.IGNORECASE))
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _agencies(line: str) -> tuple[str, ...]:
    found = (canonical_agency(m) for m in _AGENCY_IN_TEXT().findall(line))
    return tuple(a for a in found if a is not None)


def copyright_line(paragraph: str) -> Credit | None:
    """A copyright paragraph, or a ``© AGENCY`` ending the paragraph; None when there is none."""
    if len(paragraph) <= _MAX_CHARS:
        reserved = _RESERVED.search(paragraph)
        # A notice starts with its mark or its phrase. The word "Copyright" needs a year, an
        # agency or the phrase beside it ("Copyright holders will appeal..." is a sentence),
        # and a phrase later in the paragraph needs a © or an agency's name.
        if (
            _MARK.match(paragraph)
            or (
                _WORD.match(paragraph)
                and (reserved or _YEAR.search(paragraph) or _agencies(paragraph))
            )
            or (
                reserved is not None
                and (reserved.start() == 0 or "©" in paragraph or _agencies(paragraph))
            )
        ):
            return Credit("", _agencies(paragraph), (), paragraph)
    if "©" not in paragraph:
        return None
    match = _INLINE.search(paragraph, max(0, len(paragraph) - 120))
    if match is None:
        return None
    line = (match["paren"] or match["line"]).strip()
    agencies = _agencies(line)
    if not agencies and not _YEAR.search(line):
        return None
    return Credit(paragraph[: match.start()].rstrip(), agencies, (), line)
