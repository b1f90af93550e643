"""A real HTTP server on 127.0.0.1 for tests: routes registered per test, hits counted.

Not a mocked transport: httpx opens real sockets, reads real status lines, chunked bodies,
gzip, slow drips and redirects. Each route is a function that writes the whole response.
"""

from __future__ import annotations

import gzip
import io
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        with self.server.lock:
            self.server.hits[path] += 1
            self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(path)
        try:
            if route is None:
                self.reply(404, b"no such route")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (cap, deadline): nothing to report

    def reply(
        self, status: int, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> None:
        """A whole response with a Content-Length."""
        self.send_response(status)
        sent = {k.lower() for k in (headers or {})}
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if "content-length" not in sent:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def chunked(self, chunks: Iterator[bytes], headers: Mapping[str, str] | None = None) -> None:
        """A 200 with a chunked body (no Content-Length)."""
        self.send_response(200)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    hits: Counter[str]
    requests: list[tuple[str, dict[str, str]]]
    lock: threading.Lock


class WireServer:
    """The server and its routes; ``url(path)`` is where a route answers."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.routes = {}
        self._server.hits = Counter()
        self._server.requests = []
        self._server.lock = threading.Lock()
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def route(self, path: str, fn: Route) -> str:
        """Serve ``path`` with ``fn``; return its URL."""
        self._server.routes[path] = fn
        return self.url(path)

    def static(
        self, path: str, body: bytes, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> str:
        """Serve the same response at ``path`` every time."""
        return self.route(path, lambda h: h.reply(status, body, headers))

    def sequence(self, path: str, *replies: Route) -> str:
        """Serve ``replies`` in turn, the last one for ever after."""
        count = {"n": 0}

        def serve(handler: Handler) -> None:
            index = min(count["n"], len(replies) - 1)
            count["n"] += 1
            replies[index](handler)

        return self.route(path, serve)

    def hits(self, path: str) -> int:
        return self._server.hits[path]

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        return list(self._server.requests)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def drip(handler: Handler, size: int = 1000, every: float = 0.5) -> None:
    """A 200 that announces ``size`` bytes and sends one every ``every`` seconds."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(size))
    handler.end_headers()
    for _ in range(size):
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(every)


def gzip_bomb(decoded_size: int = 100 * 1024 * 1024) -> bytes:
    """``decoded_size`` zero bytes, gzip-compressed (about a thousandth of that on the wire)."""
    block = bytes(1024 * 1024)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as fh:
        for _ in range(decoded_size // len(block)):
            fh.write(block)
    return buffer.getvalue()
