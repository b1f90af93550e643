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
                (Sports Network), (CBS.MW), (GLOBE NEWSWIRE), (Variety.com); or the Nordic
                slashes: "København /ritzau/:"
    bare      = a listed agency without parentheses after the place or date: "Dec. 9 Kyodo -"
    SEP       = any dash ("-", "--", "–", "—", "_", "="), ".-", ":", "|"; after a group,
                nothing before a capital ("Genève (ats) Les ..."); after a place in capitals
                and no group, nothing before a capital or a short acronym ("BAGHDAD Iraq
                promised ...", "BAGHDAD US warplanes ...")
    credit    = an agency alone before the dateline or the text: "AP -", "Reuters -",
                "Kyodo -", "SPACE.com -"

Also the agency first (``(ANSA) - ROMA, 3 GEN -``, ``(Belga) ...``), the place inside the
group as AP's member papers write it (``(Columbia-AP) Nov. 24, 2004 -``), the date first
(``November 26, 2004 4:35 PM GMT (Datamonitor) -``), and the dateline that follows a lead
sentence in the same paragraph, as Austrian and German papers print it (``... verschoben.
Berlin – Für die ...``, ``... zu St. Pölten. St. Pölten – Noch ...``): a place after the end
of one of the first sentences (never across a sentence's full stop: an abbreviation's stays),
then a dash between spaces, then a capital or a digit; or a dated group after a lead, or a
credit written as agency names are before a double dash (``... study says HealthDayNews --``).

A place is a name, not a phrase: no word of it is a conjunction or a preposition that place
names do not hold (``CORRECTION ET MISE À JOUR -`` is a headline), and no initialism in
capitals stands alone before the text (``U.S. Ryder Cup captain``). A colon, a bar or no mark
at all after a place in capitals needs a sentence after it (a word in lower case among its
first words: ``RACING : Caulfield FIELDS Saturday 1`` is a rubric, not a dateline). Nor is a
company's name in capitals a place (``ARROW Exploration Corp.``, ``QUALCOMM Incorporated
(Nasdaq: QCOM)``).

Without an agency the place must be followed by a dash between spaces (or a colon after a
place in capitals), so an ordinary first sentence is never cut; with a date or a listed
agency the text after it may start in lower case (``WASHINGTON, MARCH 31 - mmO2 ...``). The
place with its region and date, as written, becomes ``dateline``; the agencies join
``agencies``; the marker leaves the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.normalize.agencies import agency_like, canonical_agency, per_registry, registry_key
from ingest.normalize.places import is_known_place

