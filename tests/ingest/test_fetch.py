"""``read_http``: an HTTP source as payloads, its cursor, next links, failures as rejects."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from ingest.auth import Credentials, SecretValue
from ingest.config import Source
from ingest.fetch import fetch_policy, read_http
from ingest.http import FetchPolicy, HttpSettings, RetryPolicy, Timeouts, make_client
from record.cursor import Cursor
from tests.wire_server import Handler, WireServer

STORY = b" date 2026-11-20 Le Conseil d'Etat a pr\xc3\xa9sent\xc3\xa9 mardi un plan. (ats/nxp)"
POLICY = FetchPolicy(max_bytes=100_000, deadline=5.0, retry=RetryPolicy(2, 0.0, 0.0))


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(HttpSettings(timeouts=Timeouts(read=1.0))) as c:
        yield c


def _source(url: str, **kw: object) -> Source:
    return Source(name="wire", kind="http", url=url, **kw)  # type: ignore[arg-type]


def _etag_route(body: bytes, etag: str):
    def serve(h: Handler) -> None:
        if h.headers.get("If-None-Match") == etag:
            h.reply(304, headers={"ETag": etag})
        else:
            h.reply(200, body, {"ETag": etag, "Content-Type": "text/plain; charset=utf-8"})

    return serve


def test_text_file_then_not_modified(client, wire_server: WireServer):
    url = wire_server.route("/fetch/ecoles.txt", _etag_route(STORY, '"e1"'))
    first = read_http(_source(url, format="text"), client, None, policy=POLICY, run_id="r1")
    (raw,) = first.raws
    assert (raw.item_id, raw.data, raw.location, raw.format) == ("ecoles", STORY, url, "text")
    assert raw.content_type == "text/plain; charset=utf-8"
    assert (first.fetched, first.not_modified, first.rejects) == (1, 0, [])
    assert first.cursor is not None
    assert (first.cursor.url, first.cursor.etag, first.cursor.run_id) == (url, '"e1"', "r1")

    second = read_http(_source(url, format="text"), client, first.cursor, policy=POLICY)
    assert (second.raws, second.fetched, second.not_modified) == ([], 0, 1)
    assert second.cursor is None  # nothing to advance


def test_a_cursor_of_another_url_sends_no_validators(client, wire_server: WireServer):
    url = wire_server.route("/fetch/moved.txt", _etag_route(STORY, '"m1"'))
    stale = Cursor(url=wire_server.url("/fetch/old.txt"), etag='"m1"')
    read = read_http(_source(url), client, stale, policy=POLICY)
    assert read.fetched == 1 and read.not_modified == 0


def test_a_failed_fetch_is_a_reject_and_keeps_the_cursor(client, wire_server: WireServer):
    url = wire_server.static("/fetch/down", b"down", 503)
    cursor = Cursor(url=url, etag='"old"')
    read = read_http(_source(url), client, cursor, policy=POLICY)
    assert read.raws == [] and read.cursor is None
    (reject,) = read.rejects
    assert reject.reason.startswith("fetch failed: GET ") and "HTTP 503" in reject.reason
    assert (reject.sha256, reject.size, reject.location) == (None, 0, url)


def _pages(wire_server: WireServer, prefix: str, count: int, loop: bool = False) -> str:
    for n in range(1, count + 1):
        nxt: str | None = f"{prefix}/{n + 1}" if n < count else (f"{prefix}/1" if loop else None)
        doc = {"items": [{"uri": f"urn:x:{n}", "body_text": "t"}], "links": {"next": nxt}}
        wire_server.static(f"{prefix}/{n}", json.dumps(doc).encode())
    return wire_server.url(f"{prefix}/1")


def test_ninjs_next_links_are_followed(client, wire_server: WireServer):
    url = _pages(wire_server, "/fetch/api", 3)
    read = read_http(_source(url, format="ninjs"), client, None, policy=POLICY)
    assert [r.location for r in read.raws] == [
        wire_server.url(f"/fetch/api/{n}") for n in (1, 2, 3)
    ]
    assert [r.item_id for r in read.raws] == ["1", "2@page2", "3@page3"]
    assert read.fetched == 3
    assert read.cursor is not None and read.cursor.url == wire_server.url("/fetch/api/1")


def _ap_pages(wire_server: WireServer, prefix: str, count: int) -> str:
    for n in range(1, count + 1):
        item = {"altids": {"itemid": f"ap{n}"}, "description_summary": f"Summary {n}."}
        data: dict[str, object] = {"items": [{"item": item}]}
        if n < count:  # AP gives an absolute next_page; a relative one is resolved all the same
            data["next_page"] = wire_server.url(f"{prefix}/{n + 1}") if n == 1 else f"{n + 1}"
        wire_server.static(f"{prefix}/{n}", json.dumps({"data": data}).encode())
    return wire_server.url(f"{prefix}/1")


@pytest.mark.parametrize("fmt", ["ap-media", None])
def test_ap_media_next_pages_are_followed(client, wire_server: WireServer, fmt):
    prefix = f"/fetch/ap-{fmt or 'detected'}"
    url = _ap_pages(wire_server, prefix, 3)
    read = read_http(_source(url, format=fmt), client, None, policy=POLICY)
    assert [r.location for r in read.raws] == [wire_server.url(f"{prefix}/{n}") for n in (1, 2, 3)]
    assert read.cursor is not None and read.cursor.url == url


def test_paging_stops_at_max_pages_and_on_a_loop(client, wire_server: WireServer):
    url = _pages(wire_server, "/fetch/many", 5)
    bounded = read_http(_source(url, format="ninjs", max_pages=2), client, None, policy=POLICY)
    assert bounded.fetched == 2
    looped = _pages(wire_server, "/fetch/loop", 2, loop=True)
    read = read_http(_source(looped, format="ninjs"), client, None, policy=POLICY)
    assert read.fetched == 2 and wire_server.hits("/fetch/loop/1") == 1


def test_a_failed_later_page_keeps_earlier_pages_but_not_the_cursor(client, wire_server):
    doc = {"items": [], "next": "/fetch/gone/2"}
    url = wire_server.static("/fetch/gone/1", json.dumps(doc).encode())
    read = read_http(_source(url, format="ninjs"), client, None, policy=POLICY)
    assert read.fetched == 1 and len(read.raws) == 1
    assert read.cursor is None
    (reject,) = read.rejects
    assert "HTTP 404" in reject.reason and reject.item_id == "2@page2"


def test_credentials_only_go_to_the_source_origin(client, wire_server: WireServer):
    foreign = wire_server.url("/fetch/foreign/2").replace("127.0.0.1", "localhost")
    wire_server.static("/fetch/foreign/2", b'{"items": []}')
    url = wire_server.static(
        "/fetch/foreign/1", json.dumps({"items": [], "next": foreign}).encode()
    )
    creds = Credentials("header:X-Api-Key", SecretValue("k-42"))
    read = read_http(_source(url, format="ninjs"), client, None, credentials=creds, policy=POLICY)
    assert read.fetched == 2
    sent = {p: {k.lower() for k in h} for p, h in wire_server.requests if "/fetch/foreign" in p}
    assert "x-api-key" in sent["/fetch/foreign/1"]
    assert "x-api-key" not in sent["/fetch/foreign/2"]


def test_fetch_policy_takes_the_source_bounds():
    policy = fetch_policy(_source("http://x/", timeout_seconds=7, max_bytes=123))
    assert (policy.deadline, policy.max_bytes) == (7.0, 123)
