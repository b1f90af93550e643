"""Datelines: where and when the story was filed, and by which agency.

A dateline is read by a grammar, not from a list of seen strings:

    dateline  = [credit SEP] place {"," region} [","] [date] [group | bare] SEP
    place     = a capitalised name of one to five words ("BRIARCLIFF MANOR", "St. Pölten",
                "Frankfurt/Main", "Stuttgart/Trier"); short lower-case particles ("im", "de",
                "an der") may join its words
    date      = the forms of each language: "Oct 20", "Jan. 3", "MARCH 31", "Nov. 24, 2004",
                "2 jan", "21 ene", "3 janv.", "21 Nov. 2024", "11.9.2015", "03/01"
    group     = "(" agency {"/" agency-or-initials} ")": a listed agency or one written as
                agency names are (see ``agencies.agency_like``): (AFP), (ats/afp), (dpa/lni),
                (Sports Network), (CBS.MW), (GLOBE NEWSWIRE), (Variety.com)
    bare      = a listed agency without parentheses after the place or date: "Dec. 9 Kyodo -"
    SEP       = any dash ("-", "--", "–", "—", "_", "="), ".-", ":", "|"; after a group,
                nothing before a capital ("Genève (ats) Les ..."); after a place in capitals
                and no group, nothing before a capital ("BAGHDAD Iraq promised ...")
    credit    = an agency alone before the dateline or the text: "AP -", "Reuters -",
                "Kyodo -", "SPACE.com -"

Also the agency first (``(ANSA) - ROMA, 3 GEN -``, ``(Belga) ...``), and the dateline that
follows a lead sentence in the same paragraph, as Austrian and German papers print it
(``... verschoben. Berlin – Für die ...``): a place after the end of the first sentences,
then a dash between spaces, then a capital.

Without an agency the place must be followed by a dash between spaces (or a colon after a
place in capitals), so an ordinary first sentence is never cut. The place with its region and
date, as written, becomes ``dateline``; the agencies join ``agencies``; the marker leaves the
body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize.agencies import AGENCY_PATTERN, agency_like, canonical_agency

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
    rf"(?:\d{{1,2}}\.?\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:,?\s+\d{{4}})?"
    r"|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)(?![\w/])"
)
_DASH = r"(?:\.-|\.?\s*(?:-{1,2}|[–—_=|]))"
_SEP = rf"(?:{_DASH}|\s*:(?=\s))"
_WORDS = r"[^\W\d_][\w'’.\-]*(?:(?:\s+|/)[^\W\d_][\w'’.\-]*){0,5}?"
_GROUP = r"\((?P<group>[^()\n]{1,40})\)"
_BARE = rf"(?P<bare>{AGENCY_PATTERN})"

_PLACE_FIRST = re.compile(
    rf"(?:-{{2,}}\s*)?(?P<where>(?P<place>{_WORDS})"
    rf"(?:,\s*(?P<region>{_WORDS}))?(?:,\s*(?P<region2>{_WORDS}))?"
    rf"(?:,?\s+(?P<date>{_DATE}))?)"
    rf"(?:\s*{_GROUP}\s*(?P<gsep>{_SEP})?|\s+{_BARE}\s*{_SEP}|(?P<sep>\s*{_SEP}))\s*",
    re.IGNORECASE,
)
# What any separator or group of _PLACE_FIRST holds: a bracket, a dash or rule with white space
# on one side or after a full stop, a long dash, an underscore, "=", "|" or ":".
_PLACE_END = re.compile(r"[(–—_=|:]|\s-|-\s|\.-|--")
_CAPS_NONE = re.compile(r"(?P<where>[A-Z][A-Z'’.\-]+(?:\s[A-Z][A-Z'’.\-]+){0,3})\s+(?=[A-Z][a-z])")
_CREDIT_FIRST = re.compile(r"(?P<agency>[\w.\-]+(?:\s[A-Z][\w.\-]+)?)\s+-{1,2}\s+(?=\S)")
_AGENCY_FIRST = re.compile(
    rf"\((?P<agency>{AGENCY_PATTERN})(?:\s*/\s*(?:{AGENCY_PATTERN}))*\)\s*"
    rf"(?:{_DASH}\s*(?:(?P<place>[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+)*),\s*"
    rf"(?P<date>{_DATE})\s*{_DASH}\s*)?)?",
    re.IGNORECASE,
)
# The dateline after a lead: the end of a sentence (not a date's "5."), a place, a dash.
_AFTER_LEAD = re.compile(
    r"(?<=[^\d\s][.!?\"“”»«])\s(?P<where>[^\W\d_][\w'’.\-]*(?:(?:\s|/)[\w'’.\-]+){0,4}?"
    r"(?:\s\([^\W\d_][\w ]{1,25}\))?)\s[–-]\s(?=[^\W\d_a-zäöüéèà]|[„\"»«“])"
)
_LEAD_SPAN = 600
_PARTICLES = frozenset(
    [
        "im",
        "am",
        "an",
        "der",
        "den",
        "dem",
        "de",
        "la",
        "le",
        "les",
        "du",
        "des",
        "el",
        "del",
        "di",
        "da",
        "do",
        "of",
        "on",
        "upon",
        "sur",
        "sous",
        "en",
        "bei",
        "ob",
    ]
)
# Words that start a sentence, never a place (places may start "Los", "Le", "La", "El").
_ARTICLES = frozenset(
    [
        "der",
        "die",
        "das",
        "ein",
        "eine",
        "einer",
        "dem",
        "den",
        "des",
        "the",
        "a",
        "an",
        "this",
        "these",
        "dieser",
        "diese",
        "un",
        "une",
    ]
)
_INITIALS = re.compile(r"[a-z][a-z0-9]{1,5}")


@dataclass(frozen=True)
class Dateline:
    """A dateline taken off a body: its text (place, region, date) and the agencies it names."""

    text: str | None
    agencies: tuple[str, ...]


def _is_place(where: str) -> bool:
    """A name: capitalised words, joined by particles; never an article or a sentence."""
    words = re.split(r"[\s/]+", where.strip())
    if not words or not words[0][:1].isupper() or len(words) > 6:
        return False
    if words[0].casefold() in _ARTICLES:
        return False
    return all(word[:1].isupper() or word.casefold() in _PARTICLES for word in words)


def _group_agencies(group: str, place_in_caps: bool) -> tuple[str, ...] | None:
    """The agencies of a group in a dateline position, or None if it is not one."""
    tokens = [t.strip() for t in group.split("/")]
    agencies: list[str] = []
    for index, token in enumerate(tokens):
        known = canonical_agency(token)
        if known is not None:
            agencies.append(known)
            continue
        like = agency_like(token)
        if like is None and place_in_caps and re.fullmatch(r"[A-Z][a-z]{2,}", token):
            like = token.casefold()  # (Ticker) after MADRID, Spain
        if like is not None and index == 0:
            agencies.append(like)
        elif index > 0 and _INITIALS.fullmatch(token):
            continue  # an editor's initials beside the agency
        elif like is not None:
            agencies.append(like)
        else:
            return None
    return tuple(agencies)


def _where(match: re.Match[str]) -> str:
    if "place" not in match.re.groupindex:
        return " ".join(match["where"].split())
    parts = (match["place"], match["region"], match["region2"], match["date"])
    return ", ".join(" ".join(p.split()) for p in parts if p and p.strip())


def _next_starts_text(rest: str) -> bool:
    first = rest[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in "«»\"“„'`‘(")


# Every dateline form fits in this many characters; matching only the head keeps the cost per
# story flat.
_HEAD = 160
_MARKS = frozenset("(-–—_=:|.")


def _match(paragraph: str) -> tuple[Dateline, int] | None:
    head = paragraph[:_HEAD]
    if not _MARKS.intersection(head) and not head[:2].isupper():
        return None
    if head.startswith("("):
        match = _AGENCY_FIRST.match(head)
        if match is not None:
            place = None
            if match["place"]:
                place = f"{match['place'].strip()}, {match['date'].strip()}"
            return Dateline(place, tuple(_agencies_of(match.group(0)))), match.end()
        return None
    match = _CREDIT_FIRST.match(paragraph, 0, 60)
    if match is not None:
        agency = canonical_agency(match["agency"]) or _credit_like(match["agency"])
        if agency is not None:
            return Dateline(None, (agency,)), match.end()
    # A place-first dateline ends in a group, a dash or a colon: without one of those marks in
    # the head (most paragraphs of most stories) its costly pattern cannot match.
    match = _PLACE_FIRST.match(paragraph, 0, _HEAD) if _PLACE_END.search(head) else None
    if match is not None and _is_place(match["place"]):
        place_caps = match["place"].isupper()
        rest = paragraph[match.end() :]
        if match["group"] is not None:
            agencies = _group_agencies(match["group"], place_caps)
            listed = (
                agencies is not None and canonical_agency(match["group"].split("/")[0]) is not None
            )
            # An unlisted group needs the text to start after it: "Lausanne (VD) - la ville"
            # is a sentence.
            if agencies is not None and ((match["gsep"] and listed) or _next_starts_text(rest)):
                return Dateline(_where(match), agencies), match.end()
            if (
                agencies is None
                and re.fullmatch(r"\s*[–-]", match["gsep"] or "")
                and (_next_starts_text(rest))
            ):
                # A region in parentheses, as German papers write it: "Sunrise (Florida) –".
                return Dateline(f"{_where(match)} ({match['group']})", ()), match.end()
        elif match["bare"] is not None:
            if match["date"] or place_caps:
                agency = canonical_agency(match["bare"])
                return Dateline(_where(match), (agency,) if agency else ()), match.end()
        elif match["sep"] is not None:
            sep = match["sep"].strip()
            # A place in mixed case needs a dash a sentence does not use ("Wien –",
            # "Houston --"): "Wood - Ireland can win" is a headline.
            dashes = r"\s+(?:-{1,2}|[–—_])" if place_caps else r"\s+(?:--|[–—])"
            spaced = re.fullmatch(dashes, match["sep"]) is not None
            # A colon or a bar only after a place in capitals: "BAGHDAD :", "WASHINGTON |".
            if ((spaced or sep in ("--",)) or (sep in (":", "|") and place_caps)) and (
                _next_starts_text(rest)
            ):
                return Dateline(_where(match), ()), match.end()
    if not head[:2].isupper():
        return None
    match = _CAPS_NONE.match(head)
    if match is not None and len(match["where"]) >= 4 and _is_place(match["where"]):
        return Dateline(_where(match), ()), match.end()
    return None


def _credit_like(token: str) -> str | None:
    """An agency or publisher alone before the text: a domain or CamelCase, never a word."""
    # A word in capitals alone before a dash is a place ("BOSTON --"), not a credit.
    if token.isupper() or (token[:1].isupper() and token[1:].islower()):
        return None
    return agency_like(token)


def _agencies_of(text: str) -> list[str]:
    found = (canonical_agency(m) for m in re.findall(AGENCY_PATTERN, text, re.IGNORECASE))
    return [a for a in found if a is not None]


def _after_lead(paragraph: str) -> tuple[str, Dateline] | None:
    """``Lead sentence. Wien – Text``: the lead stays, the dateline goes."""
    lead = paragraph[:_LEAD_SPAN]
    if " – " not in lead and " - " not in lead:
        return None
    match = _AFTER_LEAD.search(paragraph, 0, _LEAD_SPAN)
    if match is None or not _is_place(re.sub(r"\s\(.*\)$", "", match["where"])):
        return None
    rest = paragraph[: match.start()] + " " + paragraph[match.end() :]
    return rest, Dateline(" ".join(match["where"].split()), ())


def strip_dateline(paragraph: str) -> tuple[str, Dateline | None]:
    """The paragraph without its dateline, and the dateline (None when it has none).

    A paragraph that is nothing but a dateline keeps it: removing a marker never empties text.
    Stacked datelines (a partner re-crediting a story, or ``SPACE.com - TORONTO, Canada --``)
    all come off, so that normalizing the result again finds nothing; the first place wins.
    """
    found = _match(paragraph)
    if found is None:
        after = _after_lead(paragraph)
        if after is None:
            return paragraph, None
        return after
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
    return rest, Dateline(text, tuple(dict.fromkeys(agencies)))
