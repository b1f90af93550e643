"""The head of a body: editor's notes, bylines and wire signals before the story starts.

Forms (each a paragraph of its own at the start):

- notes to editors: ``Eds: ...``, ``EDITOR'S NOTE _ ...``, AP's desk lines before the byline
  or dateline (``For release ...``, ``With AM-...``, ``With US-Libya Plant, Bjt``, ``Precede
  BC-...``, ``LaserPhoto ...``, a write-through instruction in the desk's words whose label
  is missing or garbled: ``Edso T6p 5 grafs new ...; picks up 4th graf pvs``), a line that
  says which story it replaces (``Nieuw bericht, vervangt: ...``, ``replaces:``, ``ersetzt:``,
  ``remplace :``) before the byline or dateline,
  and Reuters' parenthesised notes ``(Adds comments, detail)``, ``(In Jan. 3 story, corrects
  ...)``, ``(Updates with ...)``: they become ``ednote`` (without the ``Eds:`` label); a
  release instruction (``For release Friday, Jan. 6, and thereafter``, ``For Release Sunday
  AMs``, ``EMBARGOED UNTIL 0001 GMT``, ``Sperrfrist: ...``, ``Embargo : ...``) is a note even
  where no byline or dateline follows, and carries the ``embargo`` signal;
- bylines: ``By Jonathan Underhill``, ``By HILLEL ITALIE`` with AP's title line
  (``Associated Press Writer``, ``AP Business Writer``), ``By The Associated Press``,
  ``Von ...``, ``Par ...``, ``Por ...``: they become ``byline`` (without the ``By``); a column's
  name before it stays in it (``Today in History`` / ``By The Associated Press`` is ``Today in
  History, The Associated Press``); a byline line glued to the end of a note (``Eds: ... ^By
  ANN IMSE Associated Press Writer``, AP's ``^`` starts a wire line) is the byline;
- agency disclaimers and translation marks: ``*** DISCLAIMER: THIS IS AN AUTOMATED
  TRANSLATION ... ***``, ``*** TRANSLATED ***``: dropped, with the ``translation`` signal;
- a headline repeated before the byline or dateline (words in Title Case, no full stop):
  dropped, only when a byline or dateline follows.

Signals: ``correction`` (corrects, CORRECTED), ``update`` (updates, adds, leads, subs,
inserts, writethru, recasts, replaces), ``repeat`` (repeats, refiles), ``translation``,
``embargo`` (a release instruction).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ingest.normalize.agencies import agency_like, canonical_agency
from ingest.normalize.places import is_known_place

__all__ = [
    "Header",
    "byline_names",
    "byline_text",
    "lead_byline",
    "note_signals",
    "strip_header",
]

_MAX_HEAD = 5
_MAX_CHARS = 400
#: A note that says it is one (``Eds:``) may run longer: AP's write-thru notes list every graf.
_MAX_LABELED_NOTE = 1500
_EDS = re.compile(
    r"\A(?:Eds?|EDS|Editors?|EDITORS?|DESK)\s*:\s*|\AEDITOR'?S\s+NOTE\s*[_:\-–—]\s*", re.I
)
# The pickup line of an add (a later take of a story): the dateline's place and the last words
# of the take before, "ROCKVILLE, Md.: make choices.''", "WASHN: F-14 aircraft.". Not a column's
# title ("WASHINGTON TODAY: Political Combatants ..."): the words after the colon are in lower
# case.
_PICKUP = re.compile(
    r"\A[A-Z][A-Z.'\-]+(?:\s[A-Z][A-Z.'\-]+){0,3}(?:,\s[A-Z][A-Za-z.]+)?:\s(?=[a-z`'\"‘“])"
    r"[^:]{1,80}?[.!?'’\"”]{1,3}\Z"
)
# A take's "MORE" (the story goes on in the next take) as a paragraph of its own.
_MORE = "MORE"
_DESK = re.compile(
    r"\A(?:For\s+release|With\s+(?:[A-Z]{2,}-|Laser)|Precede\s|Laser\s?(?:Photo|Color)|"
    r"LaserPhotos|This\s+(?:also|is\s+for)|Combines\s|SUBS\s|LEADS\s|INSERTS\s|Also\s+in\s)",
    re.I,
)
# A desk's instruction whose label is missing or garbled in transmission ("Edso T6p 5 grafs new
# with Barry quotes; picks up 4th graf pvs, The Washington."): the desk's own words for
# paragraphs ("graf", "grafs" counted or new) and for the earlier take ("pvs", previous), which
# prose does not use. Like the other desk lines, it is a note only before a byline or dateline.
_DESK_JARGON = re.compile(
    r"\b(?:\d+(?:st|nd|rd|th)?|top|first|second|third|last|new)\s+grafs?\b"
    r"|\bgrafs?\s+(?:\d+|new|pvs)\b|\bpvs\b",
    re.I,
)
# A release instruction: its form is its own, so it needs no byline or dateline after it.
_RELEASE = re.compile(
    r"\A(?:For\s+(?:[Rr]elease|[Uu]se)\b|Embargo(?:ed)?\b|EMBARGO(?:ED)?\b|Sperrfrist\b|"
    r"SPERRFRIST\b|Not\s+for\s+(?:release|publication|use)\s+(?:before|until)\b|"
    r"Hold\s+for\s+release\b)"
)
_MAX_RELEASE = 120
_PAREN_NOTE = re.compile(
    r"\A\((?P<note>(?:Adds|Updates?|Recasts|Corrects|Changes|Rewrites|Refiles|Repeats|Fixes|"
    r"Removes|Replaces|Moves|Inserts|Writethru|Advisory|New\s+throughout|Story\s+corrected|"
    r"In\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2}\s+story)\b[^()]{0,300})\)\Z"
)
# A line that names the story it replaces, in the languages of the desks: "Nieuw bericht,
# vervangt: ...", "Replaces: ...", "ersetzt: ...", "remplace : ...".
_REPLACES = re.compile(
    r"\A[^:]{0,40}?\b(?:vervangt|replaces|ersetzt|remplace|sostituisce|reemplaza|substitui)\s*:",
    re.I,
)
_BYLINE_DASH = re.compile(r"\s(?:--|[–—])\s")
#: How far into the lead a byline's sentence may end.
_MAX_BYLINE_SENTENCE = 120
_BY = re.compile(r"\A(?:\^?By|BY|Von|VON|Par|PAR|Por|POR)\s+(?P<who>.{2,120})\Z")
_TITLE = re.compile(
    r"\s*(?P<title>(?:The\s+)?(?:Associated\s+Press|AP)(?:\s+[A-Z][a-z]+){0,2}"
    r"(?:\s+(?:Writer|Editor|Correspondent|Columnist|Reporter))?)\Z"
)
# A byline line glued to the end of a note: AP's "^" starts a wire line ("... ^By ANN IMSE").
_GLUED_BY = re.compile(r"\s(?=\^?By\s+[A-Z])")
# A date after the byline's names, set off by a dash as pages print it.
_BYLINE_DATE = re.compile(
    r"\s[-–—]\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\s*\Z"
)
# A column's name, then the byline, in one paragraph: "Today in History By The Associated Press".
_HEADED_BY = re.compile(r"\A(?P<head>\S.{2,60}?)\s+(?P<by>(?:By|BY)\s+\S.*)\Z")
_STARS = re.compile(r"\A\*{3}\s*(?P<what>[^*]{3,200}?)\s*\*{3}\Z")
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


@dataclass
class Header:
    """What came off the head of a body."""

    notes: list[str] = field(default_factory=list)
    byline: str | None = None
    signals: list[str] = field(default_factory=list)


def note_signals(note: str) -> list[str]:
    """The wire signals an editor's note or a headline prefix carries."""
    found: list[str] = []
    if re.search(
        r"\bcorrect(?:s|ed|ion)?\b|\bIn\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2}\s+story", note, re.I
    ):
        found.append("correction")
    if re.search(
        r"\b(?:updates?|adds|leads|subs|inserts|recasts|writethru|rewrites|new\s+throughout|"
        r"replaces|vervangt|ersetzt|remplace)\b",
        note,
        re.I,
    ):
        found.append("update")
    if re.search(r"\b(?:repeats|refiles|rpt)\b", note, re.I):
        found.append("repeat")
    if re.search(r"\btranslat", note, re.I):
        found.append("translation")
    if _RELEASE.match(note):
        found.append("embargo")
    return found


