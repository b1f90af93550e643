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
paragraph: a place and its mark) and the head shows the page: headings only (the title and
its decks, as press releases open too), or among its paragraphs a time stamp, a byline slot or
a widget of a word or two.

The byline slot is a paragraph of names (capitalised words joined by commas and ``and``,
``und``, ``et``; a provider's name such as ``The Hill`` or ``USA TODAY`` reads the same),
``By`` before it or the page's marks after it: a bullet ``•``, a time stamp in the same
paragraph (``Jane Roe, The Associated Press • July 15, 2018 8:21 am``, ``USA TODAY Published
5:57 a.m. ET July 16, 2018``), a time stamp in the paragraph after it, or the dateline right
after it. Its text becomes ``byline``. A name after a caption with none of these marks is the
photo's credit and goes with the head.

A head that no dateline ends (``_widget_head``) comes off when a widget of one word or a time
stamp closes it before the report's first long paragraph and it shows the page (the title
repeated, a paragraph printed twice, a bullet, a time stamp, a byline slot); a place in
capitals alone right after its time stamp is the dateline set apart from the text.

Inside and after the report (``strip_page_furniture``):

- a photo's caption with its credit glued to its end (``... in Bern.AFP``, ``... vor dem
  Rathaus.20min/Anna Muster``): the whole paragraph goes;
- a wire photo's caption: AP's ``FILE - In this ... file photo``, a caption that ends in its
  own dateline (``... in Vantaa, Finland, July 15, 2018.``, a credit after it or not) or in its
  credit in parentheses with no stop before it (``... the G-20 gathering (AP)``);
- the byline slot after a page's teaser: one paragraph per author, each a person's name of two
  to four capitalised words, right after a first paragraph that ends a sentence (``byline``
  joins them with commas);
- a summary box near the top: its labelled heading (``Darum gehts``, ``L'essentiel``, ``Key
  points``, a small list in de, fr, en) and up to three points of one sentence each;
- a promo for the publisher's channels among the last three paragraphs (a verb of following or
  subscribing and a channel: ``Folgst du uns auf Whatsapp?``, ``Suivez-nous sur Instagram``,
  ``Sign up for our newsletter``) with what follows it, and a poll right before it (a question
  and two to six short answers);
- a sign-up box anywhere: a button in capitals, a short pitch, a closing button in capitals;
- an ad slot's label anywhere (``Advertisement``, ``Anzeige``, ``Publicité``), and after the
  report's last paragraph a widget of one word or a call to comment or share;
- a poll anywhere whose last answer abstains (``Ich weiss es nicht``, ``Je ne sais pas``);
- a pull quote: a quotation alone in its paragraph, then its speaker's name and role;
- a developing story's last paragraph announcing its update (``Update folgt...``): an
  editor's note (``strip_update_notice``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.normalize.agencies import canonical_agency
from ingest.normalize.header import byline_names, byline_text
from ingest.normalize.trailers import strip_trailers

__all__ = [
    "byline_slot",
    "is_caption_with_credit",
    "is_marker_remnant",
    "is_time_stamp",
    "is_wire_caption",
    "strip_page_furniture",
    "strip_page_head",
    "strip_update_notice",
]

#: A page's head is never longer than this many paragraphs (a gallery of ten photos with their
#: captions and credits fits).
_MAX_HEAD = 60
#: No paragraph of a page's head is as long as this: a longer one is the report's text.
_MAX_FURNITURE = 600
_STOP = frozenset(".!?")
_SENTENCE_END = (".", "!", "?", "»", '"', "“", "”", "…", "’")

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
    r"(?:(?:originally\s+)?published|updated|posted|last\s+updated|modified|publié(?:\s+le)?|"
    r"mis\s+à\s+jour(?:\s+le)?|publiziert|aktualisiert(?:\s+am)?|veröffentlicht(?:\s+am)?)"
)
_STAMP_LABEL = re.compile(rf"{_STAMP_WORDS}:?", re.IGNORECASE)
# How long ago, as pages print it: "11 min ago", "2 hours ago", "vor 3 Stunden", "il y a 5 jours".
_UNIT = (
    r"(?:min(?:ute)?s?|h(?:(?:ou)?rs?)?|days?|weeks?|months?|years?|"
    r"Minuten?|Std\.?|Stunden?|Tagen?|Wochen?|Monaten?|heures?|jours?|semaines?|mois|ans?)"
)
_AGO = (
    rf"(?:(?:\d{{1,3}}|an?|one)\s+{_UNIT}\s+ago|vor\s+\d{{1,3}}\s+{_UNIT}"
    rf"|il\s+y\s+a\s+\d{{1,3}}\s+{_UNIT})"
)
_STAMP_PART = rf"(?:{_STAMP_WORDS}:?|{_AGO}|{_DAY_DATE}|{_CLOCK}|at|on|à|um|@|ET|[,;•|—–\-])"
_STAMP = re.compile(rf"(?:\s*{_STAMP_PART})+\s*", re.IGNORECASE)
_STAMP_TAIL = re.compile(
    rf"\s+(?:[—–\-|•]\s+)?(?:{_STAMP_WORDS}:?\s+)?(?:(?:at|on|um|am|le|à)\s+)?"
    rf"(?=(?:(?:{_WEEKDAY}),?\s+)?(?:{_MONTH}\s+\d|\d)){_STAMP.pattern}\Z",
    re.IGNORECASE,
)
# The report's dateline on a page is the agencies' own, its place in capitals ("HELSINKI (AP)
# —", "TURKU, Finland —"): a name in running text before a dash is not one. AP's caption mark
# "FILE -" opens a caption, not a report.
_CAPS_PLACE = re.compile(r"\A(?!FILE\b)[A-ZÀ-Þ]{2}[A-ZÀ-Þ.'’\-]*(?=[\s,(/])")
# The marks a dateline ends in, one of which its first characters hold.
_DATELINE_MARKS = (" —", " –", " -", "--", "(", " _")
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
    return _STAMP.fullmatch(paragraph) is not None


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
    text = text.strip(" ,;•|—–-")
    if _GLUED.search(text) is not None:
        # Names glued to the agency's name are a page's slot: its elements joined.
        text, marked = _GLUED.sub(", ", text), True
    if before_dateline and not (has_by or marked):
        marked = re.search(r",|\s(?:and|und|et|&)\s", text) is not None
    if not (has_by or marked) or "|" in text:
        return None
    # A provider's title after the names ("- Associated Press") reads as one more name.
    text = re.sub(r"\s*(?:\s[—–-]\s|,)\s*", ", ", text)
    # The agency's title after the names ("AP National Security Writer") names no one.
    who = byline_names(_BY.sub("", text))
    # A time stamp's label alone ("Updated", "Posted") names no one.
    if _STAMP_LABEL.fullmatch(who) is not None or not _names(who):
        return None
    return byline_text(text)


def _heading(paragraph: str) -> bool:
    text = paragraph.rstrip()
    if text.endswith(("...", "…")) and not text.endswith(("....", ". ...")):
        # A title the page cut short ("... amid Russian...") ends no sentence.
        return 0 < len(text) <= 200
    return 0 < len(text) <= 200 and text[-1] not in _STOP and not text.endswith(("”", '"'))


# A widget of the page: a button's label of one word, no stop, no digit ("More", "Email",
# "Close", "Teilen", "Partager").
_WIDGET = re.compile(r"[^\W\d_]{2,12}")
#: A head that a widget closes holds this many paragraphs at most, each this short at most.
_MAX_WIDGET_HEAD = 8
_MAX_WIDGET_FURNITURE = 200
# The feed's author field as pages print it: an address, the name in parentheses
# ("desk@example.com (Jane Roe)", RSS's form).
_ADDRESS_NAME = re.compile(r"\S+@\S+\.\w+\s+\((?P<name>[^()]{2,60})\)")


def _is_widget(paragraph: str) -> bool:
    return len(paragraph) <= 16 and _WIDGET.fullmatch(paragraph) is not None


def _person(paragraph: str) -> str | None:
    """A person's name alone (two to four capitalised words) or the feed's author field."""
    match = _ADDRESS_NAME.fullmatch(paragraph.strip())
    text = match["name"] if match is not None else paragraph.strip()
    if not 2 <= len(text.split()) <= 4 or len(text) > 60 or not _names(text):
        return None
    return text


#: The paragraph a set-apart place opens is the report's text: this long at least.
_MIN_REPORT_START = 30


