"""The agencies Wiredup recognises in credits, datelines and copyright lines.

Names are kept lower-case and canonical (``AFP`` and ``afp`` are one agency). An unknown token
in parentheses is never taken for a credit, which is what keeps ``(PS)`` or ``(de lettre)`` in
the text.
"""

from __future__ import annotations

__all__ = ["AGENCIES", "canonical_agency"]

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
        "tt",
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
        "cp",
        "aa",
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
    }
)


def canonical_agency(token: str) -> str | None:
    """The canonical agency a token names, or ``None`` if it names none."""
    return AGENCIES.get(" ".join(token.casefold().split()))