__all__ = ["Dateline", "is_bare_dateline", "opens_with_dateline", "strip_dateline"]

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
# A word never ends in a hyphen: "SAN FRANCISCO--Windows" is the place, then a glued "--".
_WORDS = r"[^\W\d_][\w'’.\-]*(?<!-)(?:(?:\s+|/)[^\W\d_][\w'’.\-]*(?<!-)){0,5}?"
_PAREN_GROUP = r"\((?P<group>[^()\n]{1,40})\)"
# A group in parentheses, or between slashes as Nordic agencies sign (``/ritzau/``) and TASS
# does, full stops on either side (``MOSCOW, January 21. /TASS/.``).
_GROUP = rf"(?:{_PAREN_GROUP}|\.?\s*/(?P<slashed>[^\W\d_][\w\-]{{1,20}})/\.?)"
# The rules that name the listed agencies are built once for each registry in force (a
# source may declare more agencies): call them to get the compiled expression.
_PLACE_FIRST = per_registry(
    lambda agency: re.compile(
        rf"(?:-{{2,}}\s*)?(?P<where>(?P<place>{_WORDS})"
        rf"(?:,\s*(?P<region>{_WORDS}))?(?:,\s*(?P<region2>{_WORDS}))?"
        rf"(?:,?\s+(?P<date>{_DATE}))?)"
        rf"(?:,?\s*{_GROUP}\s*(?P<gsep>{_SEP})?|\s+(?P<bare>{agency})\s*{_SEP}|,?(?P<sep>\s*{_SEP}))"
        r"\s*",
        re.IGNORECASE,
    )
)
# What any separator or group of _PLACE_FIRST holds: a bracket, a dash or rule with white space
# on one side or after a full stop, a long dash, an underscore, "=", "|", ":" or a slash group.
_PLACE_END = re.compile(r"[(–—_=|:]|\s-|-\s|\.-|--|\s/")
# A place in capitals and no mark, then the text: a capitalised word or a short acronym
# ("BAGHDAD US warplanes").
_CAPS_NONE = re.compile(
    r"(?P<where>[A-Z][A-Z'’.\-]+(?:\s[A-Z][A-Z'’.\-]+){0,3})\s+(?=[A-Z][a-z]|[A-Z]{2,4}\s+[a-z])"
)
# What follows such a place: a capitalised word or a short acronym ("BAGHDAD US warplanes").
_CAPS_NEXT = re.compile(r"\s+(?=[A-Z][a-z]|[A-Z]{2,4}\s)")
_INITIALISM = re.compile(r"(?:[^\W\d_]\.){2,}")
# A company's name in capitals, as press releases write it ("QUALCOMM Incorporated (Nasdaq:",
# "ARROW Exploration Corp."): a legal form or a ticker among the next words.
_COMPANY_AFTER = re.compile(
    r"(?:[A-Z][\w&.\-]*\s+){0,2}?(?:Inc|Incorporated|Corp|Corporation|Ltd|Limited|LLC|plc|"
    r"Co|Group|AG|SA|NV|GmbH)\b\.?|[^()]{0,40}\((?:Nasdaq|NYSE|TSXV?|LSE|ASX)\b",
)
_CREDIT_FIRST = re.compile(r"(?P<agency>[\w.\-]+(?:\s[A-Z][\w.\-]+)?)\s+-{1,2}\s+(?=\S)")
_AGENCY_FIRST = per_registry(
    lambda agency: re.compile(
        rf"\((?P<agency>{agency})(?:\s*/\s*(?:{agency}))*\)\s*"
        rf"(?:{_DASH}\s*(?:(?P<place>[^\W\d_][^\W\d_'’.\- ]*(?:[ '’.\-]+[^\W\d_]+)*),\s*"
        rf"(?P<date>{_DATE})\s*{_DASH}\s*)?)?",
        re.IGNORECASE,
    )
)
# An unlisted source first, then a dash: "(美國商業資訊)--", "(HealthDay) - ".
_SOURCE_FIRST = re.compile(rf"\((?P<group>[^()\n]{{2,30}})\)\s*{_DASH}\s*")
# The place inside the group, as AP's member papers write it: "(Columbia-AP) Nov. 24, 2004 -".
_PLACE_IN_GROUP = per_registry(
    lambda agency: re.compile(
        rf"\((?P<place>[^\W\d_][^\W\d_'’. ]*(?:[ '’.][^\W\d_]+){{0,3}})\s*-\s*"
        rf"(?P<agency>{agency})\)\s*(?:(?P<date>{_DATE})\s*)?{_DASH}\s*",
        re.IGNORECASE,
    )
)
# A date between the dateline and the text, set off by a dash a sentence does not use.
_DATE_DASH = re.compile(rf"(?P<date>{_DATE})\s*(?:--|[–—]|\s-(?=\s))\s*", re.IGNORECASE)
_AGENCY_IN_TEXT = per_registry(lambda agency: re.compile(agency, re.IGNORECASE))
# The date first, a clock time and zone after it, then the source: "November 26, 2004 4:35 PM
# GMT (Datamonitor) - ".
_DATE_FIRST = re.compile(
    rf"(?P<where>{_DATE}(?:,?\s+\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,5}})?)?)"
    rf"\s*{_PAREN_GROUP}\s*{_DASH}\s*",
    re.IGNORECASE,
)
# The end of a sentence (not a date's "5."; a closing quote only after the stop: in
# '"einseitige" Reportage' it closes a word), then what may be a dateline after the lead.
_LEAD_END = re.compile(r"(?:(?<=[^\d\s][.!?])|(?<=[.!?][\"“”»«’']))\s(?=[^\W_])")
# At such an end: a place, a dash between spaces, then a capital, a digit or a quote.
_LEAD_PLACE = re.compile(
    r"(?P<where>[^\W\d_][\w'’.\-]*(?:(?:\s|/)[\w'’.\-]+){0,4}?"
    r"(?:\s\([^\W\d_][\w ]{1,25}\))?)\s[–-]\s(?=[^\W_a-zäöüéèà]|[„\"»«“])"
)
# A credit written as agency names are, then a double dash, inside the lead: "... study says
# HealthDayNews -- Smoking ...".
_LEAD_CREDIT = re.compile(r"\s(?P<agency>[^\W\d_][\w.\-]{2,30})\s--\s(?=[^\W\d_])")
# A word that ends in a full stop inside a place is an abbreviation ("St.", "Mt.") or an
# initialism ("N.Y."); any other ("Pölten.") ends a sentence.
_ABBREVIATION = re.compile(r"[^\W\d_]{1,3}\.|(?:[^\W\d_]\.)+")
# A dash between spaces in the lead, where a dateline after the lead ends.
_LEAD_DASH = re.compile(r" (?:--|[–-]) ")
#: How many dashes of the lead are tried.
_LEAD_TRIES = 8
#: How far before its dash a dateline after the lead starts, at most: a place of five words,
#: or a date with its time and group.
_LEAD_REACH = 90
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
        # A byline's word: "By Ed Muster, HealthDay Reporter HealthDayNews --" is none.
        "by",
    ]
)
# Words that join the words of a phrase, never of a place name ("CORRECTION ET MISE À JOUR").
_JOINERS = frozenset(
    ["and", "et", "und", "y", "ou", "or", "oder", "à", "with", "for", "pour", "für"]
)
_INITIALS = re.compile(r"[a-z][a-z0-9]{1,5}")