def _widget_head(paragraphs: list[str]) -> tuple[list[str], str | None] | None:
    """A page's head that no dateline ends: the title and short furniture up to the last widget
    or time stamp before the report's first long paragraph, when it shows the page (the title
    repeated, a paragraph printed twice, a bullet, a time stamp, a byline slot). The paragraphs
    after it and the byline its slot holds."""
    if len(paragraphs) < 3 or len(paragraphs[1]) > _MAX_WIDGET_FURNITURE:
        # The report's text right under the title: no head (a cheap test before the rest).
        return None
    if len(paragraphs[2]) > _MAX_WIDGET_FURNITURE and not _is_widget(paragraphs[1]):
        # The report's text after one paragraph that is no widget (a time stamp right under
        # the title does not close a head): no head either.
        return None
    end = place = None
    repeated = False
    for index in range(1, min(len(paragraphs), _MAX_WIDGET_HEAD + 1)):
        paragraph = paragraphs[index]
        if paragraph == paragraphs[index - 1] or [paragraph] == paragraphs[index + 1 : index + 2]:
            # A paragraph printed twice in a row (a photo's alt text and its caption) is the
            # page's, however long: a report never repeats itself so.
            repeated = True
            continue
        if len(paragraph) > _MAX_WIDGET_FURNITURE:
            break
        if (
            index > 1
            and is_time_stamp(paragraphs[index - 1])
            and _lone_place(paragraph)
            and len((paragraphs[index + 1 : index + 2] or [""])[0]) >= _MIN_REPORT_START
        ):
            # The report's place in capitals right after the page's time stamp (not the title),
            # the report's text after it (not a table's cells): the dateline the page set apart
            # from the text.
            end, place = index + 1, index
            break
        if _is_widget(paragraph) or (index > 1 and is_time_stamp(paragraph)):
            end = index + 1
    else:
        # No long paragraph within reach: short items after a title are a list, not a page.
        return None
    if end is None or end == len(paragraphs):
        return None
    title = paragraphs[0].strip()
    byline = None
    shows_page = repeated
    for index in range(1, end):
        paragraph = paragraphs[index]
        after = paragraphs[index + 1]
        if paragraph.strip() == title or _BULLET.search(paragraph) or is_time_stamp(paragraph):
            shows_page = True
        if byline is None and not is_time_stamp(paragraph):
            marked = (
                is_time_stamp(after)
                or _STAMP_LABEL.fullmatch(after) is not None
                or _BULLET.fullmatch(after) is not None
            )
            byline = byline_slot(paragraph, marked)
            if byline is None and (index == 1 or _ADDRESS_NAME.fullmatch(paragraph)):
                # Right under the title a person's name alone is the byline slot, and so is
                # the feed's author field anywhere in the head.
                byline = _person(paragraph)
            shows_page = shows_page or byline is not None
    if not shows_page:
        return None
    if place == end - 1:
        # The place goes back before the text, its mark between them, for the dateline's rules.
        return [f"{paragraphs[place]} — {paragraphs[end]}", *paragraphs[end + 1 :]], byline
    return paragraphs[end:], byline


# A paragraph that is an address and nothing else ("https://www.example.com/a/b",
# "example.com/news/2018/07/15/story/"): the page's, never the report's text.
_URL = re.compile(r"(?:https?://)?(?:www\.)?[\w\-]+(?:\.[\w\-]+)+/\S*|(?:https?://|www\.)\S+")
_CLOCK_ALONE = re.compile(rf"\s*{_CLOCK}\s*", re.IGNORECASE)
#: The furniture under a title reaches this far at most.
_MAX_FURNISHED_HEAD = 8
#: The report's first paragraph is prose: a sentence this long at least.
_MIN_LEAD = 80
_MAX_TITLE = 200
#: A deck (the summary under a title) is this long at most.
_MAX_DECK = 300


def _is_url(paragraph: str) -> bool:
    return " " not in paragraph and _URL.fullmatch(paragraph) is not None


def _is_head_furniture(paragraph: str) -> bool:
    """A time stamp with its date, a photo's credit or caption, an address. (A clock alone is
    the time of a live report's entry.)"""
    return (
        (is_time_stamp(paragraph) and _CLOCK_ALONE.fullmatch(paragraph) is None)
        or is_photo_credit(paragraph)
        or is_wire_caption(paragraph)
        or is_caption_with_credit(paragraph)
        or _is_url(paragraph)
    )


def _furnished_head(paragraphs: list[str], titled: bool) -> tuple[list[str], str | None] | None:
    """A page's head that neither a dateline nor a widget closes: the title, then the page's
    furniture under it (a widget's label, a time stamp, a byline slot, a photo's caption or
    credit, an address; a deck, headings between them) up to the report's first paragraph of
    prose. The head must hold furniture: a title and decks alone are a press release's own
    head. ``titled`` says the first paragraph reads as a title (``_is_title``). The paragraphs
    after it and the byline its slot holds."""
    if len(paragraphs) < 3:
        return None
    first = paragraphs[1]
    if len(first) > _MAX_CAPTION:
        # The report's text right under the title (no furniture is this long).
        return None
    second = paragraphs[2]
    if (
        _is_plain_prose(first)
        and first != second
        and (
            len(first) > _MAX_DECK
            or (len(second) > _MAX_CAPTION and " " in second)
            or _is_plain_prose(second)
        )
    ):
        # The report's text right under the title, and no deck: what follows it is text too
        # (longer than furniture or a caption, or prose; not the same printed twice).
        return None
    title = paragraphs[0]
    if not (titled or (len(title) <= _MAX_TITLE and title[-1] in "?!")):
        # A title asks or exclaims as well ("Will Putin Spare Trump the Lecture?").
        return None
    if title.endswith(":"):
        # What a colon ends introduces what follows ("The Latest on ... (all times local):",
        # then a live report's first entry under its time): no title.
        return None
    byline = None
    furnished = False
    index = 1
    while index < min(len(paragraphs) - 1, _MAX_FURNISHED_HEAD + 1):
        paragraph, after = paragraphs[index], paragraphs[index + 1]
        if (
            furnished
            and is_time_stamp(paragraphs[index - 1])
            and _lone_place(paragraph)
            and len(after) >= _MIN_REPORT_START
        ):
            # The report's place in capitals after the page's time stamp: the dateline the
            # page set apart, back before the text with its mark, for the dateline's rules.
            return [f"{paragraph} — {after}", *paragraphs[index + 2 :]], byline
        if paragraph == after and index + 2 < len(paragraphs):
            # A paragraph printed twice in a row (a photo's alt text and its caption) is the
            # page's: a report never repeats itself so.
            furnished = True
            index += 2
            continue
        if _is_prose(paragraph):
            # A sentence is a photo's caption, the deck or the report's text.
            if is_wire_caption(paragraph) or is_caption_with_credit(paragraph):
                furnished = True
            elif not _is_deck(paragraphs, index):
                break
        elif _is_widget(paragraph):
            # A word alone under a title is as likely a subhead: it shows no page by itself.
            pass
        elif _is_head_furniture(paragraph):
            furnished = True
        elif (found := _slot(paragraph, after, index)) is not None:
            slot, marked = found
            byline = byline or slot
            # A byline slot that marks itself ("By ...", a time stamp after it) shows the
            # page; a name alone does not.
            furnished = furnished or marked
        elif not (_heading(paragraph) or _is_deck(paragraphs, index)):
            break
        index += 1
    report = paragraphs[index]
    if not furnished or len(report) < _MIN_LEAD or not report.rstrip().endswith(_SENTENCE_END):
        return None
    return paragraphs[index:], byline


def _is_deck(paragraphs: list[str], index: int) -> bool:
    """Whether the paragraph at ``index`` is the deck under the title: right under it, short,
    the page's furniture or its byline slot right after it."""
    if index != 1 or len(paragraphs[1]) > _MAX_DECK or len(paragraphs) < 4:
        return False
    after = paragraphs[2]
    if _is_prose(after):
        return is_wire_caption(after) or is_caption_with_credit(after)
    return _is_head_furniture(after) or _slot(after, paragraphs[3], 2) is not None


_PLAIN_END = frozenset('.!?"“”’»')


