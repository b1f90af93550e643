"""The HTTP client policy: one configured ``httpx.Client`` per run, and a bounded ``fetch``.

``make_client`` builds the client from small frozen settings (timeouts, connection limits); the
flow creates it once per run, passes it to whatever fetches, and closes it at the end. ``fetch``
does one conditional GET under a policy (size cap, overall deadline, retries) and returns a
``FetchResult`` or raises ``FetchTransientError`` / ``FetchTerminalError``:

- an overall deadline per fetch covers every attempt, every redirect, every wait, the reading
  of the status line and headers and the streaming of the body, so a server that drips one
  byte every half second still fails in bounded time (the per-read timeout alone would never
  fire): the client's sockets cap each read and write at what is left of the deadline;
- the body is counted on decoded bytes while it streams and the fetch stops at the cap, so a
  gzip bomb costs at most ``max_bytes`` of memory;
- redirects are followed here, not by httpx, so their number is bounded, a loop is named, and
  credentials are never sent to another origin (httpx would forward a custom API-key header);
- retries (exponential backoff, full jitter) happen on transient failures only, and a server's
  ``Retry-After`` (seconds or an HTTP date) is honoured within the deadline.

Messages never carry request headers: credentials travel only in the headers, and every httpx
error is translated at this boundary into a message built from the URL and the failure.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import httpcore
import httpx

from record.errors import FetchTerminalError, FetchTransientError

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_RETRY",
    "DEFAULT_SETTINGS",
    "FetchPolicy",
    "FetchResult",
    "HttpSettings",
    "Limits",
    "RetryPolicy",
    "Timeouts",
    "fetch",
    "make_client",
    "parse_retry_after",
    "same_origin",
]

log = logging.getLogger(__name__)

USER_AGENT = "wiredup/0.1 (+https://github.com/wiredup)"


@dataclass(frozen=True)
class Timeouts:
    """Per-operation timeouts in seconds (each also capped by the fetch's remaining deadline)."""

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "write", "pool"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Timeouts.{name} must be > 0, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class Limits:
    """How many connections one run may hold: wire servers are shared, be a polite client."""

    max_connections: int = 10
    max_keepalive_connections: int = 5

    def __post_init__(self) -> None:
        if self.max_connections < 1 or self.max_keepalive_connections < 0:
            raise ValueError("Limits: max_connections must be >= 1, keep-alive >= 0")


@dataclass(frozen=True)
class HttpSettings:
    """What the one client of a run is built with."""

    timeouts: Timeouts = field(default_factory=Timeouts)
    limits: Limits = field(default_factory=Limits)
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base * 2**n))."""

    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be >= 1, got {self.max_attempts}")
        if self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("RetryPolicy delays must be >= 0")

    def backoff(self, attempt: int, rand: float) -> float:
        """The wait before retry number ``attempt`` (1 = the first retry); ``rand`` in [0, 1)."""
        return rand * min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))


@dataclass(frozen=True)
class FetchPolicy:
    """The bounds of one fetch: size cap on decoded bytes, deadline, redirects, retries."""

    max_bytes: int = 32 * 1024 * 1024
    deadline: float = 120.0
    max_redirects: int = 5
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ValueError(f"FetchPolicy.max_bytes must be >= 1, got {self.max_bytes}")
        if not self.deadline > 0:
            raise ValueError(f"FetchPolicy.deadline must be > 0, got {self.deadline}")
        if self.max_redirects < 0:
            raise ValueError(f"FetchPolicy.max_redirects must be >= 0, got {self.max_redirects}")


DEFAULT_SETTINGS = HttpSettings()
DEFAULT_RETRY = RetryPolicy()
DEFAULT_POLICY = FetchPolicy()


@dataclass(frozen=True)
class FetchResult:
    """The outcome of one fetch that did not fail."""

    url: str  # the URL asked for
    final_url: str  # where the body came from, after redirects
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str | None
    not_modified: bool
    attempts: int
    fetched_at: datetime


def make_client(settings: HttpSettings = DEFAULT_SETTINGS) -> httpx.Client:
    """The one HTTP client of a run; the caller closes it.

    Redirects are not followed by the client: ``fetch`` follows them itself (see the module
    docstring). ``trust_env`` is off because library code reads no environment: no proxy or
    netrc credentials slip in from the process environment.
    """
    t = settings.timeouts
    limits = httpx.Limits(
        max_connections=settings.limits.max_connections,
        max_keepalive_connections=settings.limits.max_keepalive_connections,
    )
    transport = httpx.HTTPTransport(limits=limits, trust_env=False)
    _bound_reads_by_deadline(transport)
    return httpx.Client(
        timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
        limits=limits,
        transport=transport,
        follow_redirects=False,
        trust_env=False,
        # Only the encodings ``_decoded`` can bound; a server must not answer in brotli/zstd.
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
    )


# What is left of the deadline of the fetch running in this thread (unset outside a fetch).
_deadline = threading.local()


def _left() -> float | None:
    remaining: Callable[[], float] | None = getattr(_deadline, "remaining", None)
    return None if remaining is None else remaining()


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most what is left of the fetch deadline.

    httpx's timeouts apply to each socket operation: a server that sends the status line and
    headers one byte at a time never lets the read timeout fire, and the body loop's deadline
    check only starts once the headers are in. Capping each operation here bounds the head too.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    @staticmethod
    def _timeout(timeout: float | None, error: type[Exception]) -> float | None:
        left = _left()
        if left is None:
            return timeout
        if left <= 0:
            raise error("the fetch deadline passed")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(
            ssl_context, server_hostname, self._timeout(timeout, httpcore.ConnectTimeout)
        )
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's sync backend, its streams wrapped in ``_DeadlineStream``."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        timeout = _DeadlineStream._timeout(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        timeout = _DeadlineStream._timeout(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self._inner.connect_unix_socket(path, timeout, socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def _bound_reads_by_deadline(transport: httpx.HTTPTransport) -> None:
    # httpx takes no network backend; its pool does (httpcore's documented extension point).
    pool = transport._pool
    pool._network_backend = _DeadlineBackend(pool._network_backend)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class _Retry(Exception):
    """Internal: this attempt failed transiently; ``wait`` is a server-imposed delay."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


