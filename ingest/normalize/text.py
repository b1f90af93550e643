"""Text repair and layout: the part of normalization that knows nothing of agencies.

HTML becomes text with its paragraphs (``html.py``), mojibake is repaired with ftfy (curly
quotes and the language's own punctuation are kept), the result is NFC, control characters of
wire transmissions (ANPA, IPTC 7901: SOH, STX, ETX, SYN, US...) become spaces, every kind of
typographic space becomes a plain space, white space inside a paragraph collapses to one space,
and paragraphs are kept, separated by one blank line. Applying it to its own output changes
nothing.
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

from ingest.normalize.html import html_to_text, looks_like_html, strip_shortcodes

__all__ = [
    "clean_paragraphs",
    "clean_text",
    "join_paragraphs",
    "shows_mojibake",
    "split_paragraphs",
]

_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,  # entities are decoded once, below, where it cannot be repeated
    uncurl_quotes=False,  # «» and “” are the language's own typography: keep them
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)

# UTF-8 read as Latin-1 or cp1252 leaves a lead byte (Â-ô) before a continuation byte
# (0x80-0xBF, or what cp1252 shows for it). ftfy is slow, so it runs only where this shows.
#: Passes of ftfy's repair before its result counts as settled.
_MAX_REPAIRS = 3
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030"
    "\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161"
    "\u203a\u0153\u017e\u0178]"
)
# Typographic spaces agencies use (no-break, narrow no-break, thin, figure, ideographic...).
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
# Zero-width characters and soft hyphens carry nothing a reader sees.
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# C0 and C1 controls; in wire copy they are transmission framing, so they separate words.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# Every character the patterns above replace (and the inverted question mark), in one class.
_SPECIAL = re.compile(
    "[\u00ad\u200b\u200c\u200d\u2060\ufeff\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    "\t\f\v\x00-\x08\x0e-\x1f\x7f-\x9f\u00bf]"
)
# The same controls as bytes, in ASCII: deleting them from the encoded text is a test in C,
# several times faster than the pattern's search, that most text passes.
_ASCII_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MAX_UNESCAPES = 4
# An inverted question mark inside a word (``Blair¿s``) is an apostrophe a charset conversion
# could not map: Spanish opens a question with it, after a space or a dash, never mid-word.
_INVERTED_IN_WORD = re.compile(r"(?<=[^\W\d_])\u00bf(?=[^\W\d_])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


# An entity whose ampersand a republisher turned into a space (" #39;s", " quot;They",
# "AT amp;T"): the space goes with it (at the very start, with no space, it is read as text).
# Only the entities of punctuation, spaces and symbols (what a numeric one names is checked):
# no word ends so.
_LOST_AMPERSAND = re.compile(r"\s(?P<entity>#[0-9]{2,4}|#[xX][0-9a-fA-F]{2,4}|quot|amp|apos|nbsp);")


def _may_have_lost_ampersand(text: str) -> bool:
    return "#" in text or "quot;" in text or "amp;" in text or "apos;" in text or "nbsp;" in text


def _found_ampersand(match: re.Match[str]) -> str:
    character = html.unescape(f"&{match['entity']};")
    if len(character) != 1 or unicodedata.category(character)[0] not in "PZS":
        return match.group(0)
    return character


def _found_ampersands(text: str) -> str:
    """``text`` with its entities whose ampersand was lost read (and what that makes of a
    double-escaped one, `` amp;#39;``, decoded)."""
    if ";" not in text or not _may_have_lost_ampersand(text):
        return text
    text = _LOST_AMPERSAND.sub(_found_ampersand, text)
    if "&" in text and _ENTITY.search(text):
        text = _unescape(text)
    return text


def _unescape(text: str) -> str:
    """Decode entities in plain text, and the markup they were hiding, to a fixed point.

    Plain text with ``&lt;p&gt;`` is markup escaped once too often (agencies' feeds aggregated
    by others): decoded, it is converted like any markup. Each pass decodes one level, so
    ``&amp;lt;`` settles in one run and normalizing the result again changes nothing; text that
    still holds entities after the passes is left as it was.
    """
    original = text
    for _ in range(_MAX_UNESCAPES):
        decoded = html.unescape(text)
        if looks_like_html(decoded):
            decoded = html_to_text(decoded)
        if decoded == text or not _ENTITY.search(decoded):
            return decoded
        text = decoded
    return original


def shows_mojibake(text: str) -> bool:
    """Whether ``text`` holds the mark of mojibake that the repair looks for."""
    return not text.isascii() and _MOJIBAKE_HINT.search(text) is not None


def _repaired(text: str) -> str:
    # ftfy's repair can leave text that it would repair once more (a C1 control made a
    # cp1252 character next to a lead byte: "Â\x80" becomes "Â€", which reads as mojibake in
    # turn): repairing until it settles keeps normalization idempotent.
    for _ in range(_MAX_REPAIRS):
        fixed = ftfy.fix_text(text, _FTFY)
        if fixed == text:
            break
        text = fixed
    return text


def clean_text(text: str) -> str:
    """Repair encoding damage and unify characters; paragraph structure is kept."""
    return _cleaned(text)[0]


def _cleaned(text: str) -> tuple[str, bool]:
    """``clean_text``'s text, and whether it may show the mark of mojibake (if not, it cannot:
    none was found where the repair looks, and what came after made no character)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    if looks_like_html(text):
        text = html_to_text(text)
    elif "[" in text:
        text = strip_shortcodes(text)
    # After HTML too: escaped entities in markup (``&amp;lt;``) come out of it as entities.
    if "&" in text and _ENTITY.search(text):
        text = _unescape(text)
    if not text.isascii():
        # Each pattern's search costs a scan of the text in the regex engine; most text has
        # none of the characters they replace (one scan says so) and needs no repair.
        special = _SPECIAL.search(text) is not None
        if special:
            text = _INVISIBLE.sub("", text)
        marked = _MOJIBAKE_HINT.search(text) is not None
        if marked:
            # The repair can make an invisible character ("â\x81 " is a word joiner's bytes).
            text = _INVISIBLE.sub("", _repaired(text))
            special = True
        if special:
            # One character for one: no two characters come together that were apart.
            text = _SPACES.sub(" ", text)
            if "\u00bf" in text:
                text = _INVERTED_IN_WORD.sub("'", text)
        # Canonical composition makes none of the special characters but from another one
        # (U+2000 is U+2002): without them, there are no controls to replace after it. It can
        # make the mark's lead ("A" and a combining circumflex).
        composed = unicodedata.normalize("NFC", text)
        marked = marked or composed != text
        text = composed
        if not special:
            return _with_found_ampersands(text, marked)
    elif len(encoded := text.encode()) == len(encoded.translate(None, _ASCII_CONTROLS)):
        return _with_found_ampersands(text, False)
    else:
        marked = False
    # Last, on characters already unified: what an invisible or a control character stood in
    # front of ("\u200bamp;", "\x01amp;") reads as it will the next time.
    return _with_found_ampersands(_CONTROL.sub(" ", text), marked)


def _with_found_ampersands(text: str, marked: bool) -> tuple[str, bool]:
    # A decoded entity is a character that was not there ("Ã #169;" is "Ã©").
    found = _found_ampersands(text)
    return found, marked or found is not text


def clean_paragraphs(text: str) -> list[str]:
    """``clean_text`` then ``split_paragraphs``, repeated while mojibake repair still finds work.

    Collapsing white space can put together what ftfy reads as mojibake (``Â`` then a line
    break becomes ``Â `` then a space, the mark of a broken no-break space); running the repair
    again on the collapsed text until it settles keeps normalization idempotent. Clean text
    rarely shows the mark, and text where ``clean_text`` neither found nor made it cannot (the
    split changes white space only), so this costs nothing in nearly every case.
    """
    cleaned, marked = _cleaned(text)
    paragraphs = split_paragraphs(cleaned)
    if not marked:
        return paragraphs
    for _ in range(3):
        joined = join_paragraphs(paragraphs)
        if joined.isascii() or not _MOJIBAKE_HINT.search(joined):
            break
        again = split_paragraphs(clean_text(joined))
        if again == paragraphs:
            break
        paragraphs = again
    return paragraphs


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of cleaned text, each collapsed to single spaces, empty ones dropped."""
    paragraphs = []
    for part in _PARAGRAPH_BREAK.split(text):
        # A paragraph's ends (the text's last line break) are stripped without the split.
        part = part.strip()
        if _uncollapsed(part):
            part = " ".join(part.split())
        if part:
            paragraphs.append(part)
    return paragraphs


def _uncollapsed(part: str) -> bool:
    """Whether ``part`` holds white space (as ``str.isspace`` reads it) that collapsing to
    single spaces changes: two spaces, or any but a space.

    Most paragraphs have single spaces only, and ``str.split()`` makes an object per word:
    these tests in C cost a fifth of it (a regex's character class costs more than the split).
    Every white space but the ASCII space is a character ``str.isprintable`` refuses.
    """
    return (
        "  " in part
        or "\n" in part
        or "\t" in part
        or "\r" in part
        or "\x0b" in part
        or "\x0c" in part
        or "\x1c" in part
        or "\x1d" in part
        or "\x1e" in part
        or "\x1f" in part
        or (not part.isascii() and not part.isprintable())
    )


def join_paragraphs(paragraphs: list[str]) -> str:
    """The body layout of the data contract: paragraphs separated by one blank line."""
    return "\n\n".join(paragraphs)
