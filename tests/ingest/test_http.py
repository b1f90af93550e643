"""``ingest.http`` against a real HTTP server on 127.0.0.1: every failure the issue lists.

Sleep and randomness are injected (the waits are recorded, not slept), so retries stay fast
while the sockets, timeouts, chunking and gzip are all real.
"""

from __future__ import annotations

import email.utils
import gzip
import itertools
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from ingest.http import (
    DEFAULT_POLICY,
    FetchPolicy,
    HttpSettings,
    RetryPolicy,
    Timeouts,
    fetch,
    make_client,
    parse_retry_after,
)
from record.errors import FetchTerminalError, FetchTransientError
from tests.wire_server import Handler, WireServer, drip, gzip_bomb

FAST = FetchPolicy(max_bytes=1000, deadline=10.0, max_redirects=5, retry=RetryPolicy(4, 1.0, 8.0))


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with make_client(HttpSettings(timeouts=Timeouts(connect=2.0, read=0.4))) as c:
        yield c


@pytest.fixture
def waits() -> list[float]:
    return []


def _path(request: pytest.FixtureRequest, name: str) -> str:
    return f"/{request.node.name}/{name}".replace("[", "_").replace("]", "_")


def test_conditional_get_gives_304_not_modified(client, wire_server: WireServer, request):
    path = _path(request, "feed")
    stamp = "Tue, 24 Nov 2026 10:00:00 GMT"

    def serve(h: Handler) -> None:
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == stamp:
            h.reply(304, headers={"ETag": '"v1"'})
        else:
            h.reply(200, b"payload", {"ETag": '"v1"', "Last-Modified": stamp})

    url = wire_server.route(path, serve)
    first = fetch(client, url, policy=FAST)
    assert (first.status, first.body, first.not_modified) == (200, b"payload", False)
    assert (first.etag, first.last_modified) == ('"v1"', stamp)
    again = fetch(client, url, etag=first.etag, policy=FAST)
    assert (again.status, again.body, again.not_modified) == (304, b"", True)
    by_date = fetch(client, url, last_modified=stamp, policy=FAST)
    assert by_date.not_modified
    assert wire_server.hits(path) == 3


def test_429_with_retry_after_seconds_is_honoured(client, wire_server, waits, request):
    path = _path(request, "busy")
    url = wire_server.sequence(
        path, lambda h: h.reply(429, headers={"Retry-After": "3"}), lambda h: h.reply(200, b"ok")
    )
    result = fetch(client, url, policy=FAST, sleep=waits.append, rand=lambda: 0.0)
    assert result.body == b"ok" and result.attempts == 2
    assert waits == [3.0]  # the server's figure, not the (zero) jittered backoff
    assert wire_server.hits(path) == 2


def test_429_with_retry_after_http_date_is_honoured(client, wire_server, waits, request):
    path = _path(request, "busy")
    when = email.utils.format_datetime(datetime.now(UTC) + timedelta(seconds=4), usegmt=True)
    url = wire_server.sequence(
        path, lambda h: h.reply(429, headers={"Retry-After": when}), lambda h: h.reply(200, b"ok")
    )
    result = fetch(client, url, policy=FAST, sleep=waits.append, rand=lambda: 0.0)
    assert result.body == b"ok"
    assert len(waits) == 1 and 2.0 <= waits[0] <= 4.0


def test_retry_after_beyond_the_deadline_fails_at_once_saying_so(
    client, wire_server, waits, request
):
    path = _path(request, "busy")
    url = wire_server.static(path, b"", 503, {"Retry-After": "3600"})
    with pytest.raises(FetchTransientError, match="retry after 3600 s, beyond"):
        fetch(client, url, policy=FAST, sleep=waits.append)
    assert waits == [] and wire_server.hits(path) == 1


def test_500_then_success_with_jittered_backoff(client, wire_server, waits, request):
    path = _path(request, "flaky")
    url = wire_server.sequence(path, lambda h: h.reply(500, b"oops"), lambda h: h.reply(200, b"ok"))
    result = fetch(client, url, policy=FAST, sleep=waits.append, rand=lambda: 0.25)
    assert result.body == b"ok" and result.attempts == 2
    assert waits == [0.25]  # full jitter: rand * base