# Why each status is retried: 408 the server gave up waiting for us; 429 we asked too often
# (Retry-After says when to come back); 500 a server fault, often a deploy or a bad node;
# 502/504 a proxy or gateway in front lost the origin; 503 overloaded or in maintenance.
# Other 5xx are treated the same (a server-side fault) except 501 and 505, which say the
# server will never do what was asked. Every other 4xx (401, 403, 404, 410...) is the same
# answer on every try, so it is terminal.
_TERMINAL_5XX = frozenset({501, 505})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    """Whether two URLs share scheme, host and port: where credentials may go."""
    return (a.scheme, a.host, a.port) == (b.scheme, b.host, b.port)


def _decoded(response: httpx.Response, max_bytes: int, check: Callable[[], None]) -> bytes:
    """The body, decoded, refused as soon as it passes ``max_bytes``.

    httpx's own decoders inflate a whole network chunk at once (a 64 KB chunk of a gzip bomb is
    64 MB); zlib with ``max_length`` never produces more than the cap allows.
    """
    encodings = [
        e.strip().lower()
        for e in response.headers.get("Content-Encoding", "").split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if len(encodings) > 1 or (encodings and encodings[0] not in {"gzip", "x-gzip", "deflate"}):
        raise FetchTerminalError(
            f"unsupported Content-Encoding {response.headers.get('Content-Encoding')!r}"
        )
    inflater = None
    if encodings:
        # gzip: auto-detect the gzip or zlib header; deflate: zlib-wrapped (raw tried below).
        wbits = zlib.MAX_WBITS | 32 if encodings[0] != "deflate" else zlib.MAX_WBITS
        inflater = zlib.decompressobj(wbits)
    out = bytearray()
    first = True

    def take(piece: bytes) -> None:
        out.extend(piece)
        if len(out) > max_bytes:
            raise FetchTerminalError(f"response exceeds {max_bytes} bytes (decoded)")

    for chunk in response.iter_raw():
        check()
        if inflater is None:
            take(chunk)
            continue
        pending = chunk
        while pending and not inflater.eof:
            try:
                piece = inflater.decompress(pending, max_bytes - len(out) + 1)
            except zlib.error as exc:
                if first and encodings[0] == "deflate":
                    # Some servers send raw deflate without the zlib wrapper.
                    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    first = False
                    continue
                raise FetchTerminalError(f"body cannot be decoded as {encodings[0]}") from exc
            first = False
            take(piece)
            pending = inflater.unconsumed_tail
    if inflater is not None:
        take(inflater.flush())
    return bytes(out)


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    auth_headers: Mapping[str, str] | None = None,
    policy: FetchPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
    clock: Callable[[], float] = time.monotonic,
) -> FetchResult:
    """GET ``url`` under ``policy``; conditional when an ETag or Last-Modified is given.

    ``sleep``, ``rand`` and ``clock`` are injected so tests run against a real server without
    real waits. ``auth_headers`` go only to the origin of ``url``, never across a redirect to
    another origin.
    """
    started = clock()
    deadline_at = started + policy.deadline

    def remaining() -> float:
        return deadline_at - clock()

    def check_deadline() -> None:
        if remaining() <= 0:
            raise FetchTransientError(
                f"GET {url}: no complete response within the deadline of {policy.deadline:g} s"
            )

    attempt = 0
    last_reason: str | None = None
    while True:
        attempt += 1
        try:
            _deadline.remaining = remaining
            try:
                result = _attempt(
                    client,
                    url,
                    etag,
                    last_modified,
                    auth_headers,
                    policy,
                    remaining,
                    check_deadline,
                )
            finally:
                _deadline.remaining = None
            return replace(result, attempts=attempt)
        except FetchTransientError as exc:
            # The deadline passed during this attempt; say what failed before it.
            if last_reason is None:
                raise
            raise FetchTransientError(f"{exc}; earlier attempts failed with {last_reason}") from exc
        except _Retry as retry:
            last_reason = retry.reason
            if attempt >= policy.retry.max_attempts:
                raise FetchTransientError(
                    f"GET {url}: {retry.reason} (gave up after {attempt} attempts)"
                ) from retry
            left = remaining()
            if retry.wait is not None:
                if retry.wait > left:
                    raise FetchTransientError(
                        f"GET {url}: {retry.reason}; the server asks to retry after "
                        f"{retry.wait:g} s, beyond the {max(left, 0):.1f} s left of the "
                        f"deadline of {policy.deadline:g} s"
                    ) from retry
                wait = retry.wait
            else:
                wait = min(policy.retry.backoff(attempt, rand()), max(left, 0.0))
            if left <= 0 or wait >= left:
                raise FetchTransientError(
                    f"GET {url}: {retry.reason}; the deadline of {policy.deadline:g} s passed "
                    f"after {attempt} attempts"
                ) from retry
            log.info("GET %s: %s; retry %d in %.2f s", url, retry.reason, attempt, wait)
            sleep(wait)


