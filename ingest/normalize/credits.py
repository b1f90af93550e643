"""Agency credits and closing lines at the end of a body.

Each reader looks at the last paragraph only and returns what it took (a ``Credit``: the text
left, the agencies, the editors) or None. The forms:

- a parenthesised group naming at least one known agency, the other tokens being editor
  initials: ``(ats/nxp)``, ``(afp/nxp)``, ``(sda/dpa)``, ``(ats/afp/nxp)``, ``(AFP)``,
  ``(Reuters)``, ``(Keystone-SDA)``, ``(ANSA).``
- a closing line, an agency followed by lower-case initials, as a paragraph of its own
  (``dpa geh yyth a3 hgo``, ``AFP/sdr``, ``EFE mgr/pddp``, ``AFP``) or after the last sentence
  (``... mardi. ats nxp``). dpa's desk codes (``yyth``, ``xx``) and service codes (``a3``) are
  not editors and are dropped.
- a paragraph of slash-separated initials only, as AFP's English desk signs: ``hh/ph/ts/hd``.
- Reuters' ``(Reporting by ...; Editing by ...)``: the names become editors.
- Xinhua's ``Enditem`` and ``Editor: ...`` lines, Kyodo's ``==Kyodo``, the ``(Schluss) abc/def``
  of German-language services.

Parentheses that are not credits (``(de lettre)``, ``(...)``, ``(PS)``) stay in the text, as
does an agency named in running text: a closing line must follow the end of a sentence and
hold nothing but an agency and initials.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.normalize.agencies import AGENCY_PATTERN, canonical_agency

__all__ = ["READERS", "Credit"]


@dataclass(frozen=True)
class Credit:
    """What one reader took off the end of a paragraph."""

    rest: str
    agencies: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    copyright: str | None = None


_TOKEN = r"[^\W\d_][\w.\- ]*?"
_PAREN = re.compile(rf"\s*\(\s*({_TOKEN}(?:\s*/\s*{_TOKEN})*)\s*\)\s*\.?\s*\Z")
_INITIALS = re.compile(r"[a-z][a-z0-9]{1,5}", re.IGNORECASE)
# dpa closing lines carry a desk code (yy + desk, or xx) and a service/priority code (a3, n1).
_DESK_OR_SERVICE = re.compile(r"yy[a-z]*|xx|[a-z]\d", re.IGNORECASE)
_LOWER_TOKEN = r"[a-z][a-z0-9]{0,5}"
_CLOSING_LINE = re.compile(
    rf"(?P<agency>{AGENCY_PATTERN})(?P<tokens>(?:(?:\s+|\s*/\s*){_LOWER_TOKEN})*)\s*\Z",
    re.IGNORECASE,
)
_CLOSING_INLINE = re.compile(
    rf"(?<=[.!?»\"”…)])\s+(?P<agency>{AGENCY_PATTERN})"
    rf"(?P<tokens>(?:(?:\s+|\s*/\s*){_LOWER_TOKEN})+)\s*\Z",
    re.IGNORECASE,
)
_INITIALS_LINE = re.compile(r"[a-z]{2,4}(?:/[a-z]{2,4})+")
_REUTERS = re.compile(
    r"\A\(\s*((?:additional\s+)?(?:reporting|writing|editing|compiled|reported|"
    r"graphic|translated)\s+by\s+[^()]+)\)\s*\Z",
    re.IGNORECASE,
)
_BY = re.compile(r"\b(?:by|and)\s+|,\s*", re.IGNORECASE)
_ENDITEM = re.compile(r"(?:\A|(?<=[.!?»\"”…)])\s+)End\s?item\.?\s*\Z", re.IGNORECASE)
_EDITOR_LINE = re.compile(r"\AEditors?\s*:\s*(?P<names>[^\W\d_][\w.'’\-, ]{1,60})\Z")
_KYODO = re.compile(r"\s*==\s*Kyodo\s*\Z", re.IGNORECASE)
_SCHLUSS = re.compile(
    rf"(?:\A|(?<=[.!?»\"”…)])\s+)\(Schluss\)(?P<tokens>(?:(?:\s+|\s*/\s*){_LOWER_TOKEN})*)\s*\Z"
)


# Every end-of-paragraph form fits in this many characters; searching only the tail of a long
# paragraph keeps the cost per story flat.
_TAIL = 200


def _tail_search(pattern: re.Pattern[str], paragraph: str) -> re.Match[str] | None:
    return pattern.search(paragraph, max(0, len(paragraph) - _TAIL))


def _split_tokens(tokens: str) -> list[str]:
    return [t for t in re.split(r"[\s/]+", tokens) if t]


def _editors(tokens: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Agencies and editors among closing-line tokens (codes dropped)."""
    agencies: list[str] = []
    editors: list[str] = []
    for token in tokens:
        agency = canonical_agency(token)
        if agency is not None:
            agencies.append(agency)
        elif not _DESK_OR_SERVICE.fullmatch(token):
            editors.append(token.lower())
    return tuple(agencies), tuple(editors)