def test_5xx_for_ever_gives_up_after_max_attempts_with_doubling_waits(
    client, wire_server, waits, request
):
    path = _path(request, "down")
    url = wire_server.static(path, b"down", 502)
    with pytest.raises(FetchTransientError, match=r"HTTP 502.*after 4 attempts"):
        fetch(client, url, policy=FAST, sleep=waits.append, rand=lambda: 1.0)
    assert waits == [1.0, 2.0, 4.0]
    assert wire_server.hits(path) == 4


def test_a_backoff_past_the_deadline_fails_at_once(client, wire_server, waits, request):
    url = wire_server.static(_path(request, "down"), b"", 500)
    policy = FetchPolicy(deadline=2.0, retry=RetryPolicy(3, base_delay=100.0, max_delay=100.0))
    with pytest.raises(FetchTransientError, match=r"HTTP 500; the deadline of 2 s passed"):
        fetch(client, url, policy=policy, sleep=waits.append, rand=lambda: 1.0)
    assert waits == []  # no sleep that would end past the deadline


def test_short_backoffs_fit_in_the_deadline(client, wire_server, waits, request):
    url = wire_server.static(_path(request, "down"), b"", 500)
    policy = FetchPolicy(deadline=5.0, retry=RetryPolicy(3, base_delay=1.0, max_delay=1.0))
    with pytest.raises(FetchTransientError, match="after 3 attempts"):
        fetch(client, url, policy=policy, sleep=waits.append, rand=lambda: 0.5)
    assert waits == [0.5, 0.5]


@pytest.mark.parametrize("status", [401, 403, 404, 410, 501])
def test_terminal_statuses_are_not_retried(client, wire_server, waits, request, status):
    path = _path(request, "no")
    url = wire_server.static(path, b"no", status)
    with pytest.raises(FetchTerminalError, match=f"HTTP {status}"):
        fetch(client, url, policy=FAST, sleep=waits.append)
    assert wire_server.hits(path) == 1 and waits == []


def test_read_timeout_is_transient_and_retried(client, wire_server, waits, request):
    path = _path(request, "slow")

    def slow(h: Handler) -> None:
        time.sleep(1.5)
        h.reply(200, b"late")

    url = wire_server.route(path, slow)
    policy = FetchPolicy(deadline=10.0, retry=RetryPolicy(2, 0.0, 0.0))
    with pytest.raises(FetchTransientError, match=r"timed out.*after 2 attempts"):
        fetch(client, url, policy=policy, sleep=waits.append)
    assert wire_server.hits(path) == 2


def test_slow_drip_fails_within_the_deadline(wire_server, request):
    url = wire_server.route(_path(request, "drip"), drip)
    # The read timeout (2 s) never fires: a byte arrives every 0.5 s. Only the deadline can stop it.
    with make_client(HttpSettings(timeouts=Timeouts(read=2.0))) as patient:
        started = time.monotonic()
        with pytest.raises(FetchTransientError, match=r"deadline of 1.5 s"):
            fetch(patient, url, policy=FetchPolicy(deadline=1.5), sleep=lambda s: None)
        assert time.monotonic() - started < 1.5 + 1.0


def test_connect_error_is_transient(client, waits):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchTransientError, match=r"ConnectError.*after 4 attempts"):
        fetch(client, f"http://127.0.0.1:{port}/", policy=FAST, sleep=waits.append)
    assert len(waits) == 3


def test_oversized_body_with_content_length_is_refused_unread(client, wire_server, request):
    path = _path(request, "big")
    url = wire_server.static(path, b"x" * 5000)
    with pytest.raises(FetchTerminalError, match="exceeds 1000 bytes \\(Content-Length 5000\\)"):
        fetch(client, url, policy=FAST)
    assert wire_server.hits(path) == 1


def test_oversized_chunked_body_stops_at_the_cap(client, wire_server, request):
    path = _path(request, "chunked")
    url = wire_server.route(path, lambda h: h.chunked(iter([b"y" * 100] * 50)))
    with pytest.raises(FetchTerminalError, match="exceeds 1000 bytes"):
        fetch(client, url, policy=FAST)
    assert wire_server.hits(path) == 1


def test_a_body_at_the_cap_is_accepted(client, wire_server, request):
    url = wire_server.route(_path(request, "edge"), lambda h: h.chunked(iter([b"z" * 500] * 2)))
    assert fetch(client, url, policy=FAST).body == b"z" * 1000


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(100 * 1024 * 1024)