@dataclass(frozen=True)
class Dateline:
    """A dateline taken off a body: its text (place, region, date) and the agencies it names."""

    text: str | None
    agencies: tuple[str, ...]

    def and_then(self, other: Dateline) -> Dateline:
        """This dateline with ``other``'s agencies after its own; the first place wins."""
        agencies = tuple(dict.fromkeys((*self.agencies, *other.agencies)))
        return Dateline(self.text or other.text, agencies)


def _is_place(where: str) -> bool:
    """A name: capitalised words, joined by particles; never an article or a sentence."""
    words = re.split(r"[\s/]+", where.strip())
    if not words or not words[0][:1].isupper() or len(words) > 6:
        return False
    if any(w.casefold() in _JOINERS for w in words):
        return False
    # A particle joins a place's words and never ends it ("Live-Übertragung am 11. August –" is
    # a heading); a full stop inside it is an abbreviation's ("St. Pölten") or it ends a
    # sentence ("... der Flüchtlingskrise. Wien –": the dateline after the lead is "Wien").
    if len(words) > 1 and words[-1].casefold() in _PARTICLES:
        return False
    if any(w.endswith(".") and not _ABBREVIATION.fullmatch(w) for w in words[:-1]):
        return False
    if words[0].casefold() in _ARTICLES and not is_known_place(" ".join(words)):
        # A sentence starts so; a few places do too ("THE HAGUE", "Den Haag", "The Dalles").
        return False
    if words[0] == "FILE" and len(words) <= 2:
        # AP's caption mark ("FILE - In this June 24, 2003 file photo ...", "FILE PHOTO -").
        return False
    return all(word[:1].isupper() or word.casefold() in _PARTICLES for word in words)


def _is_region(region: str) -> bool:
    """A region or second place after a place: names and their joiners ("Calif. and
    SINGAPORE"), not a clause ("die Interessen ihrer Wähler vertreten")."""
    words = region.split()
    return 0 < len(words) <= 6 and all(
        word[:1].isupper() or word[:1].isdigit() or word.casefold() in _PARTICLES
        or word.casefold() in _JOINERS
        for word in words
    )  # fmt: skip


def _is_lead_place(where: str) -> bool:
    """A place after a lead: a name, and no sentence's full stop inside it."""
    words = where.split()
    return _is_place(re.sub(r"\s\(.*\)$", "", where)) and all(
        not word.endswith(".") or _ABBREVIATION.fullmatch(word) for word in words[:-1]
    )


def _reads_as_sentence(rest: str) -> bool:
    """Whether the text after a mark reads as a sentence: a word in lower case comes soon."""
    return any(word[:1].islower() for word in rest[:80].split()[:5])


def _group_agencies(group: str, place_in_caps: bool) -> tuple[str, ...] | None:
    """The agencies of a group in a dateline position, or None if it is not one.

    ``place_in_caps``: the position alone says it is a source (after a place in capitals, or
    after a date and time), so one capitalised word counts too: "(Ticker)", "(Datamonitor)".
    """
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
    # A dash glued to the last word is the separator's ("SINGAPORE--(BUSINESS WIRE)").
    return ", ".join(" ".join(p.split()) for p in parts if p and p.strip()).rstrip("-–—")