def _attempt(
    client: httpx.Client,
    url: str,
    etag: str | None,
    last_modified: str | None,
    auth_headers: Mapping[str, str] | None,
    policy: FetchPolicy,
    remaining: Callable[[], float],
    check_deadline: Callable[[], None],
) -> FetchResult:
    """One attempt, redirects included: a ``FetchResult``, or ``_Retry``."""
    try:
        start = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchTerminalError(f"invalid URL {url!r}: {exc}") from exc
    current = start
    seen = {str(current)}
    for _hop in range(policy.max_redirects + 1):
        check_deadline()
        headers: dict[str, str] = {}
        if same_origin(current, start):
            headers.update(auth_headers or {})
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        left = remaining()
        t = client.timeout
        timeout = httpx.Timeout(
            connect=min(t.connect or left, left),
            read=min(t.read or left, left),
            write=min(t.write or left, left),
            pool=min(t.pool or left, left),
        )
        try:
            with client.stream("GET", current, headers=headers, timeout=timeout) as response:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise FetchTerminalError(f"GET {current}: {status} without a Location")
                    target = current.join(location)
                    if target.scheme not in {"http", "https"}:
                        raise FetchTerminalError(
                            f"GET {current}: redirect to a non-HTTP URL {target}"
                        )
                    if str(target) in seen:
                        raise FetchTerminalError(
                            f"GET {url}: redirect loop ({current} -> {target})"
                        )
                    seen.add(str(target))
                    current = target
                    continue
                _raise_for_status(response, str(current))
                not_modified = status == 304
                body = (
                    b""
                    if not_modified
                    else _body(response, policy.max_bytes, check_deadline, str(current))
                )
                return FetchResult(
                    url=url,
                    final_url=str(current),
                    status=status,
                    body=body,
                    etag=response.headers.get("ETag"),
                    last_modified=response.headers.get("Last-Modified"),
                    content_type=response.headers.get("Content-Type"),
                    not_modified=not_modified,
                    attempts=1,
                    fetched_at=datetime.now(UTC),
                )
        except httpx.TimeoutException as exc:
            check_deadline()  # the socket waited out what was left of the deadline
            raise _Retry(f"timed out ({type(exc).__name__})") from exc
        except httpx.TransportError as exc:
            # Connect errors, a connection dropped mid-body, a protocol error: the network or
            # the server hiccupped; the same request may well succeed.
            raise _Retry(f"transport error ({type(exc).__name__}: {exc})") from exc
        except httpx.HTTPError as exc:
            raise FetchTerminalError(f"GET {current}: {type(exc).__name__}: {exc}") from exc
    raise FetchTerminalError(f"GET {url}: more than {policy.max_redirects} redirects")


def _raise_for_status(response: httpx.Response, url: str) -> None:
    status = response.status_code
    if status < 400 or status == 304:
        return
    if status in {408, 429} or (status >= 500 and status not in _TERMINAL_5XX):
        wait = parse_retry_after(response.headers.get("Retry-After"), datetime.now(UTC))
        raise _Retry(f"HTTP {status}", wait)
    raise FetchTerminalError(f"GET {url}: HTTP {status} {response.reason_phrase}".rstrip())


def _body(
    response: httpx.Response, max_bytes: int, check_deadline: Callable[[], None], url: str
) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise FetchTerminalError(
            f"GET {url}: response exceeds {max_bytes} bytes (Content-Length {declared})"
        )
    try:
        return _decoded(response, max_bytes, check_deadline)
    except FetchTerminalError as exc:
        raise FetchTerminalError(f"GET {url}: {exc}") from exc
