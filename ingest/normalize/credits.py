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
- Reuters' ``(Reporting by ...; Editing by ...)``, also ``(Additional reporting by ...)``,
  ``(Writing by ...)``, lower-case ``editing by``, glued to the last sentence: the names
  (without "in Beirut") become editors; the archive's sign-off ``Reuter`` / ``REUTER``.
- derStandard's and APA's comma groups: ``(APA, 11.9.2015)``, ``(Reuters, APA, red)``,
  ``(red, 13.02.16)`` (initials are editors), ``(Anna Muster, 1.2.2015)`` (the byline).
- a listed agency in capitals as the last word: ``... ejemplares. EFE``; or after a dash, in
  any case, as republishers sign agency copy: ``... billion. -AP``, ``— Reuters``.
- a byline as the last sentence, as page descriptions carry it: ``... By Katie Dean.``
- Xinhua's ``Enditem`` and ``Editor: ...`` lines, Kyodo's ``==Kyodo``, the ``(Schluss) abc/def``
  of German-language services, the Nordic agencies' ``/ritzau/``.
- what a converter wrote for an empty field after the last sentence (``None. .``, ``null.``);
- a republisher's notice that the full text was withdrawn, after the last sentence (``... Der
  Volltext dieses auf Agenturmeldungen basierenden Artikels steht aus rechtlichen Gründen
  nicht mehr zur Verfügung.``, ``The full text of this article is no longer available.``);
- an end-of-copy mark as the last paragraph: AP's ``END``, ``ENDIT``, ``-30-``, ``-0-``,
  ``###``, ``(END)``, ``(Ende)``, ``(fin)``, ``(FIN)``.

The forms whose shape is their own (Reuters' roles, the comma groups, ``REUTER`` in capitals,
``(© AFP)``) are taken after any text, also after a last sentence that a feed cut short or that
ends in a closing parenthesis or a table; the others need the end of a sentence before them.

Parentheses that are not credits (``(de lettre)``, ``(...)``, ``(PS)``) stay in the text, as
does an agency named in running text: a closing line must follow the end of a sentence and
hold nothing but an agency and initials.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ingest.normalize.agencies import agency_like, canonical_agency, per_registry

__all__ = ["READERS", "Credit"]


@dataclass(frozen=True)
class Credit:
    """What one reader took off the end of a paragraph."""

    rest: str
    agencies: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    copyright: str | None = None
    byline: str | None = None


