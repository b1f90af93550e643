"""The end of a body: credits, closing lines, copyright lines and editors' notebooks come off,
one at a time from the end, until none is left.

Markers found later in the loop sit nearer the start of the text and are listed first, so
``agencies`` and ``editors`` read in the order the markers were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.normalize.copyright import copyright_line
from ingest.normalize.credits import READERS, Credit

__all__ = ["Trailer", "strip_trailers"]

# dpa's English service ends with a notebook ("# dpa NOTEBOOK" or "# Notebook", then links,
# notes to editors and contacts, "not for publication"): it is for editors, never readers.
_NOTEBOOK = re.compile(r"\A#{1,3}\s*(?:dpa\s+)?notebook\s*\Z", re.IGNORECASE)
# Closing boilerplate: AP's rule line, automated-story and licence notes, republishers' links.
_BOILERPLATE = re.compile(
    r"\A(?:_{3,}|-{3,}|\*{3,}"
    r"|This (?:story|article) was (?:generated|produced) by Automated Insights\b.{0,300}"
    r"|Originally published (?:under|by)\b.{0,200}"
    r"|\*{3}\s*DISCLAIMER\b[^*]{0,300}\*{3}"
    r"|Share (?:this|on \w+)|Read more\b.{0,120}|Click here to comment on this article"
    r"|View Comments|Advertisement)\Z",
    re.IGNORECASE,
)


@dataclass
class Trailer:
    """What came off the end of a body."""

    agencies: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    copyright: str | None = None
    notebook: bool = False
    byline: str | None = None

    def add(self, credit: Credit) -> None:
        """Record a marker found before (nearer the start than) those already recorded."""
        self.agencies[:0] = credit.agencies
        self.editors[:0] = credit.editors
        if credit.byline is not None:
            self.byline = credit.byline
        self.copyright = _before(credit.copyright, self.copyright)

    def add_before(self, other: Trailer) -> None:
        """Record the markers of ``other``, found before (nearer the start than) these."""
        self.agencies[:0] = other.agencies
        self.editors[:0] = other.editors
        self.byline = other.byline or self.byline
        self.notebook = self.notebook or other.notebook
        self.copyright = _before(other.copyright, self.copyright)


def _before(first: str | None, then: str | None) -> str | None:
    """Two copyright lines, the one found nearer the start first."""
    return "\n".join(line for line in (first, then) if line is not None) or None


def _read(paragraph: str) -> Credit | None:
    if len(paragraph) <= 400 and _BOILERPLATE.match(paragraph):
        return Credit("")
    found = copyright_line(paragraph)
    if found is not None:
        return found
    for reader in READERS:
        found = reader(paragraph)
        if found is not None:
            return found
    return None


def _notebook_start(paragraphs: list[str]) -> int | None:
    """Index of a notebook heading that is not the first paragraph, or None."""
    for index, paragraph in enumerate(paragraphs[1:], start=1):
        if _NOTEBOOK.match(paragraph):
            return index
    return None


def strip_trailers(paragraphs: list[str]) -> tuple[list[str], Trailer]:
    """Take credits, copyright lines and notebooks off the end until none is left."""
    body = list(paragraphs)
    trailer = Trailer()
    while body:
        credit = _read(body[-1])
        if credit is not None:
            trailer.add(credit)
            if credit.rest:
                body[-1] = credit.rest
            else:
                body.pop()
            continue
        start = _notebook_start(body)
        if start is None:
            break
        del body[start:]
        trailer.notebook = True
    return body, trailer