def _next_starts_text(rest: str) -> bool:
    first = rest[:1]
    # A letter of a script without case (Chinese, Japanese) starts text as a capital does.
    caseless = first.isalpha() and first.lower() == first.upper()
    return bool(first) and (first.isupper() or first.isdigit() or caseless or first in "«»\"“„'`‘(")


# Every dateline form fits in this many characters; matching only the head keeps the cost per
# story flat.
_HEAD = 160
# One of the marks a dateline holds: a search that stops at the first (most paragraphs have
# one within their first words) costs less than a set of the head's characters.
_MARKS = re.compile(r"[(\-–—_=:|.]")


#: Normalizing one body asks about the same paragraph several times (the head's rules, the
#: page's, the dateline's): the answers for the last paragraphs asked about are kept.
_REMEMBERED = 256


def _match(paragraph: str) -> tuple[Dateline, int] | None:
    """The dateline at the start of ``paragraph`` and where it ends."""
    return _match_under(registry_key(), paragraph)


@lru_cache(maxsize=_REMEMBERED)
def _match_under(registry: str, paragraph: str) -> tuple[Dateline, int] | None:
    """``_match`` under the registry whose key is ``registry`` (the one in force)."""
    head = paragraph[:_HEAD]
    if not head[:2].isupper() and _MARKS.search(head) is None:
        return None
    if head.startswith("("):
        return _group_first(head)
    match = _CREDIT_FIRST.match(paragraph, 0, 60)
    if match is not None:
        agency = canonical_agency(match["agency"]) or _credit_like(match["agency"])
        if agency is not None:
            return Dateline(None, (agency,)), match.end()
    if "(" in head and (head[:1].isdigit() or head[:1].isupper()):
        dated = _dated_group(paragraph, 0)
        if dated is not None:
            return dated
    # A place-first dateline ends in a group, a dash or a colon: without one of those marks in
    # the head (most paragraphs of most stories) its costly pattern cannot match.
    match = _PLACE_FIRST().match(paragraph, 0, _HEAD) if _PLACE_END.search(head) else None
    if (
        match is not None
        and _is_place(match["place"])
        and all(_is_region(r) for r in (match["region"], match["region2"]) if r)
    ):
        found = _place_first(match, paragraph[match.end() :])
        if found is not None:
            return found, match.end()
    if not head[:2].isupper():
        return None
    match = _CAPS_NONE.match(head)
    if (
        match is not None
        and len(match["where"]) >= 4
        and _is_place(match["where"])
        and not any(_INITIALISM.fullmatch(word) for word in match["where"].split())
    ):
        return _known_caps_place(paragraph, match["where"])
    return None


def _known_caps_place(paragraph: str, where: str) -> tuple[Dateline, int] | None:
    """A place in capitals with no mark after it (``BOSTON The jury ...``): the longest run of
    its words the gazetteer knows, when a sentence follows it (``WASHINGTON US Secretary``
    is ``WASHINGTON``); a first word set in capitals (``YASSER Arafat``) is none."""
    words = where.split()
    for count in range(len(words), 0, -1):
        place = " ".join(words[:count])
        end = paragraph.index(words[count - 1]) + len(words[count - 1])
        rest = paragraph[end:]
        if not rest[:1].isspace() or not _CAPS_NEXT.match(rest):
            continue
        start = end + len(rest) - len(rest.lstrip())
        if (
            is_known_place(place.rstrip("."))
            and _reads_as_sentence(paragraph[start:])
            and _COMPANY_AFTER.match(paragraph, start, start + 60) is None
        ):
            return Dateline(place.rstrip("."), ()), start
    return None


def _group_first(head: str) -> tuple[Dateline, int] | None:
    """``(ANSA) - ROMA, 3 GEN -``, ``(Belga) ...``, ``(Columbia-AP) Nov. 24, 2004 -``."""
    match = _AGENCY_FIRST().match(head)
    if match is not None:
        place = None
        if match["place"]:
            place = f"{match['place'].strip()}, {match['date'].strip()}"
        return Dateline(place, tuple(_agencies_of(match.group(0)))), match.end()
    match = _PLACE_IN_GROUP().match(head)
    if match is not None and _is_place(match["place"]):
        agency = canonical_agency(match["agency"])
        parts = (match["place"], match["date"])
        place = ", ".join(" ".join(p.split()) for p in parts if p)
        return Dateline(place, (agency,) if agency else ()), match.end()
    match = _SOURCE_FIRST.match(head)
    if match is not None and _next_starts_text(head[match.end() :]):
        agency = agency_like(match["group"])
        if agency is not None:
            return Dateline(None, (agency,)), match.end()
    return None