def _is_plain_prose(paragraph: str) -> bool:
    """Prose that is no caption either: it ends in a stop or a quote (a glued credit ends in a
    word, a caption's credit in a bracket), a full stop after no figure (a caption's date)."""
    last = paragraph[-1:]
    return (
        last in _PLAIN_END
        and (last != "." or not _ends_in_year(paragraph))
        and (
            len(paragraph) >= _PROSE_CHARS
            or paragraph.count(" ", 0, _PROSE_REACH) >= _PROSE_WORDS - 1
        )
    )


#: A paragraph this long that ends as prose does is prose (no need to count its words).
_PROSE_CHARS = 100


def _ends_in_year(paragraph: str) -> bool:
    """Whether a date's year ends ``paragraph`` after a comma, then a full stop, as a caption's
    date or a byline slot's does (``..., July 15, 2018.``; a sentence's ``in 2006.`` does not)."""
    return (
        paragraph[-5:-1].isdigit()
        and paragraph[-6:-5].isspace()
        and paragraph[-9:-5].rstrip().endswith(",")
    )


def _is_prose(paragraph: str) -> bool:
    """Whether ``paragraph`` ends as a sentence of a few words at least: no time stamp,
    credit, address or byline slot does."""
    return paragraph[-1:] in _STOP and paragraph.count(" ", 0, _PROSE_REACH) >= _PROSE_WORDS - 1


#: A sentence (a stop at its end, this many words at least, counted within its first
#: ``_PROSE_REACH`` characters) is no byline slot, time stamp, credit or address.
_PROSE_WORDS = 8
_PROSE_REACH = 200


def _slot(paragraph: str, after: str, index: int) -> tuple[str, bool] | None:
    """The byline a paragraph of a page's head holds, and whether the slot marks itself: a
    byline slot, marked by itself or by a time stamp after it; right under the title
    (``index`` 1) a person's name alone (unmarked)."""
    if _is_prose(paragraph):
        return None
    slot = byline_slot(paragraph, is_time_stamp(after) or _BULLET.fullmatch(after) is not None)
    if slot is not None:
        return slot, True
    person = _person(paragraph) if index == 1 else None
    return (person, False) if person is not None else None


# The report's place set apart on a line of its own, in capitals ("HELSINKI", "NEW YORK",
# "BRIARCLIFF MANOR, N.Y."): the dateline without its mark.
_LONE_PLACE = re.compile(
    r"[A-ZÀ-Þ][A-ZÀ-Þ.'’\-]+(?:\s[A-ZÀ-Þ][A-ZÀ-Þ.'’\-]+){0,3}(?:,\s[A-Z][\w.]+){0,2}"
)


def _lone_place(paragraph: str) -> bool:
    return len(paragraph) <= 40 and _LONE_PLACE.fullmatch(paragraph) is not None


_REMNANT = re.compile(r"\A\([^()\s]{1,30}\)\Z|\s[-–—_|=]\Z")


def is_marker_remnant(paragraph: str) -> bool:
    """Whether ``paragraph`` is what markers left: a group alone (``(ats/nxp)``), a text that
    ends in a dateline's mark (``WASHINGTON |``, ``PARIS (AFP) -``) or a closing line and
    nothing else (``ats nxp``, ``dpa geh yyth a3 hgo``). No page prints one in its head;
    taken for one, it would make a body normalize differently the second time."""
    if _REMNANT.search(paragraph) is not None:
        return True
    # An agency's name alone is a photo's credit on a page ("AP" under the photo); with its
    # editors' initials it is what a closing line left ("ats nxp", "dpa geh yyth a3 hgo").
    return canonical_agency(paragraph.strip()) is None and not strip_trailers([paragraph])[0]


_FIGURE = re.compile(r"[\d\s.,'’:%\-]+")


def _is_title(paragraph: str) -> bool:
    """A page's title: a heading that is not a figure (``15'000``). (What markers
    left is none either: ``strip_page_head`` asks that of the whole head it found.)"""
    return _heading(paragraph) and _FIGURE.fullmatch(paragraph) is None


def strip_page_head(
    paragraphs: list[str], opens_with_dateline: Callable[[str], bool]
) -> tuple[list[str], str | None]:
    """``paragraphs`` without a web page's head before the report's dateline, and the byline
    its byline slot holds (None when there is none, or no head came off)."""
    if len(paragraphs) < 2:
        return paragraphs, None
    if not _is_title(paragraphs[0]):
        return _furnished_head(paragraphs, False) or (paragraphs, None)
    start = None
    # Only a head with a paragraph that ends no sentence among the three after the title (a
    # deck, a label, a name, a time stamp: what shows a page) is worth looking further than
    # the title for a dateline: report text alone never pays for the patterns.
    furnished = False
    for index in range(1, min(len(paragraphs), _MAX_HEAD + 1)):
        paragraph = paragraphs[index]
        # The dateline's place in capitals: two capitals open the paragraph (a cheap test
        # before the patterns).
        opens = (
            (index == 1 or furnished)
            and paragraph[:2].isupper()
            and any(mark in paragraph[:100] for mark in _DATELINE_MARKS)
            and _CAPS_PLACE.match(paragraph) is not None
            and opens_with_dateline(paragraph)
        )
        if opens or len(paragraph) > _MAX_FURNITURE:
            # A longer paragraph is the report's text: a dateline opens it here or nowhere.
            start = index if opens else None
            break
        furnished = furnished or _heading(paragraph)
        if not furnished and index >= 3:
            # A page shows itself right under its title.
            break
    if start is None or index == len(paragraphs):
        return _widget_head(paragraphs) or _furnished_head(paragraphs, True) or (paragraphs, None)
    head = paragraphs[:start]
    if any(is_marker_remnant(paragraph) for paragraph in head):
        return paragraphs, None
    byline = None
    # A title and its decks alone (headings all: no sentence's stop) are a press release's or a
    # page's head as well.
    shows_page = all(_heading(paragraph) for paragraph in head)
    for index, paragraph in enumerate(head):
        after = paragraphs[index + 1]
        stamp = is_time_stamp(paragraph)
        if stamp or len(paragraph.split()) <= 2:
            shows_page = True
        if byline is None and not stamp:
            byline = (
                byline_slot(
                    paragraph,
                    is_time_stamp(after) or _BULLET.fullmatch(after) is not None,
                    index + 1 == start,
                )
                if index > 0
                else None
            )
            shows_page = shows_page or byline is not None
    if not shows_page:
        return paragraphs, None
    return paragraphs[start:], byline


# --- furniture inside and after the report --------------------------------------------------

# A caption with its credit glued on, as pages print the credit under the photo: the caption's
# last sentence, then with no space the credit ("... in Bern.AFP", "... im Fleisch.20min/Anna
# Muster", "... sagt: «Nein.»KEYSTONE"). The stop follows a word in lower case (not an initial:
# "the U.S." is no glue, nor a number: "$1.3"), the credit is at most four words and ends in
# a word.
_GLUED_CREDIT = re.compile(
    r"(?:(?<=[a-zà-ÿß][.!?])|(?<=[.!?][»\"“”’]))(?P<credit>(?:[A-ZÀ-Þ@]|\d+[A-Za-z])[^\s.!?]*"
    r"(?:\s+[^\s.!?]+){0,3})\Z"
)
# The credit's label glued too, as some pages print it, and a longer credit after it ("... in
# these blocks.CreditJane Roe for The Daily Example").
_GLUED_CREDIT_LABEL = re.compile(r"[.!?»\"“”’]Credits?[A-ZÀ-Þ][^.!?\n]{2,80}\Z")
_GLUE = re.compile(r"[.!?][»\"“”’]?[A-ZÀ-Þ@\d]")
_MAX_CAPTION = 350
# A summary box's heading: the label pages put over it, alone or after a topic ("Topic: Darum
# gehts"). A list is unavoidable here, the labels are words: kept small, in the languages of
# the copy (de, fr, en).
_BOX_LABEL = re.compile(
    r"(?:\A|:\s)(?:Darum\s+geht'?s|Das\s+Wichtigste\s+in\s+Kürze|Das\s+Wichtigste|"
    r"L'essentiel|L’essentiel|En\s+bref|Key\s+points|In\s+brief|At\s+a\s+glance)\s*:?\Z",
    re.IGNORECASE,
)
# A summary box holds three points at most, each one sentence.
_BOX_ITEMS = 3
_BOX_ITEM_CHARS = 240
# A sentence's stop inside a point: after a word of two letters or more ("St. Gallen", "z. B."
# abbreviate).
_INNER_STOP = re.compile(r"[a-zà-ÿß]{2}[.!?]\s+[A-ZÀ-Þ]")
# A promo for the publisher's channels at the end: a verb of following or subscribing and a
# channel, in one short paragraph ("Folgst du uns auf Whatsapp?", "Suivez-nous sur Instagram",
# "Follow the Daily on Facebook for ...", "Sign up for our newsletter").
_FOLLOW = re.compile(
    r"(?:Folgst|Folge|Folgen|Abonniere|Abonnieren|Follow|Sign\s+up|Subscribe|Suivez|Suis|"
    r"Abonnez|Abonne-toi|Rejoignez)\b.{0,160}?\b(?:whats\s?app|facebook|twitter|instagram|"
    r"telegram|tiktok|newsletter|google\s+news|youtube|linkedin)\b",
    re.IGNORECASE,
)
_MAX_PROMO = 300
# The stems of _FOLLOW's verbs as a promo glued to a title writes them (capitalised): a cheap
# test before the pattern.
_FOLLOW_OPENINGS = (
    "folg", "abonn", "follow", "sign", "subscri", "suiv", "suis", "rejoign",
)  # fmt: skip
_FOLLOW_STEMS = ("Folg", "Abonn", "Follow", "Sign", "Subscri", "Suiv", "Suis", "Rejoign")
# A promo glued to the gallery's title before it, as pages join two elements: a word in lower
# case, then the promo's verb with no space ("... der UnglücksjachtFolgst du ...").
_GLUED_PROMO = re.compile(r"(?<=[a-zà-ÿß])(?=[A-Z][a-z]+)")
#: The title a promo is glued to is a heading: no sentence's stop in it, this long at most.
_MAX_GLUED_TITLE = 120


