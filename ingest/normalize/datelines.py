"""Datelines at the start of a body: ``PARIS (AFP) -``, ``Berlin (dpa) -``,
``NEW YORK, 3 janv. (AFP) -``, ``BUENOS AIRES, Argentina (AP) _``.

The place (with the date where given) becomes ``dateline``, the agency joins ``agencies``, and
the marker leaves the body. Only a parenthesised known agency followed by a dash makes a
dateline, so an ordinary first sentence is never cut.
"""

from __future__ import annotations

import re

from ingest.normalize.agencies import canonical_agency

__all__ = ["strip_dateline"]

_DATELINE = re.compile(
    r"\A(?P<place>[^\W\d_][\w'’.\- ]{0,40}?(?:,\s*[\w'’.\- ]{1,30}?)?)"
    r"\s*\((?P<agency>[A-Za-z][A-Za-z\-/ ]{0,40})\)\s*[-–—_]{1,2}\s*"
)


def strip_dateline(paragraph: str) -> tuple[str, str | None, list[str]]:
    """Return the paragraph without its dateline, the dateline, and the agencies it names."""
    match = _DATELINE.match(paragraph)
    if match is None or not match["place"][0].isupper():
        return paragraph, None, []
    agencies = [canonical_agency(t.strip()) for t in match["agency"].split("/")]
    if not agencies or any(a is None for a in agencies):
        return paragraph, None, []
    rest = paragraph[match.end() :]
    if not rest:
        return paragraph, None, []
    return rest, match["place"].strip(), [a for a in agencies if a]
