"""ANPA 1312 teletype transmissions: AP's framing, and the AAP dialects derived from it.

One payload may hold several messages; each is read on its own and a bad one costs only itself.

**AP (ANPA 1312)**: ``SYN SYN SOH``, then ``W2870<US>asian`` (service level, message number,
selector codes), then a line ``f l<DC3><DC1> BC-LT--Argentina-CancerB  11-13 1049`` (priority,
category, format codes, a short slug, the date and the word count), then ``STX`` and the text:

- the full slug line ``^BC-US--Giant Lobster Death, 1st Ld-Writethru,127<``: the slug, its
  version words and the word count. ``2nd Ld`` gives version 3 and the signal ``update``,
  ``Writethru`` the signal ``writethru`` (version 2 when no lead number says otherwise),
  ``Correction``/``Corrects`` ``correction``, ``Sub`` ``update``, ``Repeat`` ``repeat``,
  ``Kill``/``Elimination``/``Withdrawal`` the pubstatus ``canceled``, ``URGENT``/``Bulletin``
  the signal ``urgent`` and ``APNewsAlert``/``Flash`` the signal ``flash``;
- ``^``-led header lines: the headline (the first), ``Eds:`` and ``EDITOR'S NOTE`` (the
  editor's note), ``AP Photo``/``AP Video`` notes (dropped), ``By ...`` (the byline; the line
  after it, ``Associated Press=`` or ``AP Sports Writer=``, is its title, dropped);
- the body: tab- or space-indented lines start paragraphs, ``^`` lines are paragraphs of their
  own (subheads), ``<`` and ``=`` (line-end quads) and control codes go. The AP dateline
  ``BUENOS AIRES, Argentina (AP) _`` stays at the head of the body for normalization and is
  copied to ``dateline``;
- ``ETX`` and the sign-off ``AP-WF-11-13-13 1509GMT``: the transmission time, kept as
  ``published_at`` when its zone is known (GMT, UTC, or a US zone), never part of the body.

ANPA is 7-bit: the doubled backquote and doubled apostrophe are its opening and closing double
quotes, a lone backquote its opening single quote; they become typographic quotes.

Priority (``urgency``): ``f`` flash 1, ``b`` bulletin 2, ``u`` urgent 3, ``r`` regular 4,
``s`` 5, ``d`` deferred 6, ``w``/``z``/``a`` 7 (weekend and advance copy). An unknown priority
code is an ``ItemProblem``: the header is not one this parser can vouch for.

**AAP**: ``ZCZC`` ... ``NNNN`` messages with field lines before the text (``%`` selectors,
``#`` slug, ``$`` or ``^`` headline, ``:(BRISBANE)`` the dateline place, ``&`` the author,
``*`` category, ``@`` state, ``~`` service; or ``TI#``/``BY#``/``PD#``/``TX#`` tags), and
``SOH``-led racing messages whose first line holds ``<US>``-separated fields (meeting, race,
flags, state, day). The trailing ``AAP xyz`` sign-off (agency and editor initials) goes.

Identity: the payload's own id (the file name), ``#2``, ``#3``... for later messages of the same
payload; ANPA slugs repeat across days (``BC-US--APNewsAlert``), so they cannot be the key.

Line checks, test messages and advisories are not stories: each is an ``ItemProblem`` whose
reason starts with ``service message``. A message cut before its ``ETX`` (AP framing) is a
truncated transmission, also an ``ItemProblem``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ingest.formats._charset import decode_wire
from ingest.formats.result import ItemError, ItemProblem, ParseResult
from record.errors import ParseError
from record.story import ParsedItem, RawItem

__all__ = ["AnpaHeader", "parse_anpa", "read_headers"]

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"

#: ANPA priority codes, most urgent first.
PRIORITIES = {"f": 1, "b": 2, "u": 3, "r": 4, "s": 5, "d": 6, "w": 7, "z": 7, "a": 7}
#: Zones that AP sign-offs name, as offsets from UTC.
_ZONES = {
    "GMT": 0, "UTC": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7,
}  # fmt: skip
_AAP_ZONE = ZoneInfo("Australia/Sydney")

# "W2870<US>asian"; Kyodo (via Belga) puts its name after the number: "a0105KYODO<US>koko-".
_AP_FIRST = re.compile(r"\A([A-Za-z])(\d{4})[A-Za-z]{0,12}\x1f([^\n]*)")
_AP_SECOND = re.compile(
    r"\A([A-Za-z])\s([A-Za-z])[\x13\x14][\x11\x12]\s*(\S+)(.*?)"
    r"\s+(\d{2})-(\d{2})(?:\s+(\d{1,5}))?\s*\Z"
)
_SIGN_OFF = re.compile(
    r"([A-Z]{2,4})-([A-Z]{1,4})-(\d{2})-(\d{2})-(\d{2})\s+(\d{2})(\d{2})\s*([A-Z]{3})?"
)
_SLUG = re.compile(r"\A(?:BC|AM|PM|AP|BN|[A-Z]{2})-\S")
_LEAD = re.compile(r"(\d+)\s*(?:st|nd|rd|th)\s*-?\s*(Ld|Lead|Add)\b", re.IGNORECASE)
_AP_DATELINE = re.compile(r"\A([^\n_]{2,80}?(?:\((?:AP|AAP)\)\s*_|\bKyodo -))")
_AAP_DATELINE = re.compile(r"\A([A-Z][A-Z .'/-]+(?:, [A-Z][a-z]{2,8}\.? \d{1,2})?) AAP -")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ZCZC = re.compile(r"\A\s*ZCZC\b[^\n]*", re.IGNORECASE)
_NNNN = re.compile(r"^[ \t]*NNNN[ \t]*$", re.MULTILINE)
_AAP_TAG = re.compile(r"\A([A-Z]{2})#(.*)\Z")
_AAP_FIELD = re.compile(r"\A([%#$:&*@~+=^])(.*)\Z")
_AAP_SIGN_OFF = re.compile(r"\AAAP(?:\s+[A-Za-z/]{1,12}){0,3}\s*\Z")
_FILLER = re.compile(r"\A(?:(?:RY)+R?|(?:ry)+r?|the quick brown fox.*|test(?:ing)?\.?)\Z", re.I)
#: Slug topics and version words that name a service message, not a story.
_SERVICE_TOPICS = frozenset({"test", "testing", "testmessage", "linecheck", "ignore", "disregard"})
_FIELD_SPLIT = "\x1f"
_NOTE = re.compile(r"(?i)eds?:|editor'?s note\b")
_MEDIA_NOTE = re.compile(r"(?i)AP (?:Photos?|Video|Graphics?|Audio)\b")
#: The line under a byline: "Associated Press", "AP Sports Writer", "AP Business Writer".
_TITLE = re.compile(
    r"(?i)\A\W*(?:Associated Press|AP\b[\w ]{0,30}(?:Writer|Correspondent|Editor|Columnist))"
)


@dataclass(frozen=True)
class AnpaHeader:
    """The framing codes of one message, as sent (``None`` where the message lacks them)."""

    dialect: str  # "ap", "aap-zczc" or "aap-racing"
    service: str | None = None  # AP service level designator ("W")
    sequence: str | None = None  # AP message number ("2870")
    selectors: str | None = None  # AP selector codes ("asian"), AAP "%" codes
    priority: str | None = None  # ANPA priority code ("r")
    category: str | None = None  # ANPA category code ("a"), AAP "*" code
    slug: str | None = None  # "BC-US--Giant Lobster Death"
    version_words: str | None = None  # "1st Ld-Writethru"
    word_count: int | None = None


@dataclass
class _Fields:
    """What the lines of one message give, filled as they are read."""

    headline: str | None = None
    byline: str | None = None
    dateline: str | None = None
    ednotes: list[str] | None = None
    published: datetime | None = None
    paragraphs: list[str] | None = None


def _quotes(text: str) -> str:
    return text.replace("``", "\u201c").replace("''", "\u201d").replace("`", "\u2018")


def _clean(line: str) -> str:
    """One ANPA line without control codes, line-end quads and 7-bit quotes."""
    line = _CONTROL.sub(" ", line).rstrip()
    line = re.sub(r"\s*[<=]+\s*\Z", "", line)
    return _quotes(line).strip()


def _messages(text: str) -> list[str]:
    """The SOH-framed messages of a transmission (what precedes the first SOH is line noise)."""
    return [part.split(EOT, 1)[0] for part in text.split(SOH)[1:]]


def read_headers(raw: RawItem) -> list[AnpaHeader]:
    """The header of each message of an ANPA payload, for inspection and tests."""
    text, _codec = decode_wire(raw.data, raw.encoding)
    return [_read(message, text_kind)[0] for message, text_kind in _split(text)]


def _split(text: str) -> list[tuple[str, str]]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ZCZC.match(text.lstrip(SOH + "\x16")):
        chunks = re.split(r"(?im)^[ \t]*ZCZC\b", text)[1:]
        return [(_NNNN.split(chunk, 1)[0], "zczc") for chunk in chunks]
    return [(message, "soh") for message in _messages(text)]


def parse_anpa(raw: RawItem) -> ParseResult:
    """Parse an ANPA 1312 (or AAP) transmission into its stories, problems and warnings."""
    text, _codec = decode_wire(raw.data, raw.encoding)
    if "\x00" in text:
        raise ParseError("holds NUL characters: not an ANPA transmission")
    messages = _split(text)
    if not messages:
        raise ParseError("no SOH or ZCZC framing: not an ANPA 1312 transmission")
    items: list[ParsedItem] = []
    problems: list[ItemProblem] = []
    warnings: list[str] = []
    for index, (message, kind) in enumerate(messages):
        item_id = raw.item_id if index == 0 else f"{raw.item_id}#{index + 1}"
        try:
            _header, item = _read(message, kind, item_id, warnings)
        except ItemError as exc:
            problems.append(ItemProblem(exc.item_id, exc.reason))
            continue
        if item is not None:
            items.append(item)
    return ParseResult(tuple(items), tuple(problems), tuple(warnings))


def _read(
    message: str, kind: str, item_id: str = "", warnings: list[str] | None = None
) -> tuple[AnpaHeader, ParsedItem | None]:
    """The header of one message and, when ``item_id`` is given, its story."""
    if kind == "zczc":
        return _zczc(message, item_id)
    first, _, rest = message.partition("\n")
    ap = _AP_FIRST.match(first)
    if ap is None:
        if _FIELD_SPLIT in first:
            return _racing(first, rest, item_id)
        raise ItemError(item_id or None, "ANPA message: header is neither AP nor AAP framing")
    return _ap(ap, rest, item_id, warnings if warnings is not None else [])


# --- AP -----------------------------------------------------------------------------------------


def _ap(
    first: re.Match[str], rest: str, item_id: str, warnings: list[str]
) -> tuple[AnpaHeader, ParsedItem | None]:
    def fail(reason: str) -> ItemError:
        return ItemError(item_id or None, f"ANPA message {first[1]}{first[2]}: {reason}")

    second, _, text = rest.partition("\n")
    codes = _AP_SECOND.match(second.strip(" \n"))
    if codes is None:
        raise fail("second header line is not 'priority category slug MM-DD words'")
    if STX not in text:
        raise fail("no STX: truncated transmission or missing framing")
    text = text.split(STX, 1)[1]
    complete = ETX in text
    text, _, trailer = text.partition(ETX)
    lines = text.split("\n")
    slug, version_words, words = _slug_line(lines[0]) if lines else (None, None, None)
    if slug is not None:
        lines = lines[1:]
    header = AnpaHeader(
        dialect="ap",
        service=first[1],
        sequence=first[2],
        selectors=_CONTROL.sub("", first[3]).strip() or None,
        priority=codes[1].lower(),
        category=codes[2].lower(),
        slug=slug or codes[3],
        version_words=version_words or (codes[4].strip() or None),
        word_count=words if words is not None else _int(codes[7]),
    )
    if not item_id:
        return header, None
    if not complete:
        raise fail("no ETX: truncated transmission")
    urgency = PRIORITIES.get(header.priority or "")
    if urgency is None:
        raise fail(f"unknown priority code {header.priority!r}")
    version, signals, pubstatus = _version(header.version_words or "", header.slug or "")
    service = _service_reason(header, signals)
    if service:
        raise fail(f"service message: {service}")
    fields = _ap_lines(lines)
    published = _sign_off(trailer) or _sign_off(text)
    body = "\n\n".join(fields.paragraphs or [])
    if not body.strip():
        if pubstatus == "canceled":
            body = ""
        elif _FILLER.match(" ".join(line.strip() for line in text.split("\n") if line.strip())):
            raise fail("service message: line test")
        else:
            raise fail("has no story text")
    if all(_FILLER.match(p) for p in (fields.paragraphs or [])):
        raise fail("service message: line test")
    if published is None:
        warnings.append(f"ANPA message {item_id}: sign-off time unreadable; no published_at")
    if "flash" in signals:
        urgency = 1
    return header, ParsedItem(
        item_id=item_id,
        body=body,
        headline=fields.headline,
        version=version,
        published_at=published,
        date_precision="second",
        pubstatus=pubstatus,
        language="en",
        format="anpa",
        signals=signals,
        byline=fields.byline,
        dateline=fields.dateline,
        urgency=urgency,
        ednote="\n".join(fields.ednotes) if fields.ednotes else None,
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _slug_line(line: str) -> tuple[str | None, str | None, int | None]:
    """``^BC-US--Giant Lobster Death, 1st Ld-Writethru,127<`` as slug, version words, count."""
    last = _CONTROL.sub(" ", line).rsplit("^", 1)[-1]
    last = re.sub(r"[<=\s]+\Z", "", last).strip()
    if not _SLUG.match(last):
        return None, None, None
    parts = [part.strip() for part in last.split(",")]
    words = int(parts.pop()) if len(parts) > 1 and parts[-1].isdigit() else None
    slug = parts[0]
    version_words = ", ".join(p for p in parts[1:] if p) or None
    return slug, version_words, words


def _version(words: str, slug: str) -> tuple[int, tuple[str, ...], str]:
    """Version number, signals and pubstatus from the version words of a slug line."""
    signals: list[str] = []
    version = 1
    pubstatus = "usable"
    lead = _LEAD.search(words)
    if lead and lead[2].lower() in ("ld", "lead"):
        version = int(lead[1]) + 1
        signals.append("update")
    elif lead:
        signals.append("append")
    lowered = f"{words} {slug}".lower()
    if "writethru" in lowered or "write-thru" in lowered or "writethrough" in lowered:
        signals.append("writethru")
        if not lead:
            version = 2
    if re.search(r"\bcorrect(?:ion|ive|s|ed)?\b", lowered):
        signals.append("correction")
    if re.search(r"\bsub\b", lowered):
        signals.append("update")
    if re.search(r"\b(?:repeat|rptg|rpt)\b", lowered):
        signals.append("repeat")
    if re.search(r"\b(?:kill|elimination|withdrawal|withdrawn)\b", lowered):
        pubstatus = "canceled"
        signals.append("kill")
    if re.search(r"\b(?:urgent|bulletin|bc-bulletin)\b", lowered):
        signals.append("urgent")
    if re.search(r"apnewsalert|\bflash\b", lowered):
        signals.append("flash")
    if re.search(r"\badvisory\b|-advisory\b|\badv\d*\b", lowered):
        signals.append("advisory")
    return version, tuple(dict.fromkeys(signals)), pubstatus


def _service_reason(header: AnpaHeader, signals: tuple[str, ...]) -> str | None:
    topic = (header.slug or "").rsplit("--", 1)[-1].rsplit("-", 1)[-1]
    if re.sub(r"[\s_-]", "", topic).lower() in _SERVICE_TOPICS:
        return f"{topic.strip().lower()} (slug {header.slug!r})"
    if "advisory" in signals:
        return f"advisory (slug {header.slug!r})"
    return None


def _header_end(lines: list[str]) -> int:
    """How many leading lines are header: the ``^`` lines up to the byline's title line when
    a byline comes before the text, else up to the headline and the notes around it."""
    carets = 0
    for line in lines:
        if not _CONTROL.sub(" ", line).strip().startswith("^"):
            break
        carets += 1
    for index in range(carets):
        if re.match(r"By\s", _clean(_CONTROL.sub(" ", lines[index]).strip()[1:])):
            title = index + 1 < carets and _TITLE.search(lines[index + 1])
            return index + 2 if title else index + 1
    end = 0
    seen_headline = False
    for index in range(carets):
        line = _clean(_CONTROL.sub(" ", lines[index]).strip()[1:])
        if _NOTE.match(line) or _MEDIA_NOTE.match(line) or not line:
            end = index + 1
        elif not seen_headline:
            seen_headline = True
            end = index + 1
        else:
            break
    return end


def _ap_lines(lines: list[str]) -> _Fields:
    """Header fields and body paragraphs: in AP copy every line is one paragraph."""
    fields = _Fields(ednotes=[], paragraphs=[])
    assert fields.paragraphs is not None and fields.ednotes is not None
    end = _header_end(lines)
    if end == 0 and lines and lines[0].strip() and not lines[0].startswith((" ", "\t")):
        end = 1  # no "^" header lines (Kyodo): the one line before the indented text
    for raw_line in lines[:end]:
        stripped = _CONTROL.sub(" ", raw_line).strip()
        line = _clean(stripped[1:] if stripped.startswith("^") else stripped).rstrip("+")
        if _NOTE.match(line):
            fields.ednotes.append(line)
        elif _MEDIA_NOTE.match(line) or _TITLE.fullmatch(line):
            continue
        elif re.match(r"By\s", line):
            fields.byline = line
        elif fields.headline is None and line:
            fields.headline = line
        # other header lines (AP's one-line summary before the byline) repeat the text
    body = [line for line in lines[end:] if not re.fullmatch(r"\s*==?\s*\w+\s*", line)]
    if not any(line.startswith("\t") for line in body):
        # Wrapped copy (Kyodo): an indented line starts a paragraph, the others continue it.
        fields.paragraphs.extend(_paragraphs(body))
        body = []
    for raw_line in body:
        stripped = _CONTROL.sub(" ", raw_line).strip()
        line = _clean(stripped[1:] if stripped.startswith("^") else stripped)
        if not line or re.fullmatch(r"(?i)END", line) or _SIGN_OFF.fullmatch(line):
            continue
        fields.paragraphs.append(" ".join(line.split()))
    if fields.paragraphs:
        match = _AP_DATELINE.match(fields.paragraphs[0])
        fields.dateline = match[1].rstrip(" _-") if match else None
    return fields


def _sign_off(text: str) -> datetime | None:
    """The transmission time of an AP sign-off (``AP-WF-11-13-13 1509GMT``), if readable."""
    matches = list(_SIGN_OFF.finditer(text))
    if not matches:
        return None
    match = matches[-1]  # the sign-off closes the message
    month, day, year, hour, minute = (int(match[i]) for i in range(3, 8))
    offset = _ZONES.get(match[8] or "")
    if offset is None:
        return None
    try:
        zone = timezone(timedelta(hours=offset))
        local = datetime(2000 + year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None
    return local.astimezone(UTC)


# --- AAP ----------------------------------------------------------------------------------------


def _paragraphs(lines: list[str]) -> list[str]:
    """Wrapped lines to paragraphs: a blank line or an indented line starts a new one."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw_line in lines:
        line = _clean(raw_line)
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if (raw_line[:1] == "\t" or raw_line.startswith("  ")) and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(" ".join(line.split()))
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _zczc(message: str, item_id: str) -> tuple[AnpaHeader, ParsedItem | None]:
    first, _, rest = message.partition("\n")
    lines = rest.split("\n")
    routed = bool(first.split())  # "ZCZC FMG000": the next line is a routing line
    fields = _Fields()
    values: dict[str, str] = {}
    body_start = 0
    for index, raw_line in enumerate(lines):
        line = _CONTROL.sub(" ", raw_line).strip()
        tag = _AAP_TAG.match(line)
        field = _AAP_FIELD.match(line)
        if index == 0 and routed and first.split()[0].upper() != "AAP" and not field:
            continue
        if tag:
            if tag[1] == "TX":
                body_start = index + 1
                break
            values.setdefault(tag[1], tag[2].strip())
        elif field and not raw_line.startswith((" ", "\t")):
            values.setdefault(field[1], field[2].strip())
            if field[1] == ":" and re.fullmatch(r"\(([^)]+)\)", field[2].strip()):
                fields.dateline = field[2].strip()[1:-1]
        elif re.fullmatch(r"[A-Z]", line) or not line:
            pass  # one-letter codes ("T") and blank lines inside the field block
        else:
            body_start = index
            break
        body_start = index + 1
    body_lines = lines[body_start:]
    while body_lines and not _clean(body_lines[-1]):
        body_lines.pop()
    if body_lines and _AAP_SIGN_OFF.match(_clean(body_lines[-1])):
        body_lines.pop()
    header = AnpaHeader(
        dialect="aap-zczc",
        selectors=values.get("%") or None,
        category=values.get("*") or None,
        slug=values.get("#") or values.get("KN") or None,
    )
    if not item_id:
        return header, None
    paragraphs = _paragraphs(body_lines)
    if not paragraphs:
        raise ItemError(item_id, "AAP message: has no story text")
    if all(_FILLER.match(p) for p in paragraphs):
        raise ItemError(item_id, "AAP message: service message: line test")
    headline = next((v for k in ("$", "^", "TI") if len(v := values.get(k, "")) > 3), None)
    byline = values.get("BY") or (values["&"] if len(values.get("&", "")) > 2 else None)
    if fields.dateline is None:
        match = _AAP_DATELINE.match(paragraphs[0])
        fields.dateline = match[1] if match else None
    return header, ParsedItem(
        item_id=item_id,
        body="\n\n".join(paragraphs),
        headline=_quotes(headline) if headline else None,
        published_at=_aap_date(values.get("PD", "")),
        date_precision="second",
        language="en",
        format="anpa",
        byline=byline or None,
        dateline=fields.dateline,
    )


def _aap_date(text: str) -> datetime | None:
    """``PD#06 June 2016 14:00:00``: AAP's local (Sydney) time, as UTC."""
    try:
        local = datetime.strptime(text.strip(), "%d %B %Y %H:%M:%S")
    except ValueError:
        return None
    return local.replace(tzinfo=_AAP_ZONE).astimezone(UTC)


def _racing(first: str, rest: str, item_id: str) -> tuple[AnpaHeader, ParsedItem | None]:
    parts = [_CONTROL.sub(" ", p).strip() for p in first.split(_FIELD_SPLIT)]
    header = AnpaHeader(dialect="aap-racing", slug=" ".join(p for p in parts[:2] if p) or None)
    if not item_id:
        return header, None
    paragraphs = _paragraphs(rest.split("\n"))
    if not paragraphs:
        raise ItemError(item_id, "AAP racing message: has no text")
    return header, ParsedItem(
        item_id=item_id,
        body="\n\n".join(paragraphs),
        headline=parts[0] or None,
        language="en",
        format="anpa",
    )
