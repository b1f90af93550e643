"""The agencies Wiredup recognises in credits, datelines and copyright lines.

Names are kept lower-case and canonical (``AFP`` and ``afp`` are one agency). An unknown token
in parentheses is never taken for a credit, which is what keeps ``(PS)`` or ``(de lettre)`` in
the text.
"""

from __future__ import annotations

import re

__all__ = ["AGENCIES", "AGENCY_PATTERN", "canonical_agency"]

#: Lower-case spelling -> canonical name.
AGENCIES: dict[str, str] = {
    name: name
    for name in (
        "afp",
        "ap",
        "ats",
        "sda",
        "keystone-ats",
        "keystone-sda",
        "dpa",
        "reuters",
        "ansa",
        "efe",
        "belga",
        "apa",
        "aap",
        "pa",
        "kyodo",
        "xinhua",
        "bloomberg",
        "upi",
        "anp",
        "tass",
        "ria",
        "awp",
        "sid",
        "epd",
        "kna",
        "ntb",
        "stt",
        "ritzau",
        "ctk",
        "pap",
        "mti",
        "hina",
        "sta",
        "bta",
        "ana",
        "ana-mpa",
        "lusa",
        "europa press",
        "yonhap",
        "jiji",
        "pti",
        "ians",
        "nzpa",
        "dapd",
        "afx",
        "rtr",
    )
}
AGENCIES.update(
    {
        "associated press": "ap",
        "agence france-presse": "afp",
        "agence france presse": "afp",
        "thomson reuters": "reuters",
        "deutsche presse-agentur": "dpa",
        "press association": "pa",
        "the associated press": "ap",
        "keystone": "keystone-ats",
        "sda-ats": "sda",
        "ats-sda": "ats",
        "keystone-ats": "keystone-ats",
        "keystone-sda": "keystone-sda",
        "agenzia ansa": "ansa",
        "agencia efe": "efe",
        "kyodo news": "kyodo",
        "xinhua news agency": "xinhua",
        "bloomberg news": "bloomberg",
        "bloomberg l.p.": "bloomberg",
        "agence belga": "belga",
        "australian associated press": "aap",
        "pa media": "pa",
        "austria presse agentur": "apa",
        "dpa-afx": "dpa-afx",
        "sid": "sid",
        "απε-μπε": "ana-mpa",
        "απε": "ana-mpa",
    }
)


def canonical_agency(token: str) -> str | None:
    """The canonical agency a token names, or ``None`` if it names none."""
    return AGENCIES.get(" ".join(token.casefold().split()))


#: Any agency name, longest first, as a regular expression (no groups, no anchors).
AGENCY_PATTERN = "|".join(
    re.escape(name).replace(r"\ ", r"\s+") for name in sorted(AGENCIES, key=len, reverse=True)
)
