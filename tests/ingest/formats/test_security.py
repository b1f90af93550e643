"""Hostile XML: billion laughs, quadratic blow-up and XXE, on every XML path.

NewsML-G2, RSS, NITF and NewsML 1.2 are each attacked, declared and detected from content.

Each is refused with ``ParseError`` quickly (the bound here is generous; the guard is a byte
scan), and a loopback listener named by an external entity or DTD receives no connection.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from lxml import etree

from ingest.formats import parse_payload
from ingest.formats.xml import hardened_parser, parse_xml
from record.errors import ParseError
from tests.ingest.formats.payloads import raw_item

_G2_ROOT = '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x" version="1">'


def _g2(doctype: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n{_G2_ROOT}<itemMeta><itemClass qcode="ninat:text"/>'
        "<versionCreated>2024-01-01T00:00:00Z</versionCreated></itemMeta><contentSet>"
        f'<inlineData contenttype="text/plain">{text}</inlineData></contentSet></newsItem>'
    ).encode()


def _rss(doctype: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>t</title>'
        f"<item><guid>g</guid><description>{text}</description></item></channel></rss>"
    ).encode()


def _billion_laughs() -> tuple[str, str]:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return f"<!DOCTYPE r [\n{chr(10).join(levels)}\n]>", "&lol9;"


def _quadratic() -> tuple[str, str]:
    return f'<!DOCTYPE r [<!ENTITY a "{"x" * 100_000}">]>', "&a;" * 100_000


def _xxe_file() -> tuple[str, str]:
    return '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"


def _nitf(doctype: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<nitf><head><docdata><doc-id id-string="n1"/>'
        f"</docdata></head><body><body.content><p>{text}</p></body.content></body></nitf>"
    ).encode()


def _newsml_1(doctype: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{doctype}\n<NewsML><NewsItem><Identification><NewsIdentifier>'
        "<ProviderId>p.example</ProviderId><DateId>20240101</DateId><NewsItemId>n1</NewsItemId>"
        "</NewsIdentifier></Identification><NewsComponent><ContentItem><DataContent>"
        f"{text}</DataContent></ContentItem></NewsComponent></NewsItem></NewsML>"
    ).encode()


BUILDERS = {"billion-laughs": _billion_laughs, "quadratic": _quadratic, "xxe-file": _xxe_file}
WRAPPERS = {"newsml-g2": _g2, "rss": _rss, "nitf": _nitf, "newsml-1.2": _newsml_1}


@pytest.mark.parametrize("fmt", sorted(WRAPPERS))
@pytest.mark.parametrize("attack", sorted(BUILDERS))
def test_entity_attacks_are_refused_fast(fmt: str, attack: str) -> None:
    doctype, text = BUILDERS[attack]()
    data = WRAPPERS[fmt](doctype, text)
    for declared in (fmt, None):  # declared by the source, and detected from content
        start = time.monotonic()
        with pytest.raises(ParseError, match="declares entities"):
            parse_payload(raw_item(data, declared))
        assert time.monotonic() - start < 5


def test_utf16_payload_with_entities_is_refused() -> None:
    doctype, text = _billion_laughs()
    data = _rss(doctype, text).decode().replace('<?xml version="1.0"?>', "").encode("utf-16")
    with pytest.raises(ParseError, match="declares entities"):
        parse_payload(raw_item(data, "rss"))


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A real loopback TCP listener that records every connection it accepts."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                try:
                    seen.append(conn.recv(1024) or b"<connected>")
                except OSError:
                    seen.append(b"<connected>")
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nLEAKED")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()


@pytest.mark.parametrize("fmt", sorted(WRAPPERS))
def test_external_entity_to_loopback_makes_no_connection(
    fmt: str, listener: tuple[int, list[bytes]]
) -> None:
    port, seen = listener
    doctype = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/secret">]>'
    with pytest.raises(ParseError, match="declares entities"):
        parse_payload(raw_item(WRAPPERS[fmt](doctype, "&xxe;"), fmt))
    time.sleep(0.3)  # give a stray connection time to arrive
    assert seen == []


@pytest.mark.parametrize("fmt", sorted(WRAPPERS))
def test_external_dtd_is_never_fetched(fmt: str, listener: tuple[int, list[bytes]]) -> None:
    # An external DTD without entity declarations is legal and common (feeds with an XHTML
    # DOCTYPE): the document is read, the DTD is not.
    port, seen = listener
    doctype = f'<!DOCTYPE r SYSTEM "http://127.0.0.1:{port}/evil.dtd">'
    result = parse_payload(raw_item(WRAPPERS[fmt](doctype, "Plain text."), fmt))
    assert [item.body for item in result.items] == ["Plain text."]
    time.sleep(0.3)
    assert seen == []


@pytest.mark.parametrize("fmt", ["nitf", "newsml-1.2"])
def test_external_parameter_entity_is_dropped_unfetched(
    fmt: str, listener: tuple[int, list[bytes]]
) -> None:
    # NewsML 1.x and NITF files pull their DTD in through a parameter entity; the DOCTYPE is
    # cut out, so the document is read and the URL (here a loopback listener) is never fetched.
    port, seen = listener
    doctype = f'<!DOCTYPE r [<!ENTITY % dtd SYSTEM "http://127.0.0.1:{port}/evil.dtd"> %dtd;]>'
    for declared in (fmt, None):
        result = parse_payload(raw_item(WRAPPERS[fmt](doctype, "Plain text."), declared))
        assert [item.body for item in result.items] == ["Plain text."]
    # An inline value beside it is not an external reference: the guard refuses the document.
    inline = doctype.replace("%dtd;]>", '<!ENTITY % v "x">]>')
    with pytest.raises(ParseError, match="declares entities"):
        parse_payload(raw_item(WRAPPERS[fmt](inline, "Plain text."), fmt))
    time.sleep(0.3)
    assert seen == []


def test_hardened_parser_expands_nothing_on_its_own() -> None:
    # Behind the byte scan, the parser itself neither expands internal entities nor reads
    # external ones.
    root = etree.fromstring(
        b'<!DOCTYPE r [<!ENTITY a "EXPANDED"><!ENTITY f SYSTEM "file:///etc/passwd">]>'
        b"<r>&a;&f;</r>",
        parser=hardened_parser(),
    )
    assert root.text is None
    assert [(type(node).__name__, node.text) for node in root] == [
        ("_Entity", "&a;"),
        ("_Entity", "&f;"),
    ]  # references left as references: nothing substituted, nothing read
    with pytest.raises(ParseError, match="declares entities"):
        parse_xml(b'<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>')
