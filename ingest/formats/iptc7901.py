"""IPTC 7901 teletype messages, as dpa sends them (and renders its digitalwires items).

One payload may hold several messages, each ``SOH`` ... ``EOT``; a bad one costs only itself:

- ``SOH`` and the header line ``eca062 4 i 211 ccccb   dpa 061``: the channel and its message
  number (``eca``, ``062``), the priority (1 flash to 6), the category (``i``), the word count,
  optional keywords (``ccccb``), the agency (``dpa``) and the agency's sequence number;
- the slug line ``Germany-politics/``;
- ``STX``, then the heading block up to the line that ends with `` =``: priority words
  (``EXTRA``, ``Eil``, ``Blitz``: the signal ``urgent``/``flash`` and urgency 1 for flash;
  ``1ST LEAD``: version 2 and the signal ``update``; ``Berichtigung``/``CORRECTION``: the
  signal ``correction``; ``Wiederholung``: ``repeat``), the headline (its lines joined), and a
  ``By ...``/``Von ...`` line (the byline);
- the body: paragraphs separated by blank lines, wrapped lines joined. The dateline
  ``Berlin (dpa) -`` stays at the head of the body for normalization and is copied to
  ``dateline``;
- the notebook (``# Notebook``/``# Notizblock``): not story text. Its "Note to editors" /
  "Redaktionelle Hinweise" / "Berichtigung" items become ``ednote``; the part after ``* * * *``
  (not for publication) and the closing line of editor codes (``dpa wsz jln npr``) are dropped;
- ``ETX`` and the time ``131137 GMT Nov 13`` (day, hour, minute, month, two-digit year):
  ``published_at``. A time without ``GMT`` is dpa's local time (Europe/Berlin), which is what
  dpa's own converter writes; for an agency outside dpa it is left unread, with a warning.

Service messages are not stories: dpa's "(Achtung) Impressum" with its ``ryryryry`` filler
lines, test messages: each is an ``ItemProblem`` whose reason starts with ``service message``.
A message without ``STX``/``ETX`` is a truncated transmission (an ``ItemProblem``), and an
unknown priority digit too.

Identity: the payload's own id (the file name), with ``#2``, ``#3``... for later messages of the
same payload: 7901 carries no item identity (the message number restarts every day).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from ingest.formats._charset import decode_wire
from ingest.formats.result import ItemError, ItemProblem, ParseResult
from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = ["parse_iptc7901"]

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"

_HEADER = re.compile(
    r"\A\s*([A-Za-z]{1,4})(\d{1,5})\s+(\d)\s+([A-Za-z]{1,3})\s+(\d{1,6})\s+"
    r"((?:\S+\s+)*?)([A-Za-z][\w-]{1,10})\s+(\d{1,5})\s*\Z"
)
_TIME = re.compile(
    r"(\d{2})(\d{2})(\d{2})\s*(GMT|UTC|MEZ|MESZ|CET|CEST)?\s+([A-Za-zÄä]{3})[a-zä]*\.?\s+(\d{2})\b"
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "mär": 3, "mrz": 3, "apr": 4, "may": 5, "mai": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "dez": 12,
}  # fmt: skip
_ZONES: dict[str, tzinfo] = {"GMT": UTC, "UTC": UTC}
_BERLIN = ZoneInfo("Europe/Berlin")
#: dpa and its regional services (``lni`` Niedersachsen, ``lby`` Bayern...): Berlin time.
_DPA_AGENCIES = frozenset(
    {"dpa", "lni", "lby", "lsw", "lnw", "lhe", "lrs", "lah", "lmv", "lbn", "lsn", "lth", "lno"}
)
_PRIORITY_WORD = re.compile(
    r"\A\(?\s*(?:EXTRA|URGENT|FLASH|BLITZ|EIL|ACHTUNG|\d+\s*(?:ST|ND|RD|TH)\s+LEAD|LEAD|"
    r"CORRECTION|CORRECTED|KORREKTUR|BERICHTIGUNG|WIEDERHOLUNG|REPEAT|ZUSAMMENFASSUNG|"
    r"NEU|UPDATE|TEST)\b[^)]*\)?\Z",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"\A(?:By|Von)\s+\S", re.IGNORECASE)
_DATELINE = re.compile(r"\A([^\n()]{2,80}?\s\([A-Za-z][\w/. -]{0,30}\))\s+-\s")
_CLOSING = re.compile(r"\A(?:dpa|[a-z]{2,5})(?:\s+[a-z0-9/äöüß]{1,8}){1,8}\Z")
_FILLER = re.compile(r"(?:ry){3,}", re.IGNORECASE)
_NOTE_SECTIONS = re.compile(
    r"(?i)note to editors|editor'?s? note|redaktionelle hinweise|berichtigung|correction|hinweis"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SERVICE_HEADLINES = frozenset({"impressum", "test", "testmeldung", "test message"})


def parse_iptc7901(raw: RawItem) -> ParseResult:
    """Parse an IPTC 7901 transmission into its stories, problems and warnings."""
    text, _codec = decode_wire(raw.data, raw.encoding)
    if "\x00" in text:
        raise ParseError("holds NUL characters: not an IPTC 7901 transmission")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    messages = [part.split(EOT, 1)[0] for part in text.split(SOH)[1:]]
    if not messages:
        raise ParseError("no SOH: not an IPTC 7901 transmission")
    items: list[ParsedItem] = []
    problems: list[ItemProblem] = []
    warnings: list[str] = []
    for index, message in enumerate(messages):
        item_id = raw.item_id if index == 0 else f"{raw.item_id}#{index + 1}"
        try:
            items.append(_message(message, item_id, warnings))
        except ItemError as exc:
            problems.append(ItemProblem(exc.item_id, exc.reason))
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


def _line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _message(message: str, item_id: str, warnings: list[str]) -> ParsedItem:
    first, _, rest = message.partition("\n")
    header = _HEADER.match(_CONTROL.sub(" ", first))
    if header is None:
        raise ItemError(item_id, f"IPTC 7901 message: header line {first[:60]!r} is not 7901")
    label = f"IPTC 7901 message {header[1]}{header[2]}"

    def fail(reason: str) -> ItemError:
        return ItemError(item_id, f"{label}: {reason}")

    priority, agency = int(header[3]), header[7].lower()
    if not 1 <= priority <= 6:
        raise fail(f"unknown priority {priority} (7901 has 1 to 6)")
    if STX not in rest:
        raise fail("no STX: truncated transmission or missing framing")
    slug_part, _, text = rest.partition(STX)
    if ETX not in text:
        raise fail("no ETX: truncated transmission")
    text, _, trailer = text.partition(ETX)
    slug = _line(slug_part).rstrip("/") or None
    lines = text.split("\n")

    # The heading block: up to the line ending in " =" (at most a few lines in).
    end = next((i for i, line in enumerate(lines[:12]) if _line(line).endswith("=")), None)
    heading = lines[: end + 1] if end is not None else []
    body_lines = lines[end + 1 :] if end is not None else lines
    words: list[str] = []
    headline_parts: list[str] = []
    byline = None
    for line in _heading_lines(heading):
        note = re.fullmatch(r"\((.*)\)", line)
        if note:  # "(Berichtigung: ...)", "(KORR-Bericht)", "(Foto Produktion)": labels
            if _PRIORITY_WORD.match(note[1]) or _PRIORITY_WORD.match(note[1].split(":")[0]):
                words.append(note[1].split(":")[0].strip().lower())
        elif _PRIORITY_WORD.match(line) and not headline_parts:
            words.append(line.strip("() ").lower())
        elif _BYLINE.match(line):
            byline = line
        else:
            headline_parts.append(line)
    headline = " ".join(headline_parts) or None
    if end is None:
        warnings.append(f"{label}: no headline line ending in ' ='")

    paragraphs, ednote = _body(body_lines)
    if any(_FILLER.search(p) for p in paragraphs) or (
        (headline or "").lower() in _SERVICE_HEADLINES or (slug or "").lower() == "impressum"
    ):
        raise fail("service message (dpa notice or line test, not a story)")
    if not paragraphs:
        raise fail("has no story text")
    if paragraphs and _CLOSING.match(paragraphs[-1]):
        paragraphs.pop()
    if not paragraphs:
        raise fail("has no story text")

    version, signals, urgency = 1, [], priority
    for word in words:
        lead = re.match(r"(\d+)\s*(?:st|nd|rd|th)\s+lead", word)
        if lead or word == "lead" or word.startswith(("zusammenfassung", "update", "neu")):
            version = max(version, int(lead[1]) + 1 if lead else 2)
            signals.append("update")
        elif word.startswith(("correct", "korrektur", "berichtigung")):
            signals.append("correction")
        elif word.startswith(("wiederholung", "repeat")):
            signals.append("repeat")
        elif word.startswith(("extra", "flash", "blitz")):
            signals.append("flash")
            urgency = 1
        elif word.startswith(("eil", "urgent")):
            signals.append("urgent")
            urgency = min(urgency, 2)
    dateline = next(filter(None, (_DATELINE.match(p) for p in paragraphs[:3])), None)
    return ParsedItem(
        item_id=item_id,
        body="\n\n".join(paragraphs),
        headline=headline,
        version=version,
        published_at=_time(trailer, agency, label, warnings),
        date_precision="second",
        format="iptc7901",
        signals=tuple(dict.fromkeys(signals)),
        byline=byline,
        dateline=dateline[1].strip() if dateline else None,
        urgency=urgency,
        ednote=ednote,
    )


def _heading_lines(lines: list[str]) -> list[str]:
    """The heading's lines, a parenthesised label spread over lines joined into one, and a
    label that opens a line ("(Vorschau) dpa-Tagesvorschau ...") split from the text after it."""
    out: list[str] = []
    pending: list[str] = []
    for raw_line in lines:
        line = _line(raw_line).removesuffix("=").strip()
        if not line:
            continue
        if pending or (line.startswith("(") and ")" not in line):
            pending.append(line)
            if ")" in line:
                out.append(" ".join(pending))
                pending = []
            continue
        label = re.match(r"\A(\([^()]*\))\s+(\S.*)\Z", line)
        out.extend(label.groups() if label else (line,))
    if pending:
        out.append(" ".join(pending))
    return out


def _body(lines: list[str]) -> tuple[list[str], str | None]:
    """Body paragraphs (wrapped lines joined) and the editor's note items of the notebook."""
    paragraphs: list[str] = []
    current: list[str] = []
    notebook: list[str] | None = None
    for raw_line in lines:
        line = _line(raw_line)
        if notebook is not None:
            notebook.append(raw_line)
            continue
        if line.startswith("# "):
            notebook = []
            continue
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, _ednote(notebook or [])