def byline_text(byline: str) -> str | None:
    """A byline as the field keeps it: without ``By``, the title line after a comma."""
    text = " ".join(byline.split())
    match = _BY.match(text)
    if match is not None:
        text = match["who"]
    if " - " in text or " – " in text or " — " in text:
        # "Jane Roe - The Daily - Sunday, July 15, 2031": the date goes, the parts are a list.
        text = _BYLINE_DATE.sub("", text)
        text = re.sub(r"\s[-–—]\s", ", ", text)
    title = _TITLE.search(text)
    if title is not None and title.start() > 0:
        name = text[: title.start()].rstrip(" ,")
        if name:
            text = f"{name}, {title['title']}"
    return text or None


def byline_names(byline: str) -> str:
    """A byline's names: without the agency's title after them (``AP National Security
    Writer``)."""
    title = _TITLE.search(byline)
    if title is None or title.start() == 0:
        return byline
    return byline[: title.start()].rstrip(" ,")


def _byline(paragraph: str) -> str | None:
    match = _BY.match(paragraph)
    if match is None or len(paragraph) > 160:
        return None
    who = match["who"]
    words = _WORD.findall(who)
    # A byline names people or an agency: capitalised words, joiners, a title. Not a sentence.
    if not words or len(words) > 14 or (who.rstrip()[-1:] in ".!?:;" and not who.endswith(".")):
        return None
    lower = [
        w for w in words if w.islower() and w not in ("and", "und", "et", "y", "de", "van", "von")
    ]
    if lower:
        return None
    return byline_text(paragraph)