def test_gzip_bomb_stops_at_the_cap_on_decoded_bytes(client, wire_server, request, bomb):
    assert len(bomb) < 1024 * 1024  # small on the wire, 100 MB decoded
    url = wire_server.static(_path(request, "bomb"), bomb, headers={"Content-Encoding": "gzip"})
    policy = FetchPolicy(max_bytes=1024 * 1024, deadline=10.0)
    started = time.monotonic()
    with pytest.raises(FetchTerminalError, match=f"exceeds {1024 * 1024} bytes \\(decoded\\)"):
        fetch(client, url, policy=policy)
    assert time.monotonic() - started < 5


def test_gzip_body_is_decoded(client, wire_server, request):
    text = b"date 2026-11-20 Un texte de d\xc3\xa9p\xc3\xaache. " * 20
    url = wire_server.static(
        _path(request, "gz"), gzip.compress(text), headers={"Content-Encoding": "gzip"}
    )
    assert fetch(client, url, policy=FAST).body == text


def test_unsupported_content_encoding_is_refused(client, wire_server, request):
    url = wire_server.static(_path(request, "br"), b"\x00\x01", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchTerminalError, match="unsupported Content-Encoding 'br'"):
        fetch(client, url, policy=FAST)


def test_redirect_loop_is_terminal_and_named(client, wire_server, request):
    a, b = _path(request, "a"), _path(request, "b")
    wire_server.static(a, b"", 302, {"Location": b})
    wire_server.static(b, b"", 302, {"Location": a})
    with pytest.raises(FetchTerminalError, match="redirect loop"):
        fetch(client, wire_server.url(a), policy=FAST)
    assert wire_server.hits(a) == 1 and wire_server.hits(b) == 1


def test_redirects_are_limited(client, wire_server, request):
    paths = [_path(request, f"hop{i}") for i in range(8)]
    for here, there in itertools.pairwise(paths):
        wire_server.static(here, b"", 301, {"Location": there})
    wire_server.static(paths[-1], b"end")
    with pytest.raises(FetchTerminalError, match="more than 5 redirects"):
        fetch(client, wire_server.url(paths[0]), policy=FAST)
    ok = fetch(client, wire_server.url(paths[3]), policy=FAST)
    assert ok.body == b"end" and ok.final_url == wire_server.url(paths[-1])


def test_credentials_never_cross_to_another_origin(client, wire_server, request):
    landing = _path(request, "landing")
    wire_server.static(landing, b"here")
    foreign = wire_server.url(landing).replace("127.0.0.1", "localhost")
    start = wire_server.static(_path(request, "start"), b"", 307, {"Location": foreign})
    result = fetch(client, start, auth_headers={"X-Api-Key": "k-123"}, policy=FAST)
    assert result.body == b"here"
    sent = {p: {k.lower(): v for k, v in h.items()} for p, h in wire_server.requests}
    assert sent[_path(request, "start")]["x-api-key"] == "k-123"
    assert "x-api-key" not in sent[landing]


def test_error_messages_carry_no_header_values(client, wire_server, request):
    url = wire_server.static(_path(request, "denied"), b"denied", 401)
    with pytest.raises(FetchTerminalError) as info:
        fetch(client, url, auth_headers={"Authorization": "Bearer CANARY-abc"}, policy=FAST)
    chain: list[BaseException] = []
    exc: BaseException | None = info.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert all("CANARY" not in repr(e) and "CANARY" not in str(e) for e in chain)


def test_make_client_applies_the_settings():
    settings = HttpSettings(timeouts=Timeouts(connect=1.0, read=2.0, write=3.0, pool=4.0))
    with make_client(settings) as c:
        assert (c.timeout.connect, c.timeout.read, c.timeout.write, c.timeout.pool) == (
            1.0,
            2.0,
            3.0,
            4.0,
        )
        assert c.follow_redirects is False
        assert c.trust_env is False
        assert c.headers["Accept-Encoding"] == "gzip, deflate"


def test_settings_refuse_nonsense():
    with pytest.raises(ValueError, match="max_bytes"):
        FetchPolicy(max_bytes=0)
    with pytest.raises(ValueError, match="deadline"):
        FetchPolicy(deadline=0)
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="read"):
        Timeouts(read=-1)
    assert DEFAULT_POLICY.max_bytes > 1024 * 1024


def test_parse_retry_after():
    now = datetime(2026, 11, 24, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Tue, 24 Nov 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("Tue, 24 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
