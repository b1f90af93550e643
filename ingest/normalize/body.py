"""A body's text normalized: repaired, laid out, its markers taken off into fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.normalize.agencies import canonical_agency
from ingest.normalize.datelines import (
    Dateline,
    is_bare_dateline,
    opens_with_dateline,
    strip_dateline,
)
from ingest.normalize.header import lead_byline, strip_header
from ingest.normalize.page import (
    is_marker_remnant,
    is_photo_credit,
    is_time_stamp,
    is_wire_caption,
    strip_page_furniture,
    strip_page_head,
    strip_update_notice,
)
from ingest.normalize.references import strip_story_codes
from ingest.normalize.text import clean_paragraphs, join_paragraphs, shows_mojibake
from ingest.normalize.trailers import strip_trailers

__all__ = [
    "FLAG_MARKERS_KEPT",
    "FLAG_NOTEBOOK_REMOVED",
    "NormalizedBody",
    "normalize_body",
]

#: Flag set on a story whose markers were left in because removing them would empty it.
FLAG_MARKERS_KEPT = "markers-kept-body-would-be-empty"
#: Flag set on a story whose editors' notebook (not for publication) was cut off.
FLAG_NOTEBOOK_REMOVED = "editors-notebook-removed"


@dataclass(frozen=True)
class NormalizedBody:
    """Clean body text and the markers that came off it."""

    body: str
    dateline: str | None = None
    agencies: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    copyright: str | None = None
    flags: tuple[str, ...] = ()
    byline: str | None = None
    ednote: str | None = None
    signals: tuple[str, ...] = ()


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


#: How many more passes a body whose head came off may take to reach its fixed point.
_MAX_PASSES = 3


def normalize_body(text: str) -> NormalizedBody:
    """Clean ``text`` and take its markers off.

    Editor's notes, bylines and disclaimers come off the head, then the dateline off the
    start of the story, credits, copyright lines and boilerplate off the end. When taking
    them off would leave no text, they stay and the result is flagged ``FLAG_MARKERS_KEPT``.
    Deterministic and idempotent: ``normalize_body(normalize_body(t).body).body`` is
    ``normalize_body(t).body``.

    The rules for a head read the first paragraph as the body gives it; once markers came off
    the head, what is left first can read as a title or a teaser that the first paragraph did
    not (stacked markers, a marker left alone). Such a body is normalized again until nothing
    changes (a report's first paragraph after its dateline is a sentence: it never pays).
    """
    result, furnished = _normalize_once(text)
    for _ in range(_MAX_PASSES):
        if not _head_may_change(result, furnished):
            break
        again, furnished = _normalize_once(result.body)
        if again.body == result.body:
            break
        result = _merged(result, again)
    return result


def _head_may_change(result: NormalizedBody, furnished: bool) -> bool:
    """Whether markers came off the head (or a page's furniture off the paragraphs the head's
    rules read beside each other) and what is left first reads as no sentence."""
    marked = result.dateline or result.agencies or result.ednote or result.byline
    if not (marked or furnished):
        return False
    first = result.body.partition("\n\n")[0]
    return not first.rstrip().endswith(_SENTENCE_END)


def _merged(first: NormalizedBody, again: NormalizedBody) -> NormalizedBody:
    """The second pass's body with the markers of both, the first pass's first."""
    notes = [n for n in (first.ednote, again.ednote) if n]
    copyrights = [c for c in (first.copyright, again.copyright) if c]
    return NormalizedBody(
        body=again.body,
        dateline=first.dateline or again.dateline,
        agencies=_unique([*first.agencies, *again.agencies]),
        editors=_unique([*first.editors, *again.editors]),
        copyright="\n".join(copyrights) or None,
        flags=_unique([*first.flags, *again.flags]),
        byline=first.byline or again.byline,
        ednote="\n".join(notes) or None,
        signals=_unique([*first.signals, *again.signals]),
    )


def _normalize_once(text: str) -> tuple[NormalizedBody, bool]:
    """One pass of ``normalize_body``, and whether a page's furniture came off."""
    paragraphs = clean_paragraphs(text)
    original = join_paragraphs(paragraphs)
    dateline = None
    if len(paragraphs) > 1:
        paragraphs = _without_no_text(paragraphs)
    _drop_left_separator(paragraphs)
    paragraphs, header = strip_header(paragraphs, _starts_with_dateline)
    if paragraphs:
        _drop_left_separator(paragraphs)
        if header.byline is None and (glued := lead_byline(paragraphs[0], _place)) is not None:
            header.byline, paragraphs[0] = glued
        paragraphs[0], dateline = strip_dateline(paragraphs[0])
        # What the dateline leaves can be no text ("PARIS (AFP) - ." then another dateline's
        # paragraph) or a separator before the text ("PARIS (AFP) - , 0."): so that the body
        # normalizes to itself, that goes too.
        while dateline is not None and len(paragraphs) > 1 and _is_no_text(paragraphs[0]):
            del paragraphs[0]
            paragraphs[0], more = strip_dateline(paragraphs[0])
            if more is None:
                break
            dateline = dateline.and_then(more)
        if dateline is not None:
            _drop_left_separator(paragraphs)
    if dateline is None and len(paragraphs) > 2 and not is_bare_dateline(paragraphs[0]):
        # Agency copy on a web page: the page's head (title, byline slot, time stamps, photos)
        # before the report's dateline comes off, its byline slot becomes the byline. A first
        # paragraph that is a dateline alone (kept, as the rest would be empty) is no title.
        before = len(paragraphs)
        candidate, slot = strip_page_head(paragraphs, opens_with_dateline)
        if len(candidate) < before:
            rest, found = strip_dateline(candidate[0])
            # The report under a page's head has text: markers alone after its dateline are
            # what a first pass left of stacked markers, and no page.
            if not is_marker_remnant(rest):
                paragraphs = [rest, *candidate[1:]]
                dateline = found
                header.byline = header.byline or slot
    if dateline is None and len(paragraphs) > _AGENCY_START_MIN + 1:
        found_start = _report_after_page_head(paragraphs)
        if found_start is not None:
            paragraphs, dateline = found_start
    # What is left of a dateline's paragraph can open a head of its own (a heading, a note
    # before another dateline): take that too, so that the body normalizes to itself.
    while dateline is not None and len(paragraphs) > 1:
        again, more_header = strip_header(paragraphs, _starts_with_dateline)
        if len(again) == len(paragraphs):
            break
        header.notes.extend(more_header.notes)
        header.signals.extend(s for s in more_header.signals if s not in header.signals)
        header.byline = header.byline or more_header.byline
        paragraphs = again
        paragraphs[0], more = strip_dateline(paragraphs[0])
        if more is None:
            break
        dateline = dateline.and_then(more)
    # dpa's teaser, then the dateline's paragraph; also after a first dateline (what is left of
    # its paragraph reads as a teaser), so that the body normalizes to itself.
    if len(paragraphs) > 1 and (after := _dateline_after_teaser(paragraphs)) is not None:
        paragraphs, after_teaser = after
        dateline = after_teaser if dateline is None else dateline.and_then(after_teaser)
    # Reuters' codes of related stories inside the text, then the credits after it.
    paragraphs = strip_story_codes(paragraphs)
    paragraphs, trailer = strip_trailers(paragraphs)
    # A page's furniture (captions, promos, a poll) can sit on either side of the credits: the
    # credits before it come off once it is gone.
    before = len(paragraphs)
    paragraphs, slot = strip_page_furniture(paragraphs)
    furnished = len(paragraphs) < before
    header.byline = header.byline or slot
    # A developing story's last paragraph announcing its update is a note to the reader from
    # the desk: an editor's note.
    paragraphs, notice = strip_update_notice(paragraphs)
    if notice is not None:
        header.notes.append(notice)
    if len(paragraphs) < before:
        paragraphs, earlier = strip_trailers(paragraphs)
        trailer.add_before(earlier)
    if len(paragraphs) > 1:
        # What the markers left can be no text too ("PARIS (AFP) - ." is "."): it goes.
        paragraphs = _without_no_text(paragraphs)
    if not paragraphs:
        flags = (FLAG_MARKERS_KEPT,) if original else ()
        return NormalizedBody(original, flags=flags), False
    agencies = list(dateline.agencies) if dateline else []
    body = join_paragraphs(paragraphs)
    if body != original and shows_mojibake(body):
        # Without its markers the text can read as mojibake where it did not before ("Â€Ä"
        # beside a credit is kept, alone it is repaired): clean it once more, so that the body
        # normalizes to itself. A body that lost nothing was cleaned until it settled.
        body = join_paragraphs(clean_paragraphs(body)) or body
    normalized = NormalizedBody(
        body=body,
        dateline=dateline.text if dateline else None,
        agencies=_unique(agencies + trailer.agencies),
        editors=_unique(trailer.editors),
        copyright=trailer.copyright,
        flags=(FLAG_NOTEBOOK_REMOVED,) if trailer.notebook else (),
        byline=header.byline or trailer.byline,
        ednote="\n".join(header.notes) or None,
        signals=tuple(header.signals),
    )
    return normalized, furnished


#: How long dpa's teaser (one paragraph before the dateline's) may be.
_TEASER_CHARS = 400
_TEASER_WORDS = 3
_SENTENCE_END = (".", "!", "?", "»", '"', "“", "”", "…")


def _dateline_after_teaser(paragraphs: list[str]) -> tuple[list[str], Dateline] | None:
    """dpa's teaser in a paragraph of its own, then ``Erfurt (dpa) - ...``: the dateline comes
    off, the teaser stays. Only a dateline with an agency's group counts here (a place and a
    dash alone open many a sentence), after one short paragraph of sentences (not a heading:
    a digest's first item opens with its own)."""
    teaser, second = paragraphs[0], paragraphs[1]
    if len(teaser) > _TEASER_CHARS or not teaser.endswith(_SENTENCE_END):
        return None
    if len(teaser.split()) < _TEASER_WORDS:
        return None
    if "(" not in second[:80] and "/" not in second[:80]:
        return None
    rest, found = strip_dateline(second)
    if found is None or not found.agencies or not found.text or not rest:
        return None
    if is_marker_remnant(rest):
        return None
    return [teaser, rest, *paragraphs[2:]], found


#: Where an agency's dateline may open the report under a page's furniture: after two
#: paragraphs at least (one is dpa's teaser, which stays), within the first sixteen.
_AGENCY_START_MIN = 2
_AGENCY_START_MAX = 16
#: The furniture before it is short (labels, time stamps, captions, a weather box), the lead
#: that the dateline opens is not.
_MAX_FURNITURE_CHARS = 300
_MIN_LEAD_CHARS = 150


def _shows_page(paragraph: str) -> bool:
    return (
        len(paragraph.split()) <= 2
        or not any(c.isalpha() for c in paragraph)
        or is_time_stamp(paragraph)
        or is_wire_caption(paragraph)
        or is_photo_credit(paragraph)
    )


def _opens_with_agency_group(paragraph: str) -> bool:
    """A cheap test before the dateline's rules: a listed agency's group among the first
    eighty characters of a paragraph that opens with a capital."""
    if not paragraph[:1].isupper():
        return False
    opening = paragraph.find("(", 0, 80)
    closing = paragraph.find(")", opening, opening + 40) if opening >= 0 else -1
    return (
        closing > 0 and canonical_agency(paragraph[opening + 1 : closing].split("/")[0]) is not None
    )


def _report_after_page_head(paragraphs: list[str]) -> tuple[list[str], Dateline] | None:
    """Agency copy on a page whose head no rule of the page's head reads (a weather box, a
    gallery's counter, captions): a listed agency's dateline opening a long paragraph among
    the first sixteen, short paragraphs alone before it and one that shows a page among them,
    starts the report; what is before it is the page's."""
    for index, paragraph in enumerate(paragraphs[:_AGENCY_START_MAX]):
        if index >= _AGENCY_START_MIN and _opens_with_agency_group(paragraph):
            opening = _opening_dateline(paragraph)
            rest, found = opening if opening is not None else ("", None)
            if (
                found is not None
                and any(canonical_agency(a) for a in found.agencies)
                and len(rest) >= _MIN_LEAD_CHARS
            ):
                # The head shows a page: a widget's word, a gallery's counter, a time stamp,
                # a photo's caption or credit (a press release's title and decks, sentences
                # all, are its own text).
                if not any(map(_shows_page, paragraphs[:index])):
                    return None
                return [rest, *paragraphs[index + 1 :]], found
        if len(paragraph) > _MAX_FURNITURE_CHARS:
            return None
    return None


# A paragraph of a comma or a full stop alone is what a page or a converter left of an empty
# field ("Jane Roe" / "," / "July 14, 2018"): no text, and it goes. Section marks and bullets
# ("* * *", "•") are kept for the rules that read them.
_STRAY_PUNCTUATION = re.compile(r"[,;.:|]+")
# What a converter wrote for an empty field ("None", "null"), and the name of an icon that a
# page writes as words in lower case joined by underscores ("more_vert", "play_arrow"). A word
# in lower case alone is left: copy split at its emphasis has them ("I" / "was" / "prime
# minister"). A page's buttons for the text's size are the letter A repeated ("A A").
_NO_TEXT_WORD = re.compile(
    r"None|null|NULL|NaN|undefined|[a-z]{2,12}(?:_[a-z]{2,12}){1,2}|A[+\-]?(?:\s+A[+\-]?){1,3}"
)


def _is_no_text(paragraph: str) -> bool:
    return len(paragraph) <= _MAX_NO_TEXT_WORD and (
        _STRAY_PUNCTUATION.fullmatch(paragraph) is not None
        or _NO_TEXT_WORD.fullmatch(paragraph) is not None
    )


_MAX_NO_TEXT_WORD = 40


def _without_no_text(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without those that are no text, unless none is left."""
    kept = [p for p in paragraphs if len(p) > _MAX_NO_TEXT_WORD or not _is_no_text(p)]
    return kept or paragraphs


# What a republisher left of a dateline it cut off (``_ At least three ...``, ``: A military
# plane ...``, ``-- The team ...``), or a stray comma line before it (``, WASHINGTON (AP) _``):
# the separator, then the text.
# Typeset dashes (``— Hillary Clinton (@HillaryClinton)``) open attributions and dialogue: the
# wire's separators are ASCII.
_LEFT_SEPARATOR = re.compile(r"(?:[_:;,]|-{1,2})+\s+(?=[\"“„«'`‘(]?[^\W_])")


def _drop_left_separator(paragraphs: list[str]) -> None:
    """A dateline's separator left before the first paragraph's text comes off, unless the
    next paragraph opens with the same mark (a list's dash)."""
    if not paragraphs or paragraphs[0][:1] not in "_:;,-":
        return
    match = _LEFT_SEPARATOR.match(paragraphs[0])
    if match is None or match.end() == len(paragraphs[0]):
        return
    mark = match.group(0).strip()
    if len(paragraphs) > 1 and paragraphs[1].startswith(mark):
        return
    paragraphs[0] = paragraphs[0][match.end() :]


def _opening_dateline(paragraph: str) -> tuple[str, Dateline] | None:
    """The rest of ``paragraph`` and the dateline with a place that opens it (not one after
    its lead), or None."""
    rest, dateline = strip_dateline(paragraph)
    if dateline is None or not dateline.text or not paragraph.startswith(dateline.text[:3]):
        return None
    return rest, dateline


def _place(paragraph: str) -> str | None:
    """The place of the dateline that opens ``paragraph``, or None."""
    opening = _opening_dateline(paragraph)
    return opening[1].text if opening is not None else None


def _starts_with_dateline(paragraph: str) -> bool:
    return strip_dateline(paragraph)[1] is not None