_TOKEN = r"[^\W\d_][\w.\- ]*?"
_PAREN = re.compile(rf"\s*\(\s*({_TOKEN}(?:\s*/\s*{_TOKEN})*)\s*\)\s*\.?\s*\Z")
_INITIALS = re.compile(r"[a-z][a-z0-9]{1,5}", re.IGNORECASE)
# dpa closing lines carry a desk code (yy + desk, or xx) and a service/priority code (a3, n1).
_DESK_OR_SERVICE = re.compile(r"yy[a-z]*|xx|[a-z]\d", re.IGNORECASE)
_LOWER_TOKEN = r"[a-z][a-z0-9]{0,5}"
_CLOSING_LINE = per_registry(
    lambda agency: re.compile(
        rf"(?P<agency>{agency})(?P<tokens>(?:(?:\s+|\s*/\s*){_LOWER_TOKEN})*)\s*\Z",
        re.IGNORECASE,
    )
)
_CLOSING_INLINE = per_registry(
    lambda agency: re.compile(
        rf"(?<=[.!?»\"”…)])\s+(?P<agency>{agency})"
        rf"(?P<tokens>(?:(?:\s+|\s*/\s*){_LOWER_TOKEN})+)\s*\Z",
        re.IGNORECASE,
    )
)
_INITIALS_LINE = re.compile(r"[a-z]{2,4}(?:/[a-z]{2,4})+")
# A paragraph of its own that is an editor's initials in parentheses, as web desks sign: "(ffa)".
_INITIALS_GROUP = re.compile(r"\((?P<initials>[a-z]{2,4}(?:/[a-z]{2,4})*)\)")
# Reuters' credit, on its own or glued to the last sentence: (Reporting by A and B in Beirut;
# Additional reporting by C; Writing by D; editing by E).
_ROLE = (
    r"(?:additional\s+)?(?:reporting|writing|editing|compiled|reported|graphic|graphics|"
    r"translated|research|production|produced|written|edited)"
)
# Its shape is its own: it is taken after any text, also after a last sentence cut short.
_REUTERS = re.compile(
    rf"(?<!\w)\s*\(\s*({_ROLE}\s+by\s+[^()]+)\)\s*\Z",
    re.IGNORECASE,
)
_ROLE_BY = re.compile(rf"\A\s*{_ROLE}\s+by\s+", re.IGNORECASE)
# The credit's parts: a semicolon between them, or a comma before the next role ("Reporting by
# A and B, additional reporting by C; Editing by D").
_ROLE_PART = re.compile(rf";|,\s*(?={_ROLE}\s+by\s)", re.IGNORECASE)
_NAME_SEP = re.compile(r"\s*(?:,|\band\b|&)\s*", re.IGNORECASE)
_IN_PLACE = re.compile(r"\s+in\s+[A-Z].*\Z")
# The archive sign-off of Reuters: the word on its own after the last sentence; in capitals,
# after any text (a sentence cut short).
_REUTER_END = re.compile(r"(?:(?:\A|(?<=[.!?»\"”…’')。！？])\s+)Reuter|(?:\A|\s+)REUTER)\s*\Z")
# derStandard and APA: (APA, 11.9.2015), (Reuters, APA, red), (red, 13.02.16), (Name, 1.2.2015).
_COMMA_GROUP = re.compile(r"(?<!\w)\s*\((?P<group>[^()]{2,80},[^()]{1,60})\)\s*\Z")
# A date as German-language desks write it, with or without spaces: "11.9.2015", "2. 9. 2015".
_DATE_TOKEN = re.compile(r"\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})")
_PERSON = re.compile(r"(?P<name>[A-ZÀ-Ý][\w'’\-]+(?:\s+[A-ZÀ-Ý][\w'’.\-]+){1,3})(?:\s+aus\s+\S.*)?")
_BARE_END = re.compile(r"(?<=[.!?»\"”…’')])\s+(?P<agency>[A-Z]{3,})\s*\Z")
_ENDITEM = re.compile(r"(?:\A|(?<=[.!?»\"”…)])\s+)End\s?item\.?\s*\Z", re.IGNORECASE)
_EDITOR_LINE = re.compile(r"\AEditors?\s*:\s*(?P<names>[^\W\d_][\w.'’\-, ]{1,60})\Z")
_KYODO = re.compile(r"\s*==\s*Kyodo\s*\Z", re.IGNORECASE)
# Nordic agencies sign between slashes, as a line of its own or after the last sentence:
# "/ritzau/".
_SLASHED = re.compile(r"(?:\A|(?<=[.!?»\"”…)])\s+)/(?P<agency>[^\W\d_][\w\-]{1,20})/\s*\Z")
# What a converter writes for an empty field, left after the last sentence: "None. .".
_NULLS = ("None", "null", "NULL", "NaN", "undefined")
_NULL_END = re.compile(rf"(?:\A|(?<=[.!?»\"”…)])\s+)(?:{'|'.join(_NULLS)})(?:\s*\.)+\s*\Z")
_SCHLUSS = re.compile(
    rf"(?:\A|(?<=[.!?»\"”…)])\s+)\(Schluss\)(?P<tokens>(?:(?:\s+|\s*/\s*){_LOWER_TOKEN})*)\s*\Z"
)