def _dated_group(paragraph: str, start: int) -> tuple[Dateline, int] | None:
    """A date (and time) first, then the source's group and a dash, at ``start``."""
    match = _DATE_FIRST.match(paragraph, start, start + _HEAD)
    if match is None or not _next_starts_text(paragraph[match.end() :]):
        return None
    agencies = _group_agencies(match["group"], True)
    if not agencies:
        return None
    return Dateline(_where(match), agencies), match.end()


def _place_first(match: re.Match[str], rest: str) -> Dateline | None:
    """The dateline a match of ``_PLACE_FIRST`` reads, when its mark and what follows agree."""
    place_caps = match["place"].isupper()
    group = match["group"] if match["group"] is not None else match["slashed"]
    if group is not None:
        agencies = _group_agencies(group, place_caps)
        listed = agencies is not None and canonical_agency(group.split("/")[0]) is not None
        # An unlisted group needs the text to start after it: "Lausanne (VD) - la ville" is a
        # sentence. After a listed agency and a date, the text may start in lower case.
        # An unlisted group with no mark and no date after a name in mixed case is a ticker or
        # an aside ("McDonald's (MCD) Tuesday raised ..."), not a source ("Taipei, Nov. 12
        # (CNA) Academia Sinica ..." is one).
        marked = listed or bool(match["gsep"]) or place_caps or bool(match["date"])
        if agencies is not None and (
            (match["gsep"] and listed)
            or (_next_starts_text(rest) and marked)
            or (listed and match["date"] and rest[:1].isalpha())
        ):
            return Dateline(_where(match), agencies)
        if (
            agencies is None
            and match["group"] is not None
            and re.fullmatch(r"\s*[–-]", match["gsep"] or "")
            and (_next_starts_text(rest))
        ):
            # A region in parentheses, as German papers write it: "Sunrise (Florida) –".
            return Dateline(f"{_where(match)} ({match['group']})", ())
        return None
    if match["bare"] is not None:
        if match["date"] or place_caps:
            agency = canonical_agency(match["bare"])
            return Dateline(_where(match), (agency,) if agency else ())
        return None
    sep = match["sep"].strip()
    # A place in mixed case needs a dash a sentence does not use ("Wien –", "Houston --"):
    # "Wood - Ireland can win" is a headline.
    dashes = r"\s+(?:-{1,2}|[–—_])" if place_caps else r"\s+(?:--|[–—])"
    spaced = re.fullmatch(dashes, match["sep"]) is not None
    starts = _next_starts_text(rest) or (match["date"] is not None and rest[:1].isalpha())
    # A double dash glued to the place ("BALTIMORE--Proponents") is also a slug line's
    # ("BC-OLY--Women's Marathon"): the place must be one the gazetteer knows.
    glued = sep == "--" and not match["sep"][:1].isspace()
    if (spaced or sep == "--") and starts and (not glued or is_known_place(match["place"])):
        return Dateline(_where(match), ())
    # A colon or a bar only after a place in capitals, and before a sentence: "BAGHDAD :",
    # "WASHINGTON |" (not a rubric: "RACING : Caulfield FIELDS Saturday 1").
    if sep in (":", "|") and place_caps and starts and _reads_as_sentence(rest):
        return Dateline(_where(match), ())
    return None


def _credit_like(token: str) -> str | None:
    """An agency or publisher alone before the text: a domain or CamelCase, never a word."""
    # A word in capitals alone before a dash is a place ("BOSTON --"), not a credit.
    if token.isupper() or (token[:1].isupper() and token[1:].islower()):
        return None
    return agency_like(token)


def _agencies_of(text: str) -> list[str]:
    found = (canonical_agency(m) for m in _AGENCY_IN_TEXT().findall(text))
    return [a for a in found if a is not None]


def _stacked(dateline: Dateline, paragraph: str, start: int) -> tuple[Dateline, int]:
    """``dateline`` with the datelines stacked after it from ``start`` (a partner re-crediting
    a story, ``SPACE.com - TORONTO, Canada --``) and where they end; one that is all the
    paragraph has left stays. The date may follow the group between dashes, as press-release
    wires write it (``SAN FRANCISCO--(BUSINESS WIRE)--Oct. 12, 2004--``)."""
    while True:
        more = _match(paragraph[start:])
        if more is not None and paragraph[start + more[1] :]:
            dateline = dateline.and_then(more[0])
            start += more[1]
            continue
        date = _DATE_DASH.match(paragraph, start, start + _HEAD)
        if date is None or not _next_starts_text(paragraph[date.end() :]):
            return dateline, start
        text = " ".join(date["date"].split())
        dateline = Dateline(
            f"{dateline.text}, {text}" if dateline.text else text, dateline.agencies
        )
        start = date.end()