def _ednote(lines: list[str]) -> str | None:
    notes: list[str] = []
    in_note = False
    for raw_line in lines:
        line = _line(raw_line)
        if line.startswith("* * *"):
            break  # what follows is not for publication
        if line.startswith("#"):
            in_note = bool(_NOTE_SECTIONS.search(line))
        elif in_note and line.startswith("- "):
            notes.append(line[2:].strip())
        elif in_note and line and notes and raw_line[:1] in (" ", "\t"):
            notes[-1] = f"{notes[-1]} {line}"
    return "\n".join(notes) or None


def _time(trailer: str, agency: str, label: str, warnings: list[str]) -> datetime | None:
    """``131137 GMT Nov 13``: day 13, 11:37 GMT, November 2013, as UTC."""
    match = _TIME.search(_line(trailer))
    month = _MONTHS.get(match[5].lower()) if match else None
    if match is None or month is None:
        warnings.append(f"{label}: transmission time unreadable; no published_at")
        return None
    zone = _ZONES.get(match[4] or "")
    if zone is None:
        if agency.split("-")[0] not in _DPA_AGENCIES:
            warnings.append(f"{label}: transmission time names no zone; no published_at")
            return None
        zone = _BERLIN
    day, hour, minute, year = int(match[1]), int(match[2]), int(match[3]), 2000 + int(match[6])
    try:
        return datetime(year, month, day, hour, minute, tzinfo=zone).astimezone(UTC)
    except ValueError:
        warnings.append(f"{label}: transmission time {match[0]!r} is not a date")
        return None