def parenthesised(paragraph: str) -> Credit | None:
    """``(ats/nxp)``, ``(AFP)``, ``(sda/dpa)`` at the end of the paragraph."""
    if not paragraph.endswith((")", ".", " ")):
        return None
    match = _tail_search(_PAREN, paragraph)
    if match is None:
        return None
    agencies: list[str] = []
    editors: list[str] = []
    for raw in match[1].split("/"):
        token = raw.strip()
        agency = canonical_agency(token)
        if agency is not None:
            agencies.append(agency)
        elif _INITIALS.fullmatch(token):
            editors.append(token.lower())
        else:
            return None
    if not agencies:
        return None
    return Credit(paragraph[: match.start()].rstrip(), tuple(agencies), tuple(editors))


def closing_line(paragraph: str) -> Credit | None:
    """``dpa geh yyth a3 hgo``, ``AFP/sdr``, ``EFE``, or ``... phrase. ats nxp``."""
    if len(paragraph) <= 80:
        match = _CLOSING_LINE.match(paragraph)
        tokens = match["tokens"] if match is not None else ""
        # Agency names are written in one case ("dpa", "AFP") unless alone ("Reuters"), and
        # initials in lower case: "AP Sports Writer" is a byline, not a closing line.
        if match is not None and (
            not tokens.strip()
            or (tokens.islower() and (match["agency"].islower() or match["agency"].isupper()))
        ):
            agency = canonical_agency(match["agency"])
            more, editors = _editors(_split_tokens(tokens))
            return Credit("", (agency, *more) if agency else more, editors)
    if not paragraph[-1:].isalnum():
        return None
    match = _tail_search(_CLOSING_INLINE, paragraph)
    if match is None:
        return None
    written = match["agency"]
    # Initials are written in lower case and the agency in one case: "ats nxp", "AFP/sdr".
    if not (written.islower() or written.isupper()) or not match["tokens"].islower():
        return None
    agency = canonical_agency(written)
    more, editors = _editors(_split_tokens(match["tokens"]))
    if agency is None or not editors:
        return None
    return Credit(paragraph[: match.start()].rstrip(), (agency, *more), editors)


def initials_line(paragraph: str) -> Credit | None:
    """``hh/ph/ts/hd``: a last paragraph of editor initials and nothing else."""
    if _INITIALS_LINE.fullmatch(paragraph) is None:
        return None
    agencies, editors = _editors(paragraph.split("/"))
    return Credit("", agencies, editors)


def reuters_credit(paragraph: str) -> Credit | None:
    """``(Reporting by A and B; Editing by C)``: the names become editors."""
    match = _REUTERS.match(paragraph)
    if match is None:
        return None
    names: list[str] = []
    for part in match[1].split(";"):
        _role, _sep, people = part.partition(" by ")
        names.extend(n.strip() for n in _BY.split(" " + people) if n.strip())
    return Credit("", ("reuters",), tuple(names))


def xinhua_enditem(paragraph: str) -> Credit | None:
    """Xinhua's ``Enditem`` after the last sentence or on its own."""
    if not paragraph.rstrip(".").lower().endswith("item"):
        return None
    match = _tail_search(_ENDITEM, paragraph)
    if match is None:
        return None
    return Credit(paragraph[: match.start()].rstrip(), ("xinhua",))


def editor_line(paragraph: str) -> Credit | None:
    """``Editor: Name`` as the last paragraph (Xinhua)."""
    match = _EDITOR_LINE.match(paragraph)
    if match is None:
        return None
    names = tuple(n.strip() for n in match["names"].split(",") if n.strip())
    return Credit("", (), names)


def kyodo_end(paragraph: str) -> Credit | None:
    """Kyodo's ``==Kyodo`` at the end."""
    if not paragraph.rstrip().lower().endswith("kyodo"):
        return None
    match = _tail_search(_KYODO, paragraph)
    if match is None:
        return None
    return Credit(paragraph[: match.start()].rstrip(), ("kyodo",))


def schluss(paragraph: str) -> Credit | None:
    """``(Schluss) abc/def``: the end mark of German-language services, with editors."""
    if "(Schluss)" not in paragraph[-_TAIL:]:
        return None
    match = _tail_search(_SCHLUSS, paragraph)
    if match is None:
        return None
    agencies, editors = _editors(_split_tokens(match["tokens"]))
    return Credit(paragraph[: match.start()].rstrip(), agencies, editors)


#: The credit readers, tried in this order on the last paragraph.
READERS: tuple[Callable[[str], Credit | None], ...] = (
    reuters_credit,
    parenthesised,
    closing_line,
    initials_line,
    xinhua_enditem,
    editor_line,
    kyodo_end,
    schluss,
)
