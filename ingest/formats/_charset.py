"""Payload bytes to text: the one charset rule of every parser.

The order, first that holds wins:

1. A byte-order mark (UTF-8, UTF-16, UTF-32). Bytes that do not fit it raise ``ParseError``.
2. The source's own ``encoding`` (``sources.toml``): the operator knows the feed. Bytes that do
   not fit it raise ``ParseError``; nothing is guessed over a declaration made by hand.
3. UTF-16 or UTF-32 without a mark, told by where the zero bytes fall (every second byte, or
   three bytes of four, are zero in text that is mostly ASCII; XML's appendix F reads the same
   signature off ``<?xml``). Flagged as guessed.
4. What the payload declares (an HTTP ``charset``, an XML declaration), else UTF-8. The
   declaration is kept when the bytes decode with it and the text reads as text; a declaration
   of an 8-bit code page over bytes that are valid UTF-8 with non-ASCII letters is a lie
   converters tell (AFP's NewsML 1.2, dpa's newer services) and UTF-8 wins, flagged.
5. Otherwise charset-normalizer guesses: its candidates in its own order, the first whose text
   reads as text, then the Western code pages (cp1252 last, it never fails). Flagged.
   Nothing reads as text: ``ParseError`` naming the first undecodable byte.

"Reads as text" (``reads_as_text``) is what a mis-read charset breaks and real copy never shows:
charset-normalizer's mess ratio (accented letters where none belong, symbols inside words...)
under ``MESS_LIMIT``, no word that mixes ASCII letters with Greek, Cyrillic, Hebrew, Arabic or
Thai letters (a Western text read in a Cyrillic code page: ``invesГ(tors``), and CJK characters
that stand among CJK, not one by one between Latin letters and digits (a latin-1 German text
read as Shift_JIS: ``Gr<kanji>en``). charset-normalizer left free reads a short latin-1 text with
a few umlauts as Shift_JIS or gb18030 with little "chaos", which is why its guess must pass
the same test.

ANPA 1312 and IPTC 7901 carry no declaration and are sent by Western services in their own 8-bit
extensions (dpa's English service in latin-1, AAP in cp1252): ``decode_wire`` is the same rule
with the guesses held to the Western code pages.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

import numpy as np
from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from record.errors import ParseError
from record.story import RawItem

__all__ = [
    "FLAG_CHARSET_GUESSED",
    "MESS_LIMIT",
    "Decoded",
    "declared_charset",
    "decode_payload",
    "decode_wire",
    "reads_as_text",
    "transcode",
    "wide_codec",
]

#: The flag a story gets when its payload's charset was guessed: ``charset-guessed:<codec>``.
FLAG_CHARSET_GUESSED = "charset-guessed"
#: charset-normalizer's mess ratio above which a decoding is not text (real copy scores ~0,
#: Cyrillic read as latin-1 scores over 1).
MESS_LIMIT = 0.4

#: The code pages a Western service sends when it leaves 7 bits.
_WESTERN = ["cp1252", "latin_1", "iso8859_15"]
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# How much of a payload the zero-byte count and the text test look at.
_SNIFF = 4096
_SAMPLE = 65536


@dataclass(frozen=True)
class Decoded:
    """The text of a payload, the codec that read it and whether that codec was guessed."""

    text: str
    codec: str
    guessed: bool = False

    @property
    def flag(self) -> str | None:
        """``charset-guessed:<codec>`` when guessed, else None."""
        return f"{FLAG_CHARSET_GUESSED}:{self.codec}" if self.guessed else None


# The last payload asked about and the answer, by identity: a payload's bytes are looked at
# first by ``parse_payload`` (before and after its format is known) and again by its parser,
# and bytes objects do not change. One entry each, so nothing is held beyond one payload.
_last_wide: tuple[bytes, str | None] = (b"", None)
_last_decoded: (
    tuple[bytes, tuple[str | None, str | None, tuple[str, ...] | None], Decoded] | None
) = None


def wide_codec(data: bytes) -> str | None:
    """UTF-16/32 (LE or BE) told by the zero bytes of a payload without a byte-order mark."""
    global _last_wide
    if data is _last_wide[0]:
        return _last_wide[1]
    found = _wide_codec(data)
    _last_wide = (data, found)
    return found


def _wide_codec(data: bytes) -> str | None:
    head = data[: _SNIFF - _SNIFF % 4]
    if len(head) < 8:
        return None
    quads = len(head) // 4
    zeros = [head[k : quads * 4 : 4].count(0) / quads for k in range(4)]
    # UTF-32: the two high bytes of every character of the Basic Multilingual Plane are zero.
    if min(zeros[2:]) > 0.9 and zeros[0] < 0.5:
        return "utf-32-le"
    if min(zeros[:2]) > 0.9 and zeros[3] < 0.5:
        return "utf-32-be"
    # UTF-16: ASCII characters leave a zero in one byte of two and none in the other; the
    # high bytes of one alphabet's letters (Cyrillic, Greek...) take few values.
    even_zeros, odd_zeros = (zeros[0] + zeros[2]) / 2, (zeros[1] + zeros[3]) / 2
    if odd_zeros > 0.1 and even_zeros * 5 < odd_zeros:
        return "utf-16-le"
    if even_zeros > 0.1 and odd_zeros * 5 < even_zeros:
        return "utf-16-be"
    even, odd = _narrow_halves(head)
    if odd and not even:
        return "utf-16-le"
    if even and not odd:
        return "utf-16-be"
    return None


def _narrow_halves(head: bytes) -> tuple[bool, bool]:
    """Whether at most 4 distinct byte values make up 95% of the even bytes of ``head``, and
    of its odd bytes: one tally of both halves."""
    keys = np.frombuffer(head, dtype=np.uint8).astype(np.intp)
    keys[1::2] += 256
    tally = np.bincount(keys, minlength=512).reshape(2, 256)
    top = np.sort(tally, axis=1)[:, -4:].sum(axis=1)
    sizes = np.array([len(head) - len(head) // 2, len(head) // 2])
    even, odd = (top >= 0.95 * sizes).tolist()
    return bool(even), bool(odd)


_ALPHABETS = "\u0370-\u06ff\u0e00-\u0e7f"  # Greek, Cyrillic, Armenian, Hebrew, Arabic, Thai
# C1 controls, and DOS box drawing glued to letters: what a wrong code page puts into words.
_DEBRIS = re.compile("[\u0080-\u009f]|(?<=\\w)[\u2500-\u25ff]|[\u2500-\u25ff](?=\\w)")
_WORD = re.compile(r"[^\W\d_]{4,}")
_ASCII_LETTER = re.compile("[A-Za-z]")
_ALPHABET_LETTER = re.compile(f"[{_ALPHABETS}]")
_CJK = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff61-\uff9f]")
_CJK_AMONG_LATIN = re.compile(
    "(?<=[A-Za-z0-9])[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff61-\uff9f]"
    "|[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff61-\uff9f](?=[A-Za-z0-9])"
)


def _mixed_word(text: str) -> bool:
    """Whether a word of ``text`` mixes ASCII letters with Greek, Cyrillic... letters."""
    if not _ALPHABET_LETTER.search(text):
        return False
    return any(
        _ASCII_LETTER.search(word) and _ALPHABET_LETTER.search(word)
        for word in _WORD.findall(text)
        if not word.isascii()
    )


def reads_as_text(text: str) -> bool:
    """Whether ``text`` reads as text in some script, not as a charset misread (module doc)."""
    sample = text[:_SAMPLE]
    if sample.isascii():
        return True
    if "\ufffd" in sample or _DEBRIS.search(sample) or _mixed_word(sample):
        return False
    cjk = len(_CJK.findall(sample))
    if cjk and len(_CJK_AMONG_LATIN.findall(sample)) * 2 > cjk:
        return False
    return mess_ratio(sample, MESS_LIMIT) < MESS_LIMIT


def _strict(data: bytes, codec: str, skipped: int = 0) -> str:
    try:
        return data[skipped:].decode(codec)
    except UnicodeDecodeError as exc:
        at = exc.start + skipped  # counted from the start of the payload as delivered
        raise ParseError(
            f"not valid {codec}: byte 0x{data[at]:02x} at offset {at}"
            " (declare the source's encoding in sources.toml if it is not UTF-8)"
        ) from exc


# Code pages of old desktops (Mac, DOS) no news feed is written in today: last on a tie.
_DESKTOP = re.compile(r"mac_|cp(?:4\d\d|7\d\d|8[56]\d|1125)$|hp_|ptcp|kz1048")


def _rank(encoding: str) -> int:
    return 0 if encoding in _WESTERN else 2 if _DESKTOP.match(encoding) else 1


def _guesses(data: bytes, candidates: list[str] | None) -> list[str]:
    """charset-normalizer's candidates, least chaos first; on a tie the Western code pages
    (the commonest in news copy: cp1250 and cp1252 read French alike but for a few letters),
    then the other Windows, ISO and national ones, then the desktop ones (mac_greek and cp1253
    read the same Greek bytes with equal chaos; only cp1253 is right for a feed)."""
    found = list(from_bytes(data, cp_isolation=candidates))
    ranked = sorted(
        range(len(found)),
        key=lambda i: (round(found[i].chaos, 2), _rank(found[i].encoding), i),
    )
    names = [found[i].encoding for i in ranked]
    return [*names, *(c for c in _WESTERN if c not in names)]


def _guess(data: bytes, candidates: list[str] | None) -> Decoded | None:
    for codec in _guesses(data, candidates):
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if reads_as_text(text):
            return Decoded(text, codec, guessed=True)
    return None


def _damaged_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 with a few bad bytes rather than text in an 8-bit charset.

    An 8-bit charset's letters (``é`` as the lone byte E9) almost never form valid UTF-8
    multi-byte sequences; text that holds at least as many valid ones as invalid bytes is UTF-8
    that a transmission damaged, which no guess would read right.
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for ch in text if ord(ch) > 0x7F) - invalid
    return valid > 0 and valid >= invalid


def _known(codec: str | None) -> str | None:
    """The codec's canonical name (``utf-8``, ``iso8859-1``); None for a bogus name."""
    if not codec:
        return None
    try:
        return codecs.lookup(codec.strip()).name
    except (LookupError, ValueError):
        return None  # a bogus name declares nothing