# The end of a byline's sentence in a lead: a full stop after a word of two letters or more
# (not an initial's, "Julian E. Barnes") or after the title in parentheses, then the text.
_BYLINE_STOP = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=\)))\.\s+(?=[\"“„«]?[A-Z0-9])")


def lead_byline(
    paragraph: str, dateline_place: Callable[[str], str | None]
) -> tuple[str, str] | None:
    """A byline written as the lead's first sentence, as descriptions scraped from pages
    carry it (``By Lee Bowman. The ability to run ...``), or glued to the dateline (``By ANNA
    MUSTER WASHINGTON (AP) -- ...``): the byline and the rest, or None.

    ``dateline_place(text)`` is the place of the dateline that opens ``text``, or None.
    """
    if not paragraph.startswith(("By ", "BY ")):
        return None
    glued = _byline_before_dateline(paragraph, dateline_place)
    if glued is not None:
        return glued
    stop = _BYLINE_STOP.search(paragraph, 3, _MAX_BYLINE_SENTENCE)
    dash = _BYLINE_DASH.search(paragraph, 3, _MAX_BYLINE_SENTENCE)
    if stop is not None and (dash is None or stop.start() < dash.start()):
        byline = _byline(paragraph[: stop.start()])
        rest = paragraph[stop.end() :]
        return (byline, rest) if byline is not None and len(rest.split()) >= 3 else None
    # The byline, then the agency's credit and a dash: "By Ed Muster, HealthDay Reporter
    # HealthDayNews -- Could ...": the credit stays for the dateline's rules.
    if dash is None:
        return None
    who, _, credit = paragraph[: dash.start()].rpartition(" ")
    if canonical_agency(credit) is None and agency_like(credit) is None:
        return None
    byline = _byline(who)
    rest = paragraph[dash.end() :]
    if byline is None or len(rest.split()) < 3:
        return None
    return byline, f"{credit}{paragraph[dash.start() : dash.end()]}{rest}"


#: A byline glued to the dateline names one to three people: the words tried before it.
_GLUED_NAME_WORDS = (2, 3, 4)


def _byline_before_dateline(
    paragraph: str, dateline_place: Callable[[str], str | None]
) -> tuple[str, str] | None:
    """``By ANNA MUSTER WASHINGTON (AP) -- ...``: the name in capitals, then a dateline whose
    place opens with a letter. Where several splits read so (``By ANNA Q. MUSTER PUBLIC
    ...``), the one whose place the gazetteer knows wins, else the shortest name."""
    words = paragraph.split(" ")
    found: list[tuple[bool, str, str]] = []
    for count in _GLUED_NAME_WORDS:
        if len(words) <= count + 3:
            break
        name = words[1 : count + 1]
        if not all(w.isupper() for w in name):
            break
        rest = " ".join(words[count + 1 :])
        place = dateline_place(rest) if rest[:1].isalpha() else None
        byline = _byline(" ".join(words[: count + 1])) if place is not None else None
        if byline is not None and place is not None:
            found.append((is_known_place(place.split(",")[0]), byline, rest))
    if not found:
        return None
    known = [f for f in found if f[0]]
    _, byline, rest = (known or found)[0]
    return byline, rest


def _headed_byline(paragraph: str) -> str | None:
    """``Today in History By The Associated Press``: the column's name, then the byline."""
    match = _HEADED_BY.match(paragraph)
    if match is None:
        return None
    head = match["head"]
    if head[-1:] in "—–" and _is_heading(head[:-1].rstrip()):
        # A provider before a dash ("The Associated Press — By JANE ROE - AP Writer"): the
        # byline alone.
        return _byline(match["by"])
    if not _is_heading(head):
        return None
    by = match["by"]
    byline = _byline(by)
    # A heading may hold the word ("Stand By Me Revival"): a byline here is AP's, in capitals or
    # with its title line ("By The Associated Press").
    if byline is None or not (by[3:].isupper() or _TITLE.search(by)):
        return None
    return f"{match['head']}, {byline}"


def _glued_byline(note: str) -> tuple[str, str] | None:
    """A note and the byline line glued to its end, or None: ``... ^By ANN IMSE ...``."""
    for match in reversed(list(_GLUED_BY.finditer(note))):
        tail = note[match.end() :]
        byline = _byline(tail)
        # A plain "By" inside a note is text unless AP's title line follows the name.
        if byline is not None and (tail.startswith("^") or _TITLE.search(tail)):
            return note[: match.start()].rstrip(), byline
    return None


def _is_heading(paragraph: str) -> bool:
    """Whether a paragraph reads as a heading: short, words in Title Case, no final stop."""
    # A heading ends in a word: not in a sentence's stop, nor in a dateline's mark ("PARIS
    # (AFP) -" left alone, as a paragraph that is nothing but a dateline is).
    if len(paragraph) > 160 or paragraph.rstrip()[-1:] in ".!?-–—_=:|":
        return False
    words = _WORD.findall(paragraph)
    if not words:
        return False
    capital = sum(1 for w in words if w[0].isupper() or len(w) <= 3)
    return capital == len(words)


def _note(paragraph: str) -> str | None:
    match = _EDS.match(paragraph)
    if match is not None and paragraph[match.end() :].strip():
        return paragraph[match.end() :].strip()
    match = _PAREN_NOTE.match(paragraph)
    if match is not None:
        return match["note"].strip()
    return None


def _confirm(pending: list[tuple[str, str]], header: Header) -> None:
    """Desk lines and headings before a note, byline or dateline: the desk lines are notes,
    headings go."""
    for kind, text in pending:
        if kind == "desk":
            header.notes.append(re.sub(_EDS, "", text))
            header.signals.extend(note_signals(text))


def strip_header(
    paragraphs: list[str], starts_story: Callable[[str], bool]
) -> tuple[list[str], Header]:
    """Take notes, bylines and disclaimers off the head of ``paragraphs``.

    ``starts_story(paragraph)`` says whether a paragraph opens with a dateline: AP's desk lines
    and a repeated headline come off only when a byline or a dateline follows them.
    """
    header = Header()
    head = paragraphs[:_MAX_HEAD]
    taken = 0
    pending: list[tuple[str, str]] = []  # (kind, text) of desk lines and headings, unconfirmed
    for index, paragraph in enumerate(head):
        labeled = paragraph[:1] in "EeD" and _EDS.match(paragraph) is not None
        too_long = len(paragraph) > (_MAX_LABELED_NOTE if labeled else _MAX_CHARS)
        if too_long or index == len(paragraphs) - 1:
            # No note or byline is this long, nor the last paragraph; a dateline may be.
            if pending and starts_story(paragraph):
                _confirm(pending, header)
                taken = index
            break
        first = paragraph[:1]
        note = _note(paragraph) if first in "EeDR(" else None
        stars = _STARS.match(paragraph) if first == "*" else None
        byline = _byline(paragraph) if first in "BVP^" else None
        if note is not None and "By " in note and (glued := _glued_byline(note)) is not None:
            note, byline = glued
        if byline is None and note is None and (" By " in paragraph or " BY " in paragraph):
            byline = _headed_byline(paragraph)
        if note is not None or stars is not None or byline is not None:
            _confirm(pending, header)
            pending = []
            if note is not None:
                header.notes.append(note)
                header.signals.extend(note_signals(note))
            elif stars is not None:
                header.signals.extend(note_signals(stars["what"]) or ["translation"])
            if byline is not None and header.byline is None:
                header.byline = byline
            taken = index + 1
            continue
        if starts_story(paragraph):
            if pending:
                _confirm(pending, header)
                taken = index
            break
        if paragraph == _MORE:
            _confirm(pending, header)
            pending = []
            taken = index + 1
            continue
        if (len(paragraph) <= _MAX_RELEASE and _RELEASE.match(paragraph)) or (
            ":" in paragraph[:40] and _PICKUP.match(paragraph)
        ):
            _confirm(pending, header)
            pending = []
            header.notes.append(paragraph)
            header.signals.extend(note_signals(paragraph))
            taken = index + 1
            continue
        if (
            _DESK.match(paragraph)
            or (":" in paragraph[:60] and _REPLACES.match(paragraph))
            or _DESK_JARGON.search(paragraph)
        ):
            pending.append(("desk", paragraph))
        elif _is_heading(paragraph):
            pending.append(("heading", paragraph))
        else:
            break
    header.signals = list(dict.fromkeys(header.signals))
    return paragraphs[taken:], header