def _lead_place(where: str) -> Dateline:
    """The dateline a place after the lead reads: a listed agency in its parentheses is the
    agency ("Graz (APA) –"), anything else a region ("Sunrise (Florida) –")."""
    where = " ".join(where.split())
    group = re.search(r"\s\((?P<group>[^()]+)\)\Z", where)
    if group is not None and (agency := canonical_agency(group["group"])) is not None:
        return Dateline(where[: group.start()], (agency,))
    return Dateline(where, ())


def _after_lead(paragraph: str) -> tuple[str, Dateline] | None:
    """``Lead sentence. Wien – Text``: the lead stays, the dateline goes.

    Each dash between spaces in the lead is looked at, with the ends of sentences just before it
    where its dateline would start: a lead without such a dash (most paragraphs) costs a few
    substring tests.
    """
    lead = paragraph[:_LEAD_SPAN]
    if " – " not in lead and " - " not in lead and " -- " not in lead:
        return None
    for tries, dash in enumerate(_LEAD_DASH.finditer(lead)):
        if tries == _LEAD_TRIES:
            break
        for end in _LEAD_END.finditer(paragraph, max(0, dash.start() - _LEAD_REACH), dash.start()):
            start = end.end()
            found: tuple[Dateline, int] | None = None
            match = _LEAD_PLACE.match(paragraph, start, _LEAD_SPAN)
            if match is not None and match.end() == dash.end() and _is_lead_place(match["where"]):
                found = _lead_place(match["where"]), match.end()
            elif "(" in paragraph[start : dash.start()]:
                found = _dated_group(paragraph, start)
            if found is not None:
                dateline, stop = found
                # Stacked datelines after it come off with it, as at the start of a paragraph.
                dateline, stop = _stacked(dateline, paragraph, stop)
                return paragraph[: end.start()] + " " + paragraph[stop:], dateline
    if " -- " in lead:
        for credit in _LEAD_CREDIT.finditer(paragraph, 0, _LEAD_SPAN):
            agency = _credit_like(credit["agency"])
            if agency is not None:
                rest = paragraph[: credit.start()] + " " + paragraph[credit.end() :]
                return rest, Dateline(None, (agency,))
    return None


def is_bare_dateline(paragraph: str) -> bool:
    """Whether ``paragraph`` is a dateline and nothing else (kept: a marker never empties text)."""
    found = _match(paragraph)
    return found is not None and not paragraph[found[1] :].strip()


def opens_with_dateline(paragraph: str) -> bool:
    """Whether a dateline opens ``paragraph`` (at its start, not after a lead sentence)."""
    found = _match(paragraph)
    return found is not None and bool(paragraph[found[1] :].strip())


def strip_dateline(paragraph: str) -> tuple[str, Dateline | None]:
    """The paragraph without its dateline, and the dateline (None when it has none).

    A paragraph that is nothing but a dateline keeps it: removing a marker never empties text.
    Stacked datelines (a partner re-crediting a story, or ``SPACE.com - TORONTO, Canada --``)
    all come off, and so does a dateline after the lead that follows them, so that normalizing
    the result again finds nothing; the first place wins.
    """
    return _strip_under(registry_key(), paragraph)


@lru_cache(maxsize=_REMEMBERED)
def _strip_under(registry: str, paragraph: str) -> tuple[str, Dateline | None]:
    """``strip_dateline`` under the registry whose key is ``registry`` (the one in force)."""
    found = _match(paragraph)
    if found is None:
        after = _after_lead(paragraph)
        if after is None:
            return paragraph, None
        return after
    dateline, end = _stacked(found[0], paragraph, found[1])
    rest = paragraph[end:]
    if not rest.strip():
        return paragraph, None
    # A dateline after the lead of what follows comes off too: left in, it would come off when
    # the body is normalized again.
    after = _after_lead(rest)
    if after is not None:
        rest = after[0]
        dateline = Dateline(dateline.text, dateline.and_then(after[1]).agencies)
    return rest, dateline
