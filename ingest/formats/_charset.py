"""Teletype wire bytes to text when the transmission names no charset.

ANPA 1312 and IPTC 7901 carry no charset declaration. The standards are 7-bit, but agencies
send their own 8-bit extensions: dpa's English service sends latin-1 umlauts, AAP sends cp1252
quotes, newer dpa services send UTF-8. The order is: the source's declared ``encoding`` (it
knows its feed), a byte-order mark, strict UTF-8 (multi-byte sequences almost never occur by
accident in Western 8-bit text), then charset-normalizer's best guess among the Western
single-byte code pages, then cp1252.

charset-normalizer is pinned in ``requirements.txt``; it is held to Western code pages because
left free it reads a latin-1 dpa transmission with a handful of umlauts as gb18030. cp1252 is
the last resort because it is a superset of the printable latin-1 range; its five undefined
bytes decode as their latin-1 control characters, which normalization turns into spaces.
"""

from __future__ import annotations

from charset_normalizer import from_bytes

from ingest.formats.text import decode

__all__ = ["decode_wire"]

#: The code pages a Western wire service sends when it leaves 7 bits.
_WESTERN = ["cp1252", "latin_1", "iso8859_15"]
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def decode_wire(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text of ``data`` and the codec that read it (see the module docstring for the order).

    Raises ``ParseError`` only when a declared ``encoding`` does not fit the bytes.
    """
    if encoding or data.startswith(_BOMS):
        return decode(data, encoding), encoding or "bom"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=_WESTERN).best()
    codec = best.encoding if best is not None else "cp1252"
    if codec != "cp1252":
        try:
            return data.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            pass
    # latin-1 never fails; the C1 range then takes cp1252's letters and quotes where it has them.
    return data.decode("latin-1").translate(_CP1252_C1), "cp1252"


def _c1_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in cp1252
            continue
    return table


_CP1252_C1 = _c1_table()