def decode_payload(
    data: bytes,
    declared: str | None = None,
    *,
    trusted: str | None = None,
    candidates: list[str] | None = None,
) -> Decoded:
    """The text of ``data`` by the module's rule.

    ``trusted`` is the source's configured encoding, ``declared`` what the payload says of
    itself (HTTP charset, XML declaration), ``candidates`` limits the guesses to these codecs.
    Raises ``ParseError`` when no codec reads the bytes as text.
    """
    global _last_decoded
    asked = (declared, trusted, tuple(candidates) if candidates is not None else None)
    last = _last_decoded
    if last is not None and last[0] is data and last[1] == asked:
        return last[2]
    decoded = _decode_payload(data, declared, trusted, candidates)
    _last_decoded = (data, asked, decoded)
    return decoded


def _decode_payload(
    data: bytes, declared: str | None, trusted: str | None, candidates: list[str] | None
) -> Decoded:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, codec, len(bom)), codec)
    if trusted:
        return Decoded(_strict(data, trusted), trusted)
    wide = wide_codec(data)
    if wide is not None:
        try:
            return Decoded(data.decode(wide), wide, guessed=True)
        except UnicodeDecodeError:
            pass
    codec = _known(declared) or "utf-8"
    failure: ParseError | None = None
    try:
        text = _strict(data, codec)
    except ParseError as exc:
        failure = exc
    else:
        # Valid UTF-8 is never overridden: multi-byte sequences almost never occur by chance.
        if data.isascii() or codec == "utf-8":
            return Decoded(text, codec)
        if not codec.startswith(("utf-16", "utf-32")):
            try:
                return Decoded(data.decode("utf-8"), "utf-8", guessed=True)
            except UnicodeDecodeError:
                pass
        if reads_as_text(text):
            return Decoded(text, codec)
    if failure is not None and codec == "utf-8" and _damaged_utf8(data):
        raise ParseError(
            f"{failure}; the rest reads as UTF-8 (its multi-byte characters are valid), so the "
            "bytes are UTF-8 damaged in transit, not another charset"
        ) from failure
    guess = _guess(data, candidates)
    if guess is not None:
        return guess
    if failure is not None:
        raise ParseError(f"{failure}; no other charset reads it as text") from failure
    return Decoded(text, codec)  # valid as declared: kept, though it reads badly