def _is_promo(paragraph: str) -> bool:
    """Whether ``paragraph`` is a promo for the publisher's channels, alone or glued to the
    title before it."""
    if len(paragraph) > _MAX_PROMO:
        return False
    if paragraph[:12].lower().startswith(_FOLLOW_OPENINGS) and _FOLLOW.match(paragraph):
        return True
    head = paragraph[: _MAX_GLUED_TITLE + 12]
    if not any(verb in head for verb in _FOLLOW_STEMS):
        # No verb of following glued on: no promo (a cheap test before the pattern).
        return False
    for glue in _GLUED_PROMO.finditer(paragraph, 0, _MAX_GLUED_TITLE):
        title = paragraph[: glue.start()]
        if any(stop in title for stop in _STOP):
            return False
        if _FOLLOW.match(paragraph, glue.start()):
            return True
    return False


# A photo's credit alone in its paragraph, as pages print it under or over the photo: a label
# ("Photo:", "Photograph by", "Foto:", "Bild:", "Crédit :", "AP Photo/") before a source, or
# sources without one, a photographer's name and an agency or a photo agency between slashes
# or after a comma ("Jane Roe / Reuters", "JANE ROE, AFP/Getty Images", "Jane Roe/AP"); in
# brackets or not.
_CREDIT_LABEL = re.compile(
    r"(?:(?:AP\s+)?Photo(?:graph)?s?|Fotos?|Bild(?:er)?|Image|Images|Crédits?(?:\s+photo)?|Credits?|"
    r"Quelle|Media|Video|Vidéo)(?:\s+by|\s+von|\s+de)?\s*[:/]\s*|(?:Photo(?:graph)?|Foto|Bild)\s+(?:by|von|de)\s+"
    # The label glued to the name, as some pages print it: "CreditJane Roe/The Daily".
    r"|Credits?(?=[A-ZÀ-Þ])"
)
_CREDIT_PART = re.compile(r"\s*(?:/|,|\s(?:via|for|für|pour)\s)\s*")
_CREDIT_SEPARATORS = ("/", ",", " via ", " for ", " für ", " pour ")
# The photo agencies credits name beside the news agencies (a list is unavoidable: they are
# names; kept small).
_PHOTO_SOURCE = re.compile(
    r"(?:[\w.\-]+\s+)?(?:Getty(?:\s+Images)?|EPA(?:-EFE)?|Pool|POOL|Lehtikuva|Sputnik|SPUTNIK|"
    r"Shutterstock|iStock(?:photo)?|[Ii]mago(?:\s+[Ii]mages)?|SIPA|ANP|NurPhoto|Zuma(?:\s+Press)?|"
    r"Kremlin|Bloomberg)"
)
_MAX_CREDIT = 90


def _credit_source(part: str) -> bool:
    return canonical_agency(part) is not None or _PHOTO_SOURCE.fullmatch(part) is not None


def is_photo_credit(paragraph: str) -> bool:
    """Whether ``paragraph`` is a photo's credit and nothing else: ``(Photo: Jane Roe, AFP/Getty
    Images)``, ``Jane Roe / Reuters``, ``Photograph by Jane Roe / AFP``, ``Foto: Keystone``."""
    text = paragraph.strip()
    if len(text) > _MAX_CREDIT or len(text) < 4:
        return False
    if text[0] == "(" and text[-1] == ")":
        text = text[1:-1].strip()
    if text[-1:] in _STOP:
        return False
    label = _CREDIT_LABEL.match(text)
    if label is not None:
        text = text[label.end() :]
    elif not any(separator in text for separator in _CREDIT_SEPARATORS):
        # Without a label a credit has two parts at least (a cheap test before the rest).
        return False
    parts = [part for part in _CREDIT_PART.split(text) if part]
    if not parts or text[-1:] in _STOP:
        return False
    for part in parts:
        if not (_credit_source(part) or _names(part)) or len(part.split()) > 5:
            return False
        if _JOINERS.intersection(part.split()):
            # "Jane Roe and John Doe, AP": a list of people is a byline, not a credit.
            return False
    # Without a label, a photographer and an agency: two parts, a source among them.
    return label is not None or (len(parts) >= 2 and any(_credit_source(p) for p in parts))


def is_caption_with_credit(paragraph: str) -> bool:
    """Whether ``paragraph`` is a photo's caption with its credit glued to its end."""
    # The credit ends the paragraph in a word, never in a stop: a test of one character rules
    # out nearly every paragraph of text.
    if not paragraph[-1:].isalnum() or len(paragraph) > _MAX_CAPTION:
        return False
    start = max(0, len(paragraph) - 48)
    # A stop with a letter right after it, searched without look-behinds, rules out most
    # paragraphs before the costly pattern runs.
    if _GLUE.search(paragraph, start) is None:
        labeled = "Credit" in paragraph[-90:] and _GLUED_CREDIT_LABEL.search(paragraph) is not None
        return labeled and len(paragraph) > 40
    match = _GLUED_CREDIT.search(paragraph, start)
    if match is None and "Credit" in paragraph[-90:]:
        return _GLUED_CREDIT_LABEL.search(paragraph) is not None and len(paragraph) > 40
    return match is not None and match.start() > 20


# A wire photo's caption, as agencies write them and pages print them under the photo: AP's
# mark for an archive photo ("FILE - In this June 24, 2003 file photo ..."), or the caption's
# own dateline at its end, place, then the day and the full date ("... arrive in Vantaa,
# Finland, July 15, 2018.", "... in Helsinki, Monday, July 16, 2018."), a credit after it or
# not; or a caption that ends in its credit in parentheses with no stop before it ("... during
# the G-20 gathering (AP)"); or a video's caption with its date ("... on Monday. (July 15)"),
# its source after it or not.
_CAPTION_DATE = re.compile(
    rf"[A-Z][\w.'’\-]*,\s+(?:(?i:{_WEEKDAY}),\s+)?(?i:{_MONTH})\s+\d{{1,2}},\s+\d{{4}}\.?"
    r"(?:\s+(?:\([^()]{2,60}\)|[A-Z]{2,}/[^\s/]+(?:\s[^\s/]+){0,3}))?\s*\Z"
)
_CAPTION_LOWER_WORDS = 2
# A video's caption, as agencies date it at its end: "... on Monday. (July 15)".
_VIDEO_DATE = re.compile(rf"[.!?]\s+\((?i:{_MONTH})\s+\d{{1,2}}\)\Z")
# The video's source after its date: "... on Monday. (July 15) AP".
_VIDEO_DATE_SOURCE = re.compile(
    rf"[.!?]\s+\((?i:{_MONTH})\s+\d{{1,2}}\)\s+(?P<source>[^\s()]{{2,30}})\Z"
)
_CAPTION_FILE = re.compile(r"(?:FILE|FILE PHOTO)\s*[-–—]\s+\S")
_CAPTION_CREDIT = re.compile(r"[^\s.!?]\s*(?P<credit>\([^()]{2,60}\))\s*\Z")
# After the caption's last sentence, a photo's credit in parentheses that reads as one (a label
# or a photographer and a source: "(Photo: Jane Roe/AP)", "(Jane Roe, Pool Photo via AP)"); an
# agency's name alone there is the report's credit.
_CAPTION_PHOTO_CREDIT = re.compile(r"[.!?]\s*(?P<credit>\([^()]{4,90}\))\s*\Z")


