"""The page around a report republished on the web: its head before the dateline, and its
byline slot.

A publisher that runs agency copy on its site wraps it in a page: the title and deck, the
byline slot, time stamps, photos with their captions and credits, share and save widgets.
Extracted as text, that page comes before the dateline that opens the report. The head is
recognised by its structure, not by a publisher's words:

    head      = title {furniture} dateline-paragraph
    title     = the first paragraph, a heading: no sentence's stop at its end
    furniture = any paragraph of the page (a caption, a credit, a widget, a time stamp, the
                byline slot), none of them longer than a report's paragraph is

and it comes off only when the paragraph after it opens with a dateline (the report's first
paragraph: a place and its mark) and the head shows the page: one paragraph only (the title),
or among its paragraphs a time stamp, a byline slot or a widget of a word or two.

The byline slot is a paragraph of names (capitalised words joined by commas and ``and``,
``und``, ``et``; a provider's name such as ``The Hill`` or ``USA TODAY`` reads the same),
``By`` before it or the page's marks after it: a bullet ``•``, a time stamp in the same
paragraph (``Jane Roe, The Associated Press • July 15, 2018 8:21 am``, ``USA TODAY Published
5:57 a.m. ET July 16, 2018``), a time stamp in the paragraph after it, or the dateline right
after it. Its text becomes ``byline``. A name after a caption with none of these marks is the
photo's credit and goes with the head.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.normalize.header import byline_text

__all__ = ["byline_slot", "is_time_stamp", "strip_page_head"]

#: A page's head is never longer than this many paragraphs (a gallery of ten photos with their
#: captions and credits fits).
_MAX_HEAD = 60
#: No paragraph of a page's head is as long as this: a longer one is the report's text.
_MAX_FURNITURE = 600
_STOP = frozenset(".!?")

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"januar|jänner|februar|märz|juni|juli|august|oktober|dezember)\.?"
)
_WEEKDAY = (
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag"
)
_CLOCK = r"\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"
_DAY_DATE = (
    rf"(?:(?:{_WEEKDAY}),?\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}})"
)
# A page's time stamp: a date, a time or both, with the words pages put before them
# ("Published", "Updated", "Posted", "Publié", "Aktualisiert") and marks between them.
_STAMP_WORDS = (
    r"(?:published|updated|posted|last\s+updated|modified|publié(?:\s+le)?|mis\s+à\s+jour"
    r"(?:\s+le)?|publiziert|aktualisiert(?:\s+am)?|veröffentlicht(?:\s+am)?)"
)
_STAMP_PART = rf"(?:{_STAMP_WORDS}:?|{_DAY_DATE}|{_CLOCK}|at|à|um|@|ET|[,;•|—–\-])"
_STAMP = re.compile(rf"(?:\s*{_STAMP_PART})+\s*", re.IGNORECASE)
_STAMP_TAIL = re.compile(
    rf"\s+(?:{_STAMP_WORDS}:?\s+)?(?=(?:(?:{_WEEKDAY}),?\s+)?(?:{_MONTH}\s+\d|\d)){_STAMP.pattern}\Z",
    re.IGNORECASE,
)
# The report's dateline on a page is the agencies' own, its place in capitals ("HELSINKI (AP)
# —", "TURKU, Finland —"): a name in running text before a dash is not one. AP's caption mark
# "FILE -" opens a caption, not a report.
_CAPS_PLACE = re.compile(r"\A(?!FILE\b)[A-ZÀ-Þ]{2}[A-ZÀ-Þ.'’\-]*\b(?![a-z])")
_HAS_DIGIT = re.compile(r"\d")
_NAME_WORD = re.compile(r"[A-ZÀ-Þ](?:[\w'’\-]+\.?|\.)\Z")
_JOINERS = frozenset({"and", "und", "et", "&", "de", "van", "von", "der", "du", "la", "le"})
_BULLET = re.compile(r"\s*[•|·]\s*\Z")
# "PROVIDER — By NAMES - TITLE": the provider before the byline goes, the byline stays.
_PROVIDER_BY = re.compile(r"\A[^—–]{2,40}\s[—–]\s+(?=By\s)")
_BY = re.compile(r"\A(?:By|BY|Von|VON|Par|PAR)\s+")
# Names glued to the agency's name after them, as pages join two elements:
# "Jane RoeAssociated Press".
_GLUED = re.compile(r"(?<=[a-z])(?=(?:The\s)?Associated\sPress\Z)")


def is_time_stamp(paragraph: str) -> bool:
    """Whether a paragraph is a page's time stamp and nothing else: ``July 15, 2018 8:21 am``,
    ``Updated: 3:36 AM, July 16, 2018``, ``Publié le 3 juin 2024 à 10h12``, ``11 min ago``."""
    if len(paragraph) > 80 or _HAS_DIGIT.search(paragraph) is None:
        return False
    match = _STAMP.fullmatch(paragraph)
    return match is not None and _HAS_DIGIT.search(paragraph) is not None


def _names(text: str) -> bool:
    """Whether ``text`` is names only: capitalised words, commas and joiners, a few words each."""
    words = text.replace(",", " , ").split()
    if not words or len(words) > 16:
        return False
    run = 0
    for word in words:
        if word == ",":
            run = 0
            continue
        if word in _JOINERS:
            if word in ("and", "und", "et", "&"):
                run = 0
            continue
        if _NAME_WORD.match(word) is None:
            return False
        run += 1
        if run > 4:
            return False
    return any(w not in _JOINERS and w != "," for w in words)


def byline_slot(paragraph: str, marked: bool = False, before_dateline: bool = False) -> str | None:
    """The byline a page's byline slot holds, or None when ``paragraph`` is not one.

    ``marked`` says that the page marks the slot around it (a time stamp after it); without
    that, the paragraph must carry a mark of its own: ``By``, a bullet, a time stamp. Right
    before the dateline (``before_dateline``), a list of people is a byline too (``Jane Roe
    and John Doe``): a comma or a joiner between names, not a label of one or two words."""
    if len(paragraph) > 160:
        return None
    text = _PROVIDER_BY.sub("", paragraph.strip())
    has_by = _BY.match(text) is not None
    stamp = _STAMP_TAIL.search(text)
    if stamp is not None and stamp.start() > 0:
        text, marked = text[: stamp.start()], True
    bullet = _BULLET.search(text)
    if bullet is not None:
        text, marked = text[: bullet.start()], True
    text = _GLUED.sub(", ", text.strip(" ,;•|—–-"))
    if before_dateline and not (has_by or marked):
        marked = re.search(r",|\s(?:and|und|et|&)\s", text) is not None
    if not (has_by or marked) or "|" in text:
        return None
    who = _BY.sub("", text)
    # A provider's title after the names ("- Associated Press") reads as one more name.
    if not _names(re.sub(r"\s[—–-]\s", " , ", who)):
        return None
    return byline_text(re.sub(r"\s[—–-]\s", " ", text))


def _heading(paragraph: str) -> bool:
    text = paragraph.rstrip()
    return 0 < len(text) <= 200 and text[-1] not in _STOP and not text.endswith(("”", '"'))


def strip_page_head(
    paragraphs: list[str], opens_with_dateline: Callable[[str], bool]
) -> tuple[list[str], str | None]:
    """``paragraphs`` without a web page's head before the report's dateline, and the byline
    its byline slot holds (None when there is none, or no head came off)."""
    if len(paragraphs) < 2 or not _heading(paragraphs[0]):
        return paragraphs, None
    start = None
    for index in range(1, min(len(paragraphs), _MAX_HEAD + 1)):
        paragraph = paragraphs[index]
        if len(paragraph) > _MAX_FURNITURE:
            # The report's text: a dateline opens it here or nowhere.
            if _CAPS_PLACE.match(paragraph) and opens_with_dateline(paragraph):
                start = index
            break
        if _CAPS_PLACE.match(paragraph) and opens_with_dateline(paragraph):
            start = index
            break
    if start is None or index == len(paragraphs):
        return paragraphs, None
    head = paragraphs[:start]
    byline = None
    shows_page = len(head) == 1
    for index, paragraph in enumerate(head):
        after = paragraphs[index + 1]
        stamp = is_time_stamp(paragraph)
        if stamp or len(paragraph.split()) <= 2:
            shows_page = True
        if byline is None and not stamp:
            byline = (
                byline_slot(paragraph, is_time_stamp(after), index + 1 == start)
                if index > 0
                else None
            )
            shows_page = shows_page or byline is not None
    if not shows_page:
        return paragraphs, None
    return paragraphs[start:], byline