# A listed agency after a dash, after the last sentence or on its own, as republishers sign
# agency copy: "... billion. -AP", "... said. — Reuters", "– AFP".
_DASH_AGENCY = re.compile(
    r"(?:\A|(?<=[.!?»\"”…’')])\s+)(?:-{1,2}|[–—])\s?(?P<agency>[^\W\d_][\w.\- ]{1,30}?)\.?\s*\Z"
)
# A byline as the last sentence, as page descriptions carry it: "... on the internet. By Katie
# Dean." (two to four capitalised names), a place in capitals after it ("By Anna Muster - THE
# HAGUE.").
_CLOSING_BY = re.compile(
    r"(?<=[.!?»\"”…’')])\s+By\s+(?P<who>[A-Z][\w'’\-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’\-]+)){1,3})"
    r"(?:\s+[-–—]\s+[A-Z][A-Z'’.\- ]{2,30})?\.\s*\Z"
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
    # The group closes the paragraph, a full stop at most after it (paragraphs hold single
    # spaces): without a ")" at the very end the costly search cannot match.
    if ")" not in paragraph[-4:]:
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
        match = _CLOSING_LINE().match(paragraph)
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
    match = _tail_search(_CLOSING_INLINE(), paragraph)
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


def initials_group(paragraph: str) -> Credit | None:
    """``(ffa)``, ``(mat/lvb)``: a last paragraph of editor initials in parentheses only."""
    match = _INITIALS_GROUP.fullmatch(paragraph)
    if match is None:
        return None
    agencies, editors = _editors(match["initials"].split("/"))
    return Credit("", agencies, editors)


def reuters_credit(paragraph: str) -> Credit | None:
    """``(Reporting by A and B in Beirut; editing by C)``: the names become editors."""
    if not paragraph.endswith(")") or " by " not in paragraph[-_TAIL * 2 :].lower():
        return None
    match = _REUTERS.search(paragraph, max(0, len(paragraph) - _TAIL * 2))
    if match is None:
        return None
    names: list[str] = []
    for part in _ROLE_PART.split(match[1]):
        people = _ROLE_BY.sub("", part.strip())
        if people == part.strip():
            continue  # a part without a role is not a list of people
        for name in _NAME_SEP.split(people):
            name = _IN_PLACE.sub("", name.strip())
            if name and not _ROLE_BY.match(name + " by "):
                names.append(name)
    return Credit(paragraph[: match.start()].rstrip(), ("reuters",), tuple(names))


def reuter_signoff(paragraph: str) -> Credit | None:
    """``Reuter`` or ``REUTER``, the archive's last word."""
    if not paragraph.endswith(("Reuter", "REUTER")):
        return None
    match = _REUTER_END.search(paragraph, max(0, len(paragraph) - 20))
    if match is None:
        return None
    return Credit(paragraph[: match.start()].rstrip(), ("reuters",))


def comma_group(paragraph: str) -> Credit | None:
    """``(APA, 11.9.2015)``, ``(Reuters, APA, red)``, ``(red, 13.02.16)``, ``(Name, date)``."""
    if not paragraph.endswith(")") or "," not in paragraph[-90:]:
        return None
    match = _COMMA_GROUP.search(paragraph, max(0, len(paragraph) - 90))
    if match is None:
        return None
    agencies: list[str] = []
    editors: list[str] = []
    byline = None
    dated = False
    for raw in match["group"].split(","):
        token = raw.strip()
        agency = canonical_agency(token)
        if agency is not None:
            agencies.append(agency)
        elif _DATE_TOKEN.fullmatch(token):
            dated = True
        elif re.fullmatch(r"[a-z]{2,5}", token):
            editors.append(token)
        elif (person := _PERSON.fullmatch(token)) is not None and byline is None:
            byline = person["name"]
        else:
            return None
    # Initials or a name need the date beside them; an agency is enough on its own.
    if not agencies and not dated:
        return None
    return Credit(
        paragraph[: match.start()].rstrip(), tuple(agencies), tuple(editors), byline=byline
    )


def _listed_agency_at_end(pattern: re.Pattern[str], paragraph: str, reach: int) -> Credit | None:
    """The credit ``pattern`` finds in the last ``reach`` characters, when its ``agency`` group
    names a listed agency."""
    match = pattern.search(paragraph, max(0, len(paragraph) - reach))
    agency = canonical_agency(match["agency"]) if match is not None else None
    if match is None or agency is None:
        return None
    return Credit(paragraph[: match.start()].rstrip(), (agency,))


def bare_agency_end(paragraph: str) -> Credit | None:
    """A listed agency in capitals as the last word after the last sentence: ``... EFE``."""
    if not paragraph[-1:].isupper():
        return None
    return _listed_agency_at_end(_BARE_END, paragraph, 20)


def dash_agency_end(paragraph: str) -> Credit | None:
    """A listed agency after a dash at the end: ``... billion. -AP``, ``— Reuters``."""
    tail = paragraph[-40:]
    if "-" not in tail and "–" not in tail and "—" not in tail:
        return None
    return _listed_agency_at_end(_DASH_AGENCY, paragraph, 40)


def closing_byline(paragraph: str) -> Credit | None:
    """A byline as the last sentence: ``... on the internet. By Katie Dean.``"""
    if " By " not in paragraph[-60:]:
        return None
    match = _CLOSING_BY.search(paragraph, max(0, len(paragraph) - 60))
    if match is None:
        return None
    return Credit(paragraph[: match.start()].rstrip(), byline=match["who"])


def xinhua_enditem(paragraph: str) -> Credit | None:
    """Xinhua's ``Enditem`` after the last sentence or on its own."""
    if not paragraph[-12:].rstrip(".").lower().endswith("item"):
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
    if not paragraph[-12:].rstrip().lower().endswith("kyodo"):
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


def slashed_credit(paragraph: str) -> Credit | None:
    """``/ritzau/``: an agency between slashes, the Nordic agencies' sign-off."""
    if not paragraph.endswith("/"):
        return None
    match = _SLASHED.search(paragraph, max(0, len(paragraph) - 40))
    if match is None:
        return None
    agency = agency_like(match["agency"])
    if agency is None:
        return None
    return Credit(paragraph[: match.start()].rstrip(), (agency,))


def null_placeholder(paragraph: str) -> Credit | None:
    """``None. .``: a converter's stand-in for an empty field, after the last sentence."""
    if not paragraph.endswith(".") or not paragraph[-16:].rstrip(" .").endswith(_NULLS):
        return None
    match = _NULL_END.search(paragraph, max(0, len(paragraph) - 30))
    if match is None:
        return None
    return Credit(paragraph[: match.start()].rstrip())


# An end-of-copy mark, as a paragraph of its own: AP's "END" and "ENDIT" (and a take's "MORE":
# the story goes on in the next take), the "-30-" of North American desks, "-0-", the "###" of
# press releases, "(Ende)", "(fin)".
_END_MARK = re.compile(
    r"\A(?:\(?\s*(?:END(?:IT)?|Ende|ENDE|fin|FIN|Fin|MORE)\s*\)?|-+\s*(?:30|0)\s*-+|#{3})\s*\Z"
)


# A republisher's notice that the full text was withdrawn (the teaser stays), in the languages
# of the corpora: "Der Volltext dieses ... Artikels steht ... nicht mehr zur Verfügung."
_WITHDRAWN = re.compile(
    r"(?:\A|(?<=[.!?»\"”…)])\s+)(?:"
    r"Der\s+(?:Volltext|vollständige\s+Text)\s+(?:dieses|des)\b[^.]{0,120}?\b(?:steht|ist)\b"
    r"[^.]{0,80}?\bnicht\s+mehr\s+(?:zur\s+Verfügung|verfügbar|abrufbar)"
    r"|The\s+full\s+text\s+of\s+this\s+(?:article|story|report)\b[^.]{0,80}?\bno\s+longer\s+"
    r"available"
    r"|Le\s+texte\s+intégral\s+de\s+cet\s+article\b[^.]{0,80}?\bn['’]est\s+plus\s+disponible"
    r")[^.]{0,80}\.\s*\Z"
)


def withdrawn_notice(paragraph: str) -> Credit | None:
    """A republisher's notice that the full text was withdrawn, after the last sentence."""
    tail = paragraph[-_TAIL - 100 :]
    if "Volltext" not in tail and "full text" not in tail and "intégral" not in tail:
        return None
    match = _WITHDRAWN.search(paragraph, max(0, len(paragraph) - _TAIL - 100))
    if match is None:
        return None
    return Credit(paragraph[: match.start()].rstrip())


def end_mark(paragraph: str) -> Credit | None:
    """An end-of-copy mark as the last paragraph: ``END``, ``-30-``, ``###``, ``(Ende)``."""
    if len(paragraph) > 10 or _END_MARK.match(paragraph) is None:
        return None
    return Credit("")


#: The credit readers, tried in this order on the last paragraph.
READERS: tuple[Callable[[str], Credit | None], ...] = (
    reuters_credit,
    reuter_signoff,
    comma_group,
    parenthesised,
    closing_line,
    initials_line,
    initials_group,
    xinhua_enditem,
    editor_line,
    kyodo_end,
    schluss,
    slashed_credit,
    null_placeholder,
    withdrawn_notice,
    end_mark,
    bare_agency_end,
    dash_agency_end,
    closing_byline,
)