def is_wire_caption(paragraph: str) -> bool:
    """Whether ``paragraph`` is a wire photo's caption (never the report's own text: a date
    with its year after a place and a comma ends no sentence of a report)."""
    if len(paragraph) > _MAX_CAPTION or len(paragraph) < 20:
        return False
    # A caption opens as a sentence does; a closing line ("dpa geh yyth a3 hgo (sda/dpa)") is
    # none.
    if not (paragraph[:1].isupper() or paragraph[:1].isdigit() or paragraph[:1] in '"“«„'):
        return False
    last = paragraph[-1:]
    if paragraph[:4] == "FILE" and _CAPTION_FILE.match(paragraph):
        return True
    if last == ")":
        match = _CAPTION_CREDIT.search(paragraph, max(0, len(paragraph) - 64))
        credit = match["credit"] if match is not None else ""
        if credit and (_credit_source(credit[1:-1].strip()) or is_photo_credit(credit)):
            return True
        if _VIDEO_DATE.search(paragraph, max(0, len(paragraph) - 24)) is not None:
            return True
        match = _CAPTION_PHOTO_CREDIT.search(paragraph, max(0, len(paragraph) - 94))
        if match is not None and is_photo_credit(match["credit"]):
            return True
    elif last == ".":
        if not _ends_in_year(paragraph):
            return False
    elif last.isalpha():
        video = _VIDEO_DATE_SOURCE.search(paragraph, max(0, len(paragraph) - 64))
        if video is not None and _credit_source(video["source"]):
            return True
        # After the date, a credit such as "REUTERS/Jane Roe".
        if "/" not in paragraph[-40:]:
            return False
    elif not last.isdigit():
        return False
    if _CAPTION_DATE.search(paragraph, max(0, len(paragraph) - 120)) is None:
        return False
    # A caption is a sentence: a time stamp or a byline slot with its date ("Posted: 9:43 AM,
    # July 16, 2018", "By Jane Roe - The Daily - Sunday, July 15, 2018") is none.
    return sum(1 for word in paragraph.split() if word[:1].islower()) >= _CAPTION_LOWER_WORDS


def _lead_byline(paragraphs: list[str]) -> tuple[int, str] | None:
    """The byline slot after a page's teaser: one paragraph of people's names per author right
    after a first paragraph that ends a sentence, text after them. How many paragraphs it takes
    and the names, joined by commas."""
    if len(paragraphs) < 3 or paragraphs[0].rstrip()[-1:] not in '.!?»"”':
        return None
    names: list[str] = []
    for paragraph in paragraphs[1:4]:
        words = paragraph.split()
        # A person's name: two to four capitalised words, nothing else.
        if not 2 <= len(words) <= 4 or len(paragraph) > 60 or not _names(paragraph):
            break
        if _JOINERS.intersection(words) or "," in paragraph:
            break
        names.append(paragraph.strip())
    if not names or len(names) + 1 >= len(paragraphs):
        return None
    return len(names), ", ".join(names)


def _summary_box(paragraphs: list[str], start: int) -> int:
    """How many paragraphs from ``start`` a summary box takes: its heading, then its points,
    each one short sentence, three at most; 0 when no box opens there."""
    heading = paragraphs[start]
    if len(heading) > 80 or _BOX_LABEL.search(heading) is None:
        return 0
    end = start + 1
    while end < len(paragraphs) and end - start <= _BOX_ITEMS:
        point = paragraphs[end]
        if (
            len(point) > _BOX_ITEM_CHARS
            or point.rstrip()[-1:] not in '.!?»"”'
            or _INNER_STOP.search(point) is not None
        ):
            break
        end += 1
    return end - start if end > start + 1 else 0


def _tail_start(paragraphs: list[str]) -> int:
    """Where the page's promos after the report start: a channel promo among the last three
    paragraphs and what follows it, each short; ``len(paragraphs)`` when there is none."""
    last = len(paragraphs)
    if not last or len(paragraphs[-1]) > _MAX_PROMO:
        # A long last paragraph is the report's: no promo after it, nor is it one.
        return last
    for index in range(max(1, last - 3), last):
        paragraph = paragraphs[index]
        if len(paragraph) <= _MAX_PROMO and (
            all(len(p) <= _MAX_PROMO for p in paragraphs[index + 1 :]) and _is_promo(paragraph)
        ):
            return index
    return last


# A poll's last answer when it offers to abstain ("Ich weiss es nicht.", "Je ne sais pas.",
# "No opinion", "Keine Meinung", "Sans avis"): a list is unavoidable, the answers are words;
# kept small, in de, fr, en.
_ABSTAIN = re.compile(
    r"(?:Ich\s+wei(?:ss|ß)\s+(?:es\s+)?nicht|Keine\s+Meinung|Weiss\s+nicht|Weiß\s+nicht|"
    r"Je\s+ne\s+sais\s+pas|Sans\s+(?:avis|opinion)|Aucune\s+idée|"
    r"I\s+don['’]t\s+know|Don['’]t\s+know|No\s+opinion|Not\s+sure)\b",
    re.IGNORECASE,
)


# A pull quote: a quotation alone in its paragraph, then its speaker and role, as pages set
# them apart from the text ("«...»" / "Jane Roe, attaquante uruguayenne"): the speaker's name
# (two to four capitalised words), a comma, a role of a few words and no stop.
_QUOTED = re.compile(r"[«“\"„‹].{4,300}[»”\"“›]\Z")
_ATTRIBUTION = re.compile(r"(?P<name>[^,]{3,50}),\s+(?P<role>[^\s,.!?]+(?:\s+[^\s,.!?]+){0,5})")


#: An attribution is this long at most: a name of four words, a role of six.
_MAX_ATTRIBUTION = 120


def _is_attribution(paragraph: str) -> bool:
    match = _ATTRIBUTION.fullmatch(paragraph.strip())
    return match is not None and len(match["name"].split()) >= 2 and _names(match["name"])