def decode_wire(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of a teletype transmission and the codec that read it (Western guesses only).

    Raises ``ParseError`` only when a configured ``encoding`` does not fit the bytes.
    """
    try:
        decoded = decode_payload(data, trusted=encoding, candidates=_WESTERN)
    except ParseError:
        if encoding or data.startswith(tuple(bom for bom, _ in _BOMS)):
            raise
        # latin-1 never fails; the C1 range then takes cp1252's letters where it has them.
        return data.decode("latin-1").translate(_CP1252_C1), "cp1252"
    return decoded.text, decoded.codec


def _c1_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in cp1252
            continue
    return table


_CP1252_C1 = _c1_table()


# The encoding an XML declaration names, in the decoded text or in ASCII-compatible bytes.
_XML_DECLARED = re.compile(r"\A(\s*<\?xml[^>]*?encoding\s*=\s*[\"'])([\w.:-]+)([\"'])")
_XML_DECLARED_BYTES = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)"
)
_CHARSET_PARAM = re.compile(r";\s*charset\s*=\s*[\"']?([^\s;\"']+)[\"']?", re.IGNORECASE)


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """What a payload says its charset is: the HTTP ``charset``, else its XML declaration."""
    if content_type:
        match = _CHARSET_PARAM.search(content_type)
        if match:
            return match[1]
    declaration = _XML_DECLARED_BYTES.match(data[:1024])
    return declaration[1].decode("ascii") if declaration else None


def transcode(raw: RawItem) -> tuple[RawItem, Decoded]:
    """``raw`` as UTF-8 by the module's rule, its declarations saying so, and how it was read.

    The XML declaration and the Content-Type's ``charset`` are rewritten to UTF-8, so the parser
    behind (lxml, feedparser, json) reads the text decided here and decides nothing itself.
    """
    declared = declared_charset(raw.data, raw.content_type)
    decoded = decode_payload(raw.data, declared, trusted=raw.encoding)
    as_is = decoded.codec == "utf-8" and not raw.data.startswith(b"\xef\xbb\xbf")
    if as_is and raw.encoding in (None, "utf-8") and _known(declared) in (None, "utf-8"):
        return raw, decoded  # already what the parsers will read
    text = _XML_DECLARED.sub(r"\g<1>UTF-8\g<3>", decoded.text.lstrip("\ufeff"), count=1)
    content_type = raw.content_type
    if content_type:
        media = _CHARSET_PARAM.sub("", content_type).strip()
        content_type = f"{media}; charset=utf-8"
    data = text.encode("utf-8", errors="surrogatepass")
    return replace(raw, data=data, encoding="utf-8", content_type=content_type), decoded
