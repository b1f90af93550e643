"""E-mail: composed RFC 822 messages and a real one, through detection and the parser."""

from __future__ import annotations

import pytest

from ingest.formats import detect_format, parse_payload
from ingest.formats.email import parse_email
from record.errors import ParseError
from tests.ingest.formats.payloads import fixture, raw_item, utc

PLAIN = (
    b"Received: from relay.example.invalid by mx.example.invalid;\r\n"
    b"  Tue, 4 Mar 2025 09:15:02 +0100\r\n"
    b"From: Press Office <press@example.invalid>\r\n"
    b"To: desk@example.invalid\r\n"
    b"Subject: =?utf-8?q?Gem=C3=BCsemarkt_reopens_on_Saturday?=\r\n"
    b"Date: Tue, 4 Mar 2025 09:15:00 +0100\r\n"
    b"Message-ID: <market-2025-03-04@example.invalid>\r\n"
    b"Content-Language: en-GB\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=iso-8859-1\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n"
    b"\r\n"
    b"The covered market on the river bank opens again on Saturday after=\r\n"
    b" a year of\r\nrepairs to its roof.\r\n"
    b"\r\n"
    b"Stall holders say the new roof lets in more light. M=FCller, who sells\r\n"
    b"cheese, called it a fresh start.\r\n"
    b"\r\n"
    b"-- \r\n"
    b"Press Office, Example Town\r\n"
)  # fmt: skip


def test_plain_text_message_fields() -> None:
    assert detect_format(PLAIN) == "email"
    [item] = parse_payload(raw_item(PLAIN)).items
    assert item.format == "email"
    assert item.item_id == "market-2025-03-04@example.invalid"
    assert item.headline == "Gem\u00fcsemarkt reopens on Saturday"  # an encoded word
    assert item.published_at == utc(2025, 3, 4, 8, 15)
    assert item.language == "en"
    assert item.body == (
        "The covered market on the river bank opens again on Saturday after a year of"
        " repairs to its roof.\n\n"
        "Stall holders say the new roof lets in more light. M\u00fcller, who sells cheese,"
        " called it a fresh start."
    )  # the latin-1 part decoded by its charset; the signature dropped


HTML_ONLY = (
    b"From: newsroom@example.invalid\r\n"
    b"Subject: Bridge closed\r\n"
    b"Date: Wed, 5 Mar 2025 18:00:00 -0000\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="b1"\r\n'
    b"\r\n"
    b"--b1\r\n"
    b"Content-Type: text/html; charset=utf-8\r\n"
    b"\r\n"
    b"<html><body><p>The old bridge is closed.</p><p>Divers inspect it.</p></body></html>\r\n"
    b"--b1--\r\n"
)


def test_html_part_made_text_and_file_name_as_identity() -> None:
    [item] = parse_email(raw_item(HTML_ONLY, "email", item_id="1741197600.M1P2.host")).items
    assert item.item_id == "1741197600.M1P2.host"  # no Message-ID: the maildir file name
    assert item.body == "The old bridge is closed.\n\nDivers inspect it."
    assert item.published_at == utc(2025, 3, 5, 18, 0)  # "-0000": no zone, read as UTC


def test_message_without_text_part_is_an_item_problem() -> None:
    data = (
        b"From: a@example.invalid\r\nSubject: Photo\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n/9j/4AAQ\r\n"
    )
    result = parse_email(raw_item(data, "email"))
    assert result.items == ()
    assert "no text/plain or text/html part" in result.problems[0].reason


def test_real_message_with_attachment() -> None:
    data = fixture(
        "superdesk-agencies", "superdesk-belga", "tests_io_fixtures_email_attachment_belga.txt"
    )
    assert detect_format(data) == "email"
    [item] = parse_payload(raw_item(data)).items
    assert item.item_id == "4f138253d39260ad3d6a95fe7945e71d@mail92208.maychuemail.com"
    assert item.headline == "test"
    assert item.published_at == utc(2019, 7, 5, 10, 8, 8)
    assert item.body == "hello, This is test email attachment"


@pytest.mark.parametrize(
    "data",
    [
        b"Source: Example Corp\r\nMEDIA RELEASE PR1\r\nA headline\r\n\r\nText.\r\n",
        b"Subject: only one header\r\n\r\nText.\r\n",
        b"From: a@example.invalid\r\nSubject: no blank line after the headers",
        b"Headline: A plain wire story\r\nSlug: test\r\n\r\nBody.\r\n",
    ],
    ids=["release", "one-header", "no-body-separator", "no-mail-field"],
)
def test_plain_wire_text_is_not_taken_for_email(data: bytes) -> None:
    with pytest.raises(ParseError):
        detect_format(data)
    with pytest.raises(ParseError, match="RFC 822"):
        parse_email(raw_item(data, "email"))


def test_oversized_header_field_is_refused() -> None:
    data = b"From: a@example.invalid\r\nSubject: " + b"x" * 9000 + b"\r\n\r\nText.\r\n"
    with pytest.raises(ParseError, match="longer than 8192 bytes"):
        parse_email(raw_item(data, "email"))