def _strip_pull_quotes(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without a pull quote: a quotation alone in its paragraph (or the words of
    one the text quoted before, printed again without the marks) and its speaker's name and
    role in the paragraph after it."""
    body = list(paragraphs)
    index = 1
    while index + 1 < len(body):
        after = body[index + 1]
        if (
            len(after) <= _MAX_ATTRIBUTION
            and "," in after
            and (_QUOTED.fullmatch(body[index].strip()) or _quoted_before(body, index))
            and _is_attribution(after)
        ):
            del body[index : index + 2]
        else:
            index += 1
    return body


_MIN_QUOTED_AGAIN = 40


def _quoted_before(body: list[str], index: int) -> bool:
    """Whether the paragraph at ``index`` is words an earlier paragraph holds (a quotation
    printed again, its marks gone)."""
    # The quotation's last stop may be the comma before its speaker in the text.
    words = body[index].strip().strip('«»“”"„‹›').strip().rstrip(".,!?…")
    return len(words) >= _MIN_QUOTED_AGAIN and any(words in earlier for earlier in body[:index])


# A button of the page: a short label in capitals ("SIGN UP", "JETZT ABONNIEREN", "JE
# M'INSCRIS !").
_BUTTON = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ'’, \-]{1,28}\s?[!.]?")
#: A sign-up box holds its pitch between its two buttons: this many paragraphs at most, each
#: this short at most.
_BOX_PITCH = 3
_MAX_PITCH = 300


_MAX_BUTTON = 30


def _is_button(paragraph: str) -> bool:
    return (
        4 <= len(paragraph) <= _MAX_BUTTON
        and paragraph.isupper()
        and _BUTTON.fullmatch(paragraph) is not None
    )


def _is_pitch(paragraph: str) -> bool:
    # A pitch is words to a reader ("Be the first to know."), not a table's cells ("G", "64").
    return len(paragraph) <= _MAX_PITCH and len(paragraph.split()) >= 2 and not paragraph.isupper()


def _strip_button_boxes(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without a sign-up box: a button in capitals, a pitch of one to three short
    paragraphs, and a second button in capitals that closes it."""
    body = list(paragraphs)
    index = 0
    while index < len(body):
        if _is_button(body[index]):
            for end in range(index + 2, min(len(body), index + _BOX_PITCH + 2)):
                if not _is_pitch(body[end - 1]):
                    break
                if _is_button(body[end]):
                    del body[index : end + 1]
                    index -= 1
                    break
        index += 1
    return body


# An ad slot's label alone in its paragraph, wherever the page put the ad: a list is
# unavoidable, the labels are words; kept small, in en, de, fr.
_AD_LABEL = re.compile(
    r"(?:Advertisement|ADVERTISEMENT|Anzeige|ANZEIGE|Werbung|Publicité|PUBLICITÉ"
    # An ad's break in the text ("Continue Reading Below") and a photo's or a video's place
    # ("Image", "toggle caption"): labels, never text.
    r"|(?:Continue|Story|Article)\s+(?:reading|continues)\s+(?:below|the\s+main\s+story)"
    r"|Image|Photo|Video|Vidéo|"
    r"toggle\s+caption|Enlarge\s+this\s+image)",
    re.IGNORECASE,
)
# A button's label between paragraphs of the report's prose ("More" under an embedded post,
# "Close" over a video): a few words pages use; among a table's lines ("Close" over a market's
# closing prices) they are the table's.
_BUTTON_LABEL = re.compile(r"(?:More|Close|Print|Pin|Caret\s+down)", re.IGNORECASE)
_MAX_AD_LABEL = 32
# A call to act on the page, after the report: comment, share, read on ("Click here to comment
# on this article", "Read or Share this story: https://...", "Hier klicken", "Cliquez ici", "To
# Read the Full Story", "Subscribe to read").
_CALL = re.compile(
    r"(?:Click\s+here|Read\s+or\s+share\s+this|Share\s+this\s+(?:story|article)|Hier\s+klicken|"
    r"Cliquez\s+ici|(?:To\s+)?Read\s+the\s+(?:full|whole|rest\s+of\s+the)\s+(?:story|article)|"
    r"Subscribe\s+to\s+(?:read|continue))\b",
    re.IGNORECASE,
)
_MAX_CALL = 120


_MAX_BUTTON_LABEL = 12


def _without_button_labels(body: list[str]) -> list[str]:
    """``body`` without a button's label alone between two paragraphs of the report's prose."""
    return body[:1] + [
        paragraph
        for index, paragraph in enumerate(body[1:], 1)
        if not (
            len(paragraph) <= _MAX_BUTTON_LABEL
            and index + 1 < len(body)
            and _BUTTON_LABEL.fullmatch(paragraph)
            and _is_running_prose(body[index - 1])
            and _is_running_prose(body[index + 1])
        )
    ]


def _tail_byline(paragraph: str) -> str | None:
    """The names of a byline slot with its time stamp in it (``Jane Roe Posted at 10:20 pm on
    July 15, 2031``), as a page prints it under the report; None for any other paragraph."""
    if len(paragraph) > _MAX_TAIL_BYLINE or _HAS_DIGIT.search(paragraph) is None:
        return None
    stamp = _STAMP_TAIL.search(paragraph)
    if stamp is None or stamp.start() == 0:
        return None
    return byline_slot(paragraph)


_MAX_TAIL_BYLINE = 120


def _is_tail_widget(paragraph: str) -> bool:
    """Whether ``paragraph`` is a widget of the page after the report: a button's label of one
    word, a call to comment or share, the page's address, a time stamp."""
    if len(paragraph) > _MAX_CALL:
        return _is_url(paragraph)
    return (
        _is_widget(paragraph)
        or _CALL.match(paragraph) is not None
        or _is_url(paragraph)
        # A time alone is a table's last cell (a kick-off at "17.30").
        or (is_time_stamp(paragraph) and _CLOCK_ALONE.fullmatch(paragraph) is None)
    )


# A row of share buttons, its labels run together as pages print them ("CONNECT TWEET LINKEDIN
# 4 COMMENTEMAILMORE", "FacebookEmail Twitter Google+ LinkedIn Pinterest"): the networks'
# names and the verbs of sharing (en, de, fr), counts between them, nothing else.
_SHARE_WORD = (
    r"(?:facebook|twitter|tweet|linkedin|e-?mail|pinterest|google\+|whatsapp|reddit|"
    r"flipboard|messenger|print|share|comments?|connect|more|teilen|drucken|kommentare|"
    r"partager|imprimer|commentaires)"
)
_SHARE_ROW = re.compile(rf"(?:{_SHARE_WORD}|\d+)(?:\s*(?:{_SHARE_WORD}|\d+))+", re.IGNORECASE)
_MAX_SHARE_ROW = 100


# The words _SHARE_WORD opens with, lower-cased: a cheap test before _SHARE_ROW.
_SHARE_FIRST = (
    "facebook", "twitter", "tweet", "linkedin", "e-mail", "email", "pinterest", "google+",
    "whatsapp", "reddit", "flipboard", "messenger", "print", "share", "comment", "connect",
    "more", "teilen", "drucken", "kommentare", "partager", "imprimer", "commentaires",
)  # fmt: skip


def _is_share_row(paragraph: str) -> bool:
    if len(paragraph) > _MAX_SHARE_ROW:
        return False
    if not paragraph[:1].isdigit() and not paragraph[:12].lower().startswith(_SHARE_FIRST):
        return False
    match = _SHARE_ROW.fullmatch(paragraph)
    # Two of the networks' names at least: a count and "More" are no row.
    return match is not None and len(re.findall(r"[^\W\d_]{2,}\+?", paragraph)) >= 2


# The label a page puts over its links to other stories, alone in its paragraph (a list is
# unavoidable, the labels are words: kept small, in en, de, fr), "Tags:" over its topics.
_RELATED_LABEL = re.compile(
    r"(?:Related(?:\s+(?:Articles?|Content|Stories|Coverage|Links|News|Videos?))?|"
    r"Recommended(?:\s+(?:Stories|Articles|Videos?|for\s+you))?|Most\s+(?:Read|Popular|"
    r"Viewed|Shared)(?:\s+(?:Articles|Stories|News))?|Trending(?:\s+(?:Now|Stories|Videos|"
    r"(?:in|on)\s+[\w\s]{2,30}))?|Read\s+(?:More|Next)(?:\s+From\s+[\w\s.'’\-]{2,40})?|"
    r"More\s+(?:Stories|from\s+[\w\s.'’\-]{2,40})|Top\s+Stories|Tags|"
    r"Mehr\s+zum\s+Thema|Lesen\s+Sie\s+auch|Das\s+könnte\s+(?:dich|Sie)\s+auch\s+"
    r"interessieren|Weitere\s+Artikel|Meistgelesen|"
    r"(?:À\s+)?[Ll]ire\s+aussi|Sur\s+le\s+même\s+sujet|Les\s+plus\s+lus|Articles\s+liés)"
    r"\s*:?",
    re.IGNORECASE,
)
_MAX_RELATED_LABEL = 60
#: A teaser under a related link's time stamp is this short at most.
_MAX_TEASER = 400


# The first words of _RELATED_LABEL, lower-cased: a cheap test before it.
_RELATED_FIRST = frozenset(
    [
        "related",
        "recommended",
        "most",
        "trending",
        "read",
        "more",
        "top",
        "tags",
        "mehr",
        "lesen",
        "das",
        "weitere",
        "meistgelesen",
        "à",
        "lire",
        "sur",
        "les",
        "articles",
    ]
)


def _first_word(paragraph: str) -> str:
    return paragraph.split(None, 1)[0].rstrip(":").lower() if paragraph else ""


# A link to another story in a paragraph of its own, its label before it: "More: What to
# expect from the summit", "Lire aussi : Le sommet ...", "READ MORE: ...". The story's title
# is a heading (no sentence's stop).
_INLINE_RELATED = re.compile(r"(?P<label>[^\W\d_][^:]{1,40}?)\s*:\s+(?P<title>\S.{7,199})")
_INLINE_LABEL = re.compile(r"More|See\s+also|Also\s+read|Watch|WATCH|Video|VIDEO", re.IGNORECASE)


_MAX_INLINE_RELATED = 240


# Another story's title between two paragraphs of the text, as pages link them, in a headline's
# title case: every word capitalised, the small words too ("U.S.-Russia Summits, From Gravely
# Serious To Absurdly Comical"). A subhead of the report capitalises its small words seldom, and
# only English headlines do so.
_SMALL_WORDS = frozenset(
    [
        "A",
        "About",
        "After",
        "Against",
        "Amid",
        "An",
        "And",
        "As",
        "At",
        "Before",
        "Between",
        "By",
        "During",
        "For",
        "From",
        "In",
        "Into",
        "Of",
        "On",
        "Or",
        "Over",
        "The",
        "Through",
        "To",
        "Under",
        "With",
        "Without",
    ]
)
_MIN_HEADLINE_WORDS = 6
_MIN_SMALL_CAPITALS = 2


def _is_headline_link(paragraph: str) -> bool:
    words = paragraph.split()
    if len(words) < _MIN_HEADLINE_WORDS or not _heading(paragraph):
        return False
    if not all(word[:1].isupper() or not word[:1].isalpha() for word in words):
        return False
    return sum(1 for word in words[1:] if word in _SMALL_WORDS) >= _MIN_SMALL_CAPITALS


def _is_running_prose(paragraph: str) -> bool:
    """Whether ``paragraph`` is the report's prose: a long paragraph that ends as a sentence,
    half its words or more in lower case (a table's or a race card's lines, names and figures
    mostly, are not)."""
    if len(paragraph) < _MIN_LEAD or paragraph[-1:] not in _SENTENCE_END:
        return False
    words = paragraph.split()
    return 2 * sum(1 for word in words if word[:1].islower()) >= len(words)


def _strip_headline_links(body: list[str]) -> list[str]:
    """``body`` without other stories' titles between two paragraphs of the report's prose (a
    race card's names in title case sit between its own lines)."""
    kept = body[:1]
    for index in range(1, len(body)):
        paragraph = body[index]
        if (
            index + 1 < len(body)
            and _is_headline_link(paragraph)
            and _is_running_prose(kept[-1])
            and _is_running_prose(body[index + 1])
        ):
            continue
        kept.append(paragraph)
    return kept


def _is_inline_related(paragraph: str) -> bool:
    if len(paragraph) > _MAX_INLINE_RELATED or paragraph.find(":", 0, 42) < 0:
        return False
    match = _INLINE_RELATED.fullmatch(paragraph)
    if match is None or not _heading(match["title"]):
        return False
    label = match["label"]
    return _INLINE_LABEL.fullmatch(label) is not None or _RELATED_LABEL.fullmatch(label) is not None


def _is_related_label(paragraph: str) -> bool:
    return (
        len(paragraph) <= _MAX_RELATED_LABEL
        and paragraph[:1].isupper()
        and _first_word(paragraph) in _RELATED_FIRST
        and _RELATED_LABEL.fullmatch(paragraph) is not None
    )


def _strip_related_links(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without the page's links to other stories: a label (``Related Articles``,
    ``Mehr zum Thema``, ``Lire aussi``, ``Tags:``) and the links under it (headings; a time
    stamp and the teaser under it), or the label alone at the end."""
    body = list(paragraphs)
    index = 1
    while index < len(body):
        if not _is_related_label(body[index]):
            index += 1
            continue
        end = index + 1
        while end < len(body):
            item = body[end]
            after_stamp = is_time_stamp(body[end - 1]) and len(item) <= _MAX_TEASER
            if _heading(item) or is_time_stamp(item) or after_stamp:
                end += 1
            else:
                break
        if end > index + 1 or end == len(body):
            del body[index:end]
        else:
            index += 1
    return body


#: An answer that abstains is a few words ("Ich weiss es nicht. / Ich habe keine Meinung dazu.").
_MAX_ABSTAIN = 80


# An author's note after the report, as pages print it: the writer's full name, then what
# they are for the publication ("Jane Roe is an editor for Example News. Follow her on
# Twitter.", "Anna Muster ist Redakteurin ...", "Jeanne Dupont est journaliste ..."). The role
# is a journalist's (a person quoted in the report is seldom one).
_AUTHOR_NOTE = re.compile(
    r"(?P<name>[A-ZÀ-Þ][\w'’\-]+(?:\s+[A-ZÀ-Þ][\w'’.\-]+){1,3})\s+(?:is|was|ist|war|est|était)\s+"
    r"(?:(?:an?|the|eine?|une?|la|le|der|die)\s+)?(?:[\w'’\-]+\s+){0,4}?"
    r"(?:editor|writer|reporter|correspondent|contributor|columnist|journalist|producer|"
    r"Redakteurin|Redakteur|Korrespondentin|Korrespondent|Journalistin|Journalist|Autorin|Autor|"
    r"journaliste|correspondante?|rédactrice|rédacteur|chroniqueuse|chroniqueur)\b"
)
_MAX_AUTHOR_NOTE = 300
_AUTHOR_VERB = re.compile(r"\s(?:is|was|ist|war|est|était)\s")
_QUOTES = re.compile('["“”«»„]')
#: The note sits among the last paragraphs (widgets and promos may follow it).
_AUTHOR_NOTE_REACH = 3


def _author_note(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """``paragraphs`` without an author's note among the last three, and the author's name."""
    for index in range(len(paragraphs) - 1, max(1, len(paragraphs) - _AUTHOR_NOTE_REACH) - 1, -1):
        paragraph = paragraphs[index]
        if len(paragraph) > _MAX_AUTHOR_NOTE or not paragraph[:1].isupper():
            continue
        if _AUTHOR_VERB.search(paragraph) is None or _QUOTES.search(paragraph) is not None:
            # The note's verb and no quote, cheap tests before the pattern.
            continue
        match = _AUTHOR_NOTE.match(paragraph)
        if match is not None and _names(match["name"]):
            return paragraphs[:index] + paragraphs[index + 1 :], match["name"]
    return paragraphs, None


def _strip_abstention_polls(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without a poll that shows itself by its last answer, wherever it sits: a
    question, then one to five short answers and the abstention a reader's poll offers."""
    if "?" not in "".join(paragraphs):
        # A poll asks its question.
        return paragraphs
    body = list(paragraphs)
    index = 1
    while index < len(body):
        if len(body[index]) <= _MAX_ABSTAIN and _ABSTAIN.match(body[index]):
            for start in range(index - 2, max(-1, index - 7), -1):
                question = body[start].rstrip()
                if len(question) <= 160 and question.endswith("?"):
                    answers = body[start + 1 : index]
                    if all(len(a) <= 140 and not a.rstrip().endswith("?") for a in answers):
                        del body[start : index + 1]
                        index = start
                    break
        index += 1
    return body


def _poll_start(paragraphs: list[str]) -> int:
    """Where a poll at the end of ``paragraphs`` starts: a question, then two to six short
    answers and nothing after them; ``len(paragraphs)`` when there is none."""
    last = len(paragraphs)
    for index in range(max(1, last - 7), last - 2):
        question = paragraphs[index]
        answers = paragraphs[index + 1 :]
        if (
            len(question) <= 160
            and question.rstrip().endswith("?")
            and 2 <= len(answers) <= 6
            and all(len(a) <= 140 and not a.rstrip().endswith("?") for a in answers)
        ):
            return index
    return last


#: The longest of the short furniture below (a call to share with its link, an attribution).
_MAX_UNPUNCTUATED = max(_MAX_CALL, _MAX_ATTRIBUTION, _MAX_SHARE_ROW, _MAX_CREDIT)


def _without(body: list[str], furniture: Callable[[str], object]) -> list[str]:
    """``body`` without the paragraphs after the first that ``furniture`` says are furniture
    (the first, a title or a teaser, never is)."""
    return body[:1] + [p for p in body[1:] if not furniture(p)]


# A sentence printed twice on a page is the page's (a photo's alt text, then its caption; a
# teaser printed again), and so is the title printed again further down: on a page that shows
# itself by furniture elsewhere (a widget, a time stamp, a photo's credit, a share row), every
# copy goes. A report never repeats itself so. Sentences only, told by their words: wire copy
# repeats a table's rows and labels ("SATURDAY", "N.Y. Mets at Kansas City, 2:15 p.m."). The
# first paragraph printed again is the page's only when it reads as a title: a report's lead
# may close its text again.
_MIN_REPEATED_WORDS = 8
_MIN_REPEATED_LOWER = 3
_MIN_TITLE_WORDS = 4


def _is_sentence_like(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        len(words) >= _MIN_REPEATED_WORDS
        and sum(1 for word in words if word[:1].islower()) >= _MIN_REPEATED_LOWER
    )


def _repeated(paragraphs: list[str]) -> set[str]:
    """The paragraphs the page printed twice: sentences after the first paragraph, and the
    title printed again further down or right under itself."""
    if len(set(map(len, paragraphs))) == len(paragraphs):
        # No two paragraphs are as long as each other (a cheap test before hashing the text).
        return set()
    title = paragraphs[0]
    seen: set[str] = set()
    repeated: set[str] = set()
    for paragraph in paragraphs[1:]:
        if paragraph in seen and _is_sentence_like(paragraph):
            repeated.add(paragraph)
        seen.add(paragraph)
    if title in seen and (
        # A report's lead printed right under itself is no close of its text.
        paragraphs[1] == title or (_is_title(title) and len(title.split()) >= _MIN_TITLE_WORDS)
    ):
        repeated.add(title)
    if repeated and not any(map(_is_page_furniture, paragraphs)):
        return set()
    return repeated


def _is_page_furniture(paragraph: str) -> bool:
    return (
        _is_widget(paragraph)
        or is_time_stamp(paragraph)
        or is_photo_credit(paragraph)
        or _is_share_row(paragraph)
        or _is_url(paragraph)
    )


def _without_photo_copies(body: list[str]) -> list[str]:
    """``body`` without every copy of a paragraph the page printed twice (``_repeated``) and
    without the captions that a photo's credit in a paragraph of its own follows (the credit
    stays, for its own rule): a sentence or two right before the credit, unless the credit is
    printed over the photo's caption (a caption, a caption printed twice or another credit
    right after it) or nothing follows it. A page of photos and little else is a gallery,
    whose captions are its text: they stay there."""
    repeated = _repeated(body)
    captions = set()
    if min(map(len, body[2:]), default=_MAX_CREDIT + 1) <= _MAX_CREDIT:
        captions = {
            index - 1
            for index in range(2, len(body) - 1)
            if len(body[index]) <= _MAX_CREDIT
            and is_photo_credit(body[index])
            and len(body[index - 1]) <= _MAX_CAPTION
            and body[index - 1].rstrip()[-1:] in _STOP
            and not is_photo_credit(body[index - 1])
            # The report's text goes on after the credit (a last sentence before a credit
            # that ends the page is as likely the report's, and so is one before a credit
            # printed over its photo's caption).
            and body[index + 1] not in repeated
            and not is_photo_credit(body[index + 1])
            and not is_wire_caption(body[index + 1])
        }
        credits = sum(1 for paragraph in body if is_photo_credit(paragraph))
        if len(body) - len(captions) - credits < 2 * len(captions) + 1:
            captions = set()
    if not (captions or repeated):
        return body
    kept = [p for index, p in enumerate(body) if index not in captions and p not in repeated]
    return kept or body


def _shortest(body: list[str]) -> tuple[int, bool]:
    """The length of the shortest paragraph after the first, and whether a paragraph after the
    first is short enough for furniture and ends in no stop."""
    shortest = min(map(len, body[1:]), default=_MAX_TEASER)
    unpunctuated = shortest <= _MAX_UNPUNCTUATED and any(
        len(p) <= _MAX_UNPUNCTUATED and p[-1] not in _STOP for p in body[1:]
    )
    return shortest, unpunctuated


def strip_page_furniture(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """``paragraphs`` without a page's furniture around and inside the report: the byline slot
    after the teaser (its names are returned), a summary box, captions with their glued
    credits, channel promos at the end and a poll before them."""
    byline = None
    # Captions first: what the byline slot and the box are read beside is then what a second
    # pass over the result reads beside them.
    body = list(paragraphs)
    # Credits, share rows, link labels, ad slots, widgets and attributions are short and end
    # in no sentence's stop: a report whose short paragraphs all end as sentences (most copy)
    # has none of them, and one pass over it spares every test below. A page's repeated
    # sentences and its captions over a credit are read only on copy that shows such furniture.
    shortest, unpunctuated = _shortest(body)
    if unpunctuated:
        body = _without_photo_copies(body)
    if any(p[-1:].isalnum() for p in body[1:]):
        # The first paragraph (a title, a teaser) is never a caption.
        body = _without(body, is_caption_with_credit)
    # (A caption is short: a cheap test before the rule.)
    body = body[:1] + [p for p in body[1:] if len(p) > _MAX_CAPTION or not is_wire_caption(p)]
    if len(body) < len(paragraphs):
        shortest, unpunctuated = _shortest(body)
    if unpunctuated and shortest <= _MAX_CREDIT:
        body = _without(body, is_photo_credit)
    if unpunctuated:
        body = _without(body, _is_share_row)
    if unpunctuated and shortest <= _MAX_RELATED_LABEL:
        body = _strip_related_links(body)
    if unpunctuated:
        body = body[:1] + [
            p for p in body[1:] if len(p) > _MAX_INLINE_RELATED or not _is_inline_related(p)
        ]
        body = _strip_headline_links(body)
    if min(shortest, len(body[0]) if body else 0) <= _MAX_BUTTON and any(
        len(p) <= _MAX_BUTTON and p.isupper() for p in body
    ):
        # Before the byline slot: a button's label in capitals reads as a name.
        body = _strip_button_boxes(body)
    lead = _lead_byline(body)
    if lead is not None:
        taken, byline = lead
        del body[1 : 1 + taken]
    for start in range(1, min(len(body), 4)):
        size = _summary_box(body, start)
        if size and start + size < len(body):
            del body[start : start + size]
            break
    if unpunctuated and shortest <= _MAX_AD_LABEL and any(_AD_LABEL.fullmatch(p) for p in body[1:]):
        body = _without(body, _AD_LABEL.fullmatch)
    if unpunctuated and shortest <= _MAX_BUTTON_LABEL:
        body = _without_button_labels(body)
    while unpunctuated and len(body) > 2 and _is_tail_widget(body[-1]):
        # The page's widgets after the report's last paragraph ("Close", "Click here to
        # comment", "Read or Share this story: ...", the page's address).
        del body[-1]
    if unpunctuated and len(body) > 2 and (tail := _tail_byline(body[-1])) is not None:
        # The byline slot under the report, its time stamp in it.
        del body[-1]
        byline = byline or tail
    while (end := _tail_start(body)) < len(body):
        # A poll is the page's when the promos follow it: ending a report, a question and
        # short paragraphs after it are as likely the text.
        del body[_poll_start(body[:end]) :]
    if unpunctuated and any(p[:1] in '«“"„‹' for p in body[1:]):
        body = _strip_pull_quotes(body)
    body, author = _author_note(body)
    return _strip_abstention_polls(body), byline or author


# A notice that the report will be updated, as the last paragraph of a story still developing:
# a word for more ("Update", "Mehr", "More", "Suite") and one for following ("folgt", "to
# follow", "à suivre", "à venir"), a handful of words. A list is unavoidable here, the notice
# is words: kept small, in de, fr, en.
_UPDATE_NOTICE = re.compile(
    r"\(?(?:(?:Ein\s+)?Update|Mehr|Weitere\s+(?:Infos|Informationen|Details)|More|Further\s+"
    r"details|Updates?|Details|Plus\s+d['’]informations|(?:La\s+)?[Ss]uite|Mise\s+à\s+jour)"
    r"\s+(?:folgt|folgen|in\s+Kürze|to\s+follow|to\s+come|à\s+suivre|suit|suivent|suivra|"
    r"à\s+venir)\s*(?:\.{1,3}|…|!)?\)?",
    re.IGNORECASE,
)
_MAX_NOTICE = 48


def strip_update_notice(paragraphs: list[str]) -> tuple[list[str], str | None]:
    """``paragraphs`` without a last paragraph that announces an update (``Update folgt...``,
    ``More to follow``, ``Suite à venir``), and that notice: an editor's note."""
    if len(paragraphs) < 2:
        return paragraphs, None
    last = paragraphs[-1].strip()
    if len(last) > _MAX_NOTICE or _UPDATE_NOTICE.fullmatch(last) is None:
        return paragraphs, None
    return paragraphs[:-1], last
