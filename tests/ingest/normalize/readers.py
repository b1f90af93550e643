"""Read the body text of a real fixture where it lies, the way a format parser will.

Parsers for ANPA / IPTC 7901, NewsML and ninjs are not all written yet; these small readers
take out the raw body (markers, control characters and mojibake left in) so that
normalization can be tested on real agency copy now.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from ingest.formats.text import parse_text
from record.story import RawItem

__all__ = ["READERS", "read_body"]

_XHTML = "{http://www.w3.org/1999/xhtml}"


def _text(path: Path) -> str:
    """The body of a plain-text wire file, through the project's own text parser."""
    from datetime import UTC, datetime

    raw = RawItem("fixtures", path.stem, path.read_bytes(), datetime.now(UTC), str(path))
    return parse_text(raw).body


def _anpa(path: Path) -> str:
    """ANPA 1312 / IPTC 7901: the text between STX and ETX, less the header lines.

    Control characters inside the text are left for normalization to remove. AP's ANPA starts
    each paragraph with a tab and marks header lines with ``^``; dpa's 7901 has blank lines.
    """
    data = path.read_bytes().decode("latin-1")
    start, end = data.find("\x02"), data.find("\x03")
    text = data[start + 1 : end if end > start else len(data)]
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if not any(line.startswith("\t") for line in lines) and "" in lines:
        # IPTC 7901: priority, headline and byline lines run to the first blank line.
        lines = lines[lines.index("") :]
    kept: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("^") or (index < 3 and line.rstrip().endswith("=")):
            continue
        if line.startswith("\t"):
            kept.append("")
        kept.append(line.rstrip("<=").rstrip())
    return "\n".join(kept)


def _parse_xml(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    return etree.parse(str(path), parser).getroot()


def _dpa_g2(path: Path) -> str:
    """dpa NewsML-G2: the XHTML of the body's paragraphs (not its header, not the teaser), as
    a parser would deliver them, with the closing line (``dpa geh yyth a3 hgo``) it carries."""
    root = _parse_xml(path)
    body = root.find(f".//{_XHTML}body")
    assert body is not None
    for element in body.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    parts: list[str] = []
    for element in body.iter("p", "h2", "h3"):
        if "teaser" in (element.get("class") or "") or any(
            a.tag == "header" for a in element.iterancestors()
        ):
            continue
        parts.append(etree.tostring(element, method="html", encoding="unicode", with_tail=False))
    closing = root.find(".//{*}edNote[@role='dpaednoterole:closingline']")
    if closing is not None and closing.text:
        parts.append(f"<p>{closing.text}</p>")
    return "\n".join(parts)


def _newsml12(path: Path) -> str:
    """NewsML 1.2: the markup inside the first DataContent, decoded as the XML declaration
    says (``afp20.xml`` declares iso-8859-1 but holds UTF-8, so this gives mojibake on
    purpose), CDATA wrapper taken off."""
    data = path.read_bytes()
    declared = re.search(rb'encoding="([^"]+)"', data[:200])
    text = data.decode(declared[1].decode() if declared else "utf-8")
    match = re.search(r"<DataContent>(.*?)</DataContent>", text, re.S)
    assert match is not None, f"{path}: no DataContent"
    content = match[1].strip()
    if content.startswith("<![CDATA["):
        content = content[len("<![CDATA[") : -len("]]>")]
    return content


def _ninjs(path: Path) -> str:
    """ninjs: ``body_html`` (1.x, 2.x) or the first HTML-like entry of ``bodies`` (3.x)."""
    item = json.loads(path.read_text(encoding="utf-8"))
    if "body_html" in item:
        return str(item["body_html"])
    for body in item.get("bodies", []):
        if "html" in str(body.get("contentType", body.get("contenttype", ""))) or body.get(
            "role"
        ) in ("richtext", "main"):
            return str(body["value"])
    raise AssertionError(f"{path}: no HTML body")


#: Reader name -> function of the fixture path.
READERS: dict[str, Callable[[Path], str]] = {
    "text": _text,
    "anpa": _anpa,
    "dpa-g2": _dpa_g2,
    "newsml12": _newsml12,
    "ninjs": _ninjs,
}


def read_body(reader: str, path: Path) -> str:
    """The raw body of the fixture at ``path`` read with ``reader``."""
    return READERS[reader](path)
