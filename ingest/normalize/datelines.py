"""Datelines at the start of a body: where and when the story was filed, and by which agency.

Forms recognised (each with any of the dashes agencies use: ``-``, ``--``, ``–``, ``—``, ``_``,
``=``, ``.-``, ``:``):

- place, agency: ``PARIS (AFP) -``, ``GENÈVE (ats) -``, ``Berlin (dpa) -``,
  ``Frankfurt/Main (dpa) -``, ``WASHINGTON (Reuters) -``, ``LONDON (Bloomberg) --``
- place, region or date, agency: ``BUENOS AIRES, Argentina (AP) _``,
  ``NEW YORK, 3 janv. (AFP) -``, ``BEIJING, Jan. 3 (Xinhua) --``, ``MADRID, 3 ene (EFE).-``,
  ``BRUXELLES 03/01 (BELGA) =``, ``TOKYO, Jan. 3 Kyodo -``
- agency first: ``(ANSA) - ROMA, 3 GEN -``, ``(Belga) ...``
- place only, as Quebec papers print it: ``WASHINGTON |``

Only a known agency makes a dateline (or, for the last form, a place in capitals followed by a
bar), so an ordinary first sentence is never cut. The place (with the region and date where
given) becomes ``dateline``, the agencies join ``agencies``, and the marker leaves the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize.agencies import AGENCY_PATTERN, canonical_agency

__all__ = ["Dateline", "strip_dateline"]

_MONTHS = (
    # en, fr, de, it, es, nl: full names and the abbreviations wire desks use.
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|"
    "september|oct|october|nov|november|dec|december|"
    "janv|janvier|févr|fév|février|mars|avr|avril|mai|juin|juil|juillet|août|sept|septembre|"
    "octobre|novembre|déc|décembre|"
    "januar|jänner|februar|märz|juni|juli|okt|oktober|dez|dezember|"
    "gen|gennaio|febbraio|marzo|aprile|maggio|giu|giugno|lug|luglio|ago|agosto|set|settembre|"
    "ott|ottobre|dic|dicembre|"
    "ene|enero|febrero|abr|abril|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|"
    "januari|februari|maart|mei|augustus"
)
_DATE = (
    rf"(?:\d{{1,2}}\.?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)"
)
_DASH = r"(?:\.-|\.?\s*(?:--?|[–—_=:]))"
_PLACE = r"[^\W\d_][\w'’./\- ]{0,40}?"
_REGION = r"[^\W\d_][\w'’.\- ]{0,30}?"
_AGENCIES = rf"(?:{AGENCY_PATTERN})(?:\s*/\s*(?:{AGENCY_PATTERN}))*"

_PLACE_FIRST = re.compile(
    rf"(?P<place>{_PLACE})"
    rf"(?:,\s*(?P<region>{_REGION}))??"
    rf"(?:,?\s+(?P<date>{_DATE}))?"
    rf"\s*(?:\((?P<agency>{_AGENCIES})\)|\s(?P<bare>kyodo|aap))"
    rf"\s*{_DASH}\s*",
    re.IGNORECASE,
)
_AGENCY_FIRST = re.compile(
    rf"\((?P<agency>{_AGENCIES})\)\s*"
    rf"(?:{_DASH}\s*(?:(?P<place>[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+)*),\s*"
    rf"(?P<date>{_DATE})\s*{_DASH}\s*)?)?",
    re.IGNORECASE,
)
_PLACE_BAR = re.compile(r"(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý'’.\- ]{1,40}?) \| ")


@dataclass(frozen=True)
class Dateline:
    """A dateline taken off a body: its text (place, region, date) and the agencies it names."""

    text: str | None
    agencies: tuple[str, ...]


def _agencies(group: str) -> tuple[str, ...]:
    found = (canonical_agency(token) for token in group.split("/"))
    return tuple(agency for agency in found if agency is not None)


def _place_text(place: str, region: str | None, date: str | None) -> str:
    return ", ".join(part.strip() for part in (place, region, date) if part and part.strip())


def _match(paragraph: str) -> tuple[Dateline, int] | None:
    match = _PLACE_FIRST.match(paragraph)
    # A place is a name of a few words, not the start of a sentence that cites an agency.
    if match is not None and match["place"][0].isupper() and len(match["place"].split()) <= 4:
        agency = match["agency"] or match["bare"]
        # A bare agency name (no parentheses) counts only after a date: ``TOKYO, Jan. 3 Kyodo -``.
        if match["agency"] or match["date"]:
            text = _place_text(match["place"], match["region"], match["date"])
            return Dateline(text, _agencies(agency)), match.end()
    match = _AGENCY_FIRST.match(paragraph)
    if match is not None:
        place = _place_text(match["place"], None, match["date"]) if match["place"] else None
        return Dateline(place, _agencies(match["agency"])), match.end()
    match = _PLACE_BAR.match(paragraph)
    if match is not None:
        return Dateline(match["place"].strip(), ()), match.end()
    return None


def strip_dateline(paragraph: str) -> tuple[str, Dateline | None]:
    """The paragraph without its dateline, and the dateline (None when it has none).

    A paragraph that is nothing but a dateline keeps it: removing a marker never empties text.
    Stacked datelines (a partner re-crediting a story) all come off, so that normalizing the
    result again finds nothing; the first gives the place.
    """
    found = _match(paragraph)
    if found is None:
        return paragraph, None
    dateline, end = found
    rest = paragraph[end:]
    agencies = list(dateline.agencies)
    text = dateline.text
    while (more := _match(rest)) is not None and rest[more[1] :]:
        agencies.extend(more[0].agencies)
        text = text or more[0].text
        rest = rest[more[1] :]
    if not rest.strip():
        return paragraph, None
    return rest, Dateline(text, tuple(agencies))
