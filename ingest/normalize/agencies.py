"""The agency registry: the agencies Wiredup recognises in credits, datelines and copyright
lines, each with its aliases and the languages it writes in; and the shape of an agency name
the registry does not hold yet.

Names are kept lower-case and canonical (``AFP`` and ``afp`` are one agency). A group in a
dateline or credit position that names no listed agency still counts when it is written the
way agency names are (``agency_like``): an acronym (``CP``, ``OPTA``, ``CBS.MW``, ``U-WIRE``),
a CamelCase name (``BusinessDesk``), a domain (``Variety.com``), or words ending in one of the
words agencies call themselves (``Sports Network``, ``Europa Press``, ``Globe Newswire``), also
in Chinese, Japanese and Korean (``美國商業資訊``, ``共同通信``).
An ordinary parenthesis (``(de lettre)``, ``(PS)`` after a name) is never taken for a credit
unless it sits where a credit sits and has that shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "AGENCIES",
    "AGENCY_PATTERN",
    "REGISTRY",
    "Agency",
    "Registry",
    "agency_like",
    "canonical_agency",
    "declared_agencies",
    "per_registry",
    "registry_key",
]


@dataclass(frozen=True)
class Agency:
    """One agency: its canonical lower-case name, other spellings, and languages."""

    name: str
    aliases: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


REGISTRY: tuple[Agency, ...] = (
    Agency("afp", ("agence france-presse", "agence france presse"), ("fr", "en", "de", "es")),
    Agency("ap", ("associated press", "the associated press"), ("en", "es")),
    Agency("reuters", ("thomson reuters", "reuter"), ("en", "de", "fr", "es")),
    Agency("ats", ("ats-sda",), ("fr",)),
    Agency("sda", ("sda-ats",), ("de",)),
    Agency("keystone-ats", ("keystone",), ("fr",)),
    Agency("keystone-sda", (), ("de",)),
    Agency("dpa", ("deutsche presse-agentur",), ("de", "en", "es")),
    # dpa's regional services (Landesdienste) sign beside dpa: (dpa/lni).
    *(
        Agency(code, (), ("de",))
        for code in (
            "lni",
            "lby",
            "lsw",
            "lnw",
            "lhe",
            "lrs",
            "lbn",
            "lno",
            "lmv",
            "lth",
            "lsa",
            "lsn",
        )
    ),
    Agency("dpa-afx", (), ("de", "en")),
    Agency("ansa", ("agenzia ansa",), ("it", "en")),
    Agency("efe", ("agencia efe",), ("es",)),
    Agency("europa press", (), ("es",)),
    Agency("belga", ("agence belga",), ("fr", "nl")),
    Agency("apa", ("austria presse agentur",), ("de",)),
    Agency("aap", ("australian associated press",), ("en",)),
    Agency("pa", ("press association", "pa media"), ("en",)),
    Agency("cp", ("canadian press", "the canadian press"), ("en", "fr")),
    Agency("kyodo", ("kyodo news",), ("en", "ja")),
    Agency("xinhua", ("xinhua news agency",), ("en", "zh")),
    Agency("bloomberg", ("bloomberg news", "bloomberg l.p."), ("en",)),
    Agency("upi", (), ("en",)),
    Agency("anp", (), ("nl",)),
    Agency("tass", (), ("ru", "en")),
    Agency("ria", (), ("ru",)),
    Agency("awp", (), ("de", "fr")),
    Agency("sid", (), ("de",)),
    Agency("epd", (), ("de",)),
    Agency("kna", (), ("de",)),
    Agency("ntb", (), ("no",)),
    Agency("stt", (), ("fi",)),
    Agency("ritzau", (), ("da",)),
    Agency("ctk", (), ("cs",)),
    Agency("pap", (), ("pl",)),
    Agency("mti", (), ("hu",)),
    Agency("hina", (), ("hr",)),
    Agency("sta", (), ("sl",)),
    Agency("bta", (), ("bg",)),
    Agency("ana", (), ("el",)),
    Agency("ana-mpa", ("απε-μπε", "απε"), ("el", "en")),
    Agency("lusa", (), ("pt",)),
    Agency("yonhap", (), ("ko", "en")),
    Agency("jiji", (), ("ja",)),
    Agency("pti", (), ("en",)),
    Agency("ians", (), ("en",)),
    Agency("nzpa", (), ("en",)),
    Agency("dapd", (), ("de",)),
    Agency("afx", (), ("en", "de")),
    Agency("rtr", (), ("en",)),
    Agency("globe newswire", (), ("en", "fr")),
    Agency("business wire", ("businesswire",), ("en",)),
    Agency("businessdesk", (), ("en",)),
    Agency("gracenote", (), ("en",)),
    Agency("opta", (), ("en",)),
)


def _spelling(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class Registry:
    """The agencies in force: the built-in ``REGISTRY`` and those a source declares.

    ``spellings`` maps each lower-case spelling to its canonical name; ``pattern`` matches any
    of them (longest first, no groups, no anchors) and keys the rules compiled from it.
    """

    agencies: tuple[Agency, ...]
    spellings: dict[str, str]
    pattern: str

    @classmethod
    def of(cls, agencies: Iterable[Agency]) -> Registry:
        listed = tuple(agencies)
        spellings: dict[str, str] = {}
        for agency in listed:
            canonical = _spelling(agency.name)
            for spelling in (agency.name, *agency.aliases):
                spellings.setdefault(_spelling(spelling), canonical)
        pattern = "|".join(
            re.escape(name).replace(r"\ ", r"\s+")
            for name in sorted(spellings, key=len, reverse=True)
        )
        return cls(listed, spellings, pattern)


_BUILT_IN = Registry.of(REGISTRY)
_CURRENT: ContextVar[Registry] = ContextVar("wiredup_agencies", default=_BUILT_IN)
_EXTENDED: dict[tuple[Agency, ...], Registry] = {}

#: Lower-case spelling -> canonical name, of the built-in registry.
AGENCIES: dict[str, str] = _BUILT_IN.spellings


@contextmanager
def declared_agencies(agencies: Iterable[Agency]) -> Iterator[Registry]:
    """Within the block, the built-in agencies and ``agencies`` (a source's ``agencies`` in
    ``sources.toml``) are recognised in credits, datelines and copyright lines.

    A declared agency whose name or alias is already listed adds its other spellings to the
    listed one; the built-in names are never taken away.
    """
    declared = tuple(agencies)
    registry = _BUILT_IN
    if declared:
        registry = _EXTENDED.get(declared) or _EXTENDED.setdefault(
            declared, Registry.of((*REGISTRY, *declared))
        )
    token = _CURRENT.set(registry)
    try:
        yield registry
    finally:
        _CURRENT.reset(token)


_T = TypeVar("_T")


def per_registry(build: Callable[[str], _T]) -> Callable[[], _T]:
    """A rule built from the agency pattern, built once for each registry in force.

    ``build`` takes the pattern of every agency spelling in force (``Registry.pattern``) and
    returns, say, a compiled expression; the result is called to get the one of the registry
    in force.
    """
    built: dict[str, _T] = {}

    def current() -> _T:
        pattern = _CURRENT.get().pattern
        found = built.get(pattern)
        if found is None:
            found = built[pattern] = build(pattern)
        return found

    return current


def registry_key() -> str:
    """What tells the registry in force from another (its pattern): a key for results that
    depend on it."""
    return _CURRENT.get().pattern


def canonical_agency(token: str) -> str | None:
    """The canonical agency a token names, or ``None`` if it names none."""
    return _CURRENT.get().spellings.get(_spelling(token))


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*(?:[.\-&][A-Z0-9]+)*")
_CAMEL = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)+")
_DOMAIN = re.compile(r"[A-Za-z][\w\-]*\.(?:com|net|org|co\.uk|de|fr|ch|at|es|it)", re.IGNORECASE)
# The same words in Chinese, Japanese and Korean, at the end of a name written without spaces:
# 新华社, 美國商業資訊, 共同通信, 연합뉴스.
_CJK_AGENCY_WORD = re.compile(
    r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]{1,12}"
    r"(?:社|新闻|新聞|资讯|資訊|电讯|電訊|通信|ニュース|뉴스|통신)"
)
_AGENCY_WORD = re.compile(
    r"(?:[A-Z][\w.\-]*\s+){0,3}(?:Press|News|Network|Wire|Newswire|Agency|Presse|Agentur|"
    r"Service|Wires)",
    re.IGNORECASE,
)


def agency_like(token: str) -> str | None:
    """The canonical name of a listed agency, or of a token written as agency names are."""
    token = " ".join(token.split())
    known = canonical_agency(token)
    if known is not None:
        return known
    if not 2 <= len(token) <= 30:
        return None
    if (
        (
            _ACRONYM.fullmatch(token.replace(" ", "")) is not None
            and token.replace(" ", "").isupper()
        )
        or _CAMEL.fullmatch(token)
        or _DOMAIN.fullmatch(token)
    ):
        return token.casefold()
    if _AGENCY_WORD.fullmatch(token) and token[0].isupper():
        return token.casefold()
    if _CJK_AGENCY_WORD.fullmatch(token):
        return token
    return None


#: Any built-in agency spelling, longest first, as a regular expression (no groups, no
#: anchors); the rules are built with ``per_registry``, which adds what a source declares.
AGENCY_PATTERN = _BUILT_IN.pattern
