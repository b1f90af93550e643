"""HTTP faults through the real ingest flow, from a real server on 127.0.0.1 (issue 8).

One ``sources.toml`` declares one source per fault plus a healthy source, and the flow runs
three times under the Prefect test harness:

0. every source serves version 1 of its item (the cursors take ETag ``"a"``);
1. the faults are on: connection resets mid-headers and mid-body (``SO_LINGER 0``), bodies cut
   short (a Content-Length larger than what is sent, a chunked body that stops), 5xx storms
   (for ever; and a short one the fetch rides out), 429 with a Retry-After far beyond the
   deadline and a short one that is honoured, and a slow drip of the body and of the headers
   past the deadline. The healthy source serves a new item;
2. the faults have cleared: every source serves version 2 (ETag ``"b"``).

Per fault: the source's read ends within its deadline (+ slack), a failing source ends as one
reject whose message names the fault and carries no credential, its cursor stays at ``"a"``,
no more requests reach the server than the fetch's own retry policy allows (the flow's task
retries do not multiply the deadline), and after the third run every (source, item_id,
version) is stored exactly once: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import json
import re
import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings

from flows.ingest import ingest_flow
from flows.params import IngestParameters
from ingest.http import DEFAULT_RETRY
from pipeline.summary import RunSummary
from record.cursor import Cursor
from storage import StorageRoot, read_cursor, read_rejects, read_runs, read_stories
from tests.prefect_server import Server
from tests.reliability.figures import record
from tests.wire_server import Handler, WireServer

#: The deadline (``timeout_seconds``) of every faulty source.
DEADLINE = 2.0
#: Time a source's read may take beyond its deadline: the task's own bookkeeping, a loaded CI.
SLACK = 1.5
TOKEN_ENV = "WIREDUP_FAULTS_TOKEN"
TOKEN = f"FAULT-CANARY-{secrets.token_hex(10)}"

Fault = Callable[[Handler, "Route"], None]


def _ninjs(uri: str, version: int, day: int, topic: str) -> bytes:
    body = (
        f"The regional assembly voted on Tuesday to fund {topic}, after a debate that lasted "
        f"most of the afternoon. Supporters said the {topic} plan would be ready within two "
        f"years; opponents asked for an independent review of its cost. Version {version} of "
        f"this report adds the final tally of the vote on {topic}."
    )
    item = {
        "uri": uri,
        "version": str(version),
        "versioncreated": f"2026-10-{day:02d}T09:00:00Z",
        "headline": f"Assembly funds {topic}",
        "body_text": body,
    }
    return json.dumps(item).encode()


def _reset(h: Handler) -> None:
    """Abort the connection: close with SO_LINGER 0, so the peer gets a TCP RST."""
    h.wfile.flush()
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def reset_mid_headers(h: Handler, route: Route) -> None:
    h.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: applic")
    _reset(h)


def reset_mid_body(h: Handler, route: Route) -> None:
    body = route.payload(2)
    h.wfile.write(f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode())
    h.wfile.write(body[: len(body) // 2])
    h.wfile.flush()
    time.sleep(0.05)  # the client is reading the body when the reset comes
    _reset(h)


def truncated_content_length(h: Handler, route: Route) -> None:
    body = route.payload(2)
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body) + 500}\r\nConnection: close\r\n\r\n"
    h.wfile.write(head.encode() + body)
    h.close_connection = True


def truncated_chunked(h: Handler, route: Route) -> None:
    body = route.payload(2)
    half = body[: len(body) // 2]
    h.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    h.wfile.write(f"{len(half):x}\r\n".encode() + half + b"\r\n")  # and no last chunk
    h.close_connection = True


def storm_for_ever(h: Handler, route: Route) -> None:
    h.reply((500, 502, 503)[route.fault_hits % 3], b"upstream unavailable")


def storm_then_ok(h: Handler, route: Route) -> None:
    if route.fault_hits < 2:
        h.reply((502, 503)[route.fault_hits], b"upstream unavailable")
    else:
        route.serve_version(h, 2)


def retry_after_beyond_deadline(h: Handler, route: Route) -> None:
    h.reply(429, b"slow down", {"Retry-After": "3600"})


def retry_after_short(h: Handler, route: Route) -> None:
    if route.fault_hits == 0:
        h.reply(429, b"slow down", {"Retry-After": "1"})
    else:
        route.serve_version(h, 2)


def drip_body(h: Handler, route: Route) -> None:
    """A 200 announcing 2000 bytes, one every 0.25 s (the read timeout never fires)."""
    h.send_response(200)
    h.send_header("Content-Length", "2000")
    h.end_headers()
    for _ in range(2000):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.25)


def drip_headers(h: Handler, route: Route) -> None:
    """The status line, then one short header line every 0.25 s for 15 s, never a blank line."""
    h.wfile.write(b"HTTP/1.1 200 OK\r\n")
    for n in range(60):
        h.wfile.write(f"X-Drip-{n}: 1\r\n".encode())
        h.wfile.flush()
        time.sleep(0.25)
    _reset(h)


@dataclass(frozen=True)
class Case:
    name: str  # the source's name
    label: str  # what the figure says
    fault: Fault
    reason: str  # a regex the reject reason must match; "" when the fetch recovers
    deadline: float = DEADLINE


CASES = [
    Case("reset-headers", "connection reset mid-headers", reset_mid_headers, r"reset by peer"),
    Case("reset-body", "connection reset mid-body", reset_mid_body, r"reset by peer"),
    Case(
        "short-length",
        "body shorter than its Content-Length",
        truncated_content_length,
        r"without sending complete message body \(received \d+ bytes, expected \d+\)",
    ),
    Case(
        "short-chunked",
        "chunked body cut",
        truncated_chunked,
        r"without sending complete message body \(incomplete chunked read\)",
    ),
    Case("storm", "5xx storm for ever", storm_for_ever, r"HTTP 50[023]"),
    # Two 5xx, then the page: the backoffs (at most 1 s + 2 s) fit a 3.5 s deadline.
    Case("storm-then-ok", "5xx storm, then OK", storm_then_ok, "", deadline=3.5),
    Case(
        "retry-after-long",
        "429 with Retry-After 3600 s",
        retry_after_beyond_deadline,
        r"HTTP 429; the server asks to retry after 3600 s, beyond the [\d.]+ s left",
    ),
    Case("retry-after-short", "429 with Retry-After 1 s", retry_after_short, ""),
    Case("drip-body", "slow drip of the body", drip_body, r"no complete response within"),
    Case("drip-headers", "slow drip of the headers", drip_headers, r"no complete response within"),
]
FAILING = [c for c in CASES if c.reason]
HEALTHY = "healthy"


@dataclass
class Route:
    """One source's route: version 1 before the faults, the fault, version 2 after."""

    case: Case | None
    phase: dict[str, int]
    fault_hits: int = 0
    times: list[float] = field(default_factory=list)
    auth: list[str | None] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def uri(self) -> str:
        return f"urn:wiredup-faults:{self.case.name if self.case else HEALTHY}"

    def payload(self, version: int) -> bytes:
        name = self.case.name if self.case else HEALTHY
        topic = f"{name.replace('-', ' ')} works"
        if self.case is None:  # the healthy source: one new item per run
            return _ninjs(f"{self.uri}-{version}", 1, 10 + version, topic)
        return _ninjs(self.uri, version, 10 + version, topic)

    def serve_version(self, h: Handler, version: int) -> None:
        etag = f'"{"ab"[version - 1]}"'
        if h.headers.get("If-None-Match") == etag:
            h.reply(304, headers={"ETag": etag})
        else:
            h.reply(200, self.payload(version), {"ETag": etag, "Content-Type": "application/json"})

    def __call__(self, h: Handler) -> None:
        phase = self.phase["run"]
        with self.lock:
            self.auth.append(h.headers.get("Authorization"))
            if phase == 1:
                self.times.append(time.monotonic())
        if self.case is None:
            self.serve_version_healthy(h, phase)
        elif phase == 1:
            try:
                self.case.fault(h, self)
            finally:
                self.fault_hits += 1
        else:
            self.serve_version(h, 1 if phase == 0 else 2)

    def serve_version_healthy(self, h: Handler, phase: int) -> None:
        h.reply(200, self.payload(phase + 1), {"Content-Type": "application/json"})


@dataclass
class Campaign:
    root: StorageRoot
    routes: dict[str, Route]
    summaries: list[RunSummary]
    cursors: list[dict[str, Cursor | None]]
    fault_run_seconds: float


def _sources_toml(routes: dict[str, Route], wire_server: WireServer, tag: str) -> str:
    text = ""
    for name, route in routes.items():
        url = wire_server.route(f"/faults/{tag}/{name}.json", route)
        text += f'[[source]]\nname = "{name}"\nkind = "http"\nurl = "{url}"\nformat = "ninjs"\n'
        if route.case is not None:
            text += (
                f'auth = "env:{TOKEN_ENV}"\nauth_scheme = "bearer"\n'
                f"timeout_seconds = {route.case.deadline}\n"
            )
        text += "\n"
    return text


@pytest.fixture(scope="module")
def campaign(
    tmp_path_factory: pytest.TempPathFactory, wire_server: WireServer, prefect_server: Server
) -> Iterator[Campaign]:
    base = tmp_path_factory.mktemp("http-faults")
    phase = {"run": 0}
    routes = {c.name: Route(c, phase) for c in CASES}
    routes[HEALTHY] = Route(None, phase)  # last: the faults before it must not hurt it
    conf = base / "sources.toml"
    conf.write_text(_sources_toml(routes, wire_server, base.name), encoding="utf-8")
    params = IngestParameters(
        sources_file=str(conf), root=str(base / "data"), workers=1, report=False
    )
    root = StorageRoot(params.root)
    summaries: list[RunSummary] = []
    cursors: list[dict[str, Cursor | None]] = []
    fault_run_seconds = 0.0
    # The session's real Prefect server: no second server to start for this module.
    with (
        pytest.MonkeyPatch.context() as mp,
        temporary_settings(updates={PREFECT_API_URL: prefect_server.api}),
    ):
        mp.setenv(TOKEN_ENV, TOKEN)
        for run in range(3):
            phase["run"] = run
            started = time.monotonic()
            summaries.append(ingest_flow(params))
            if run == 1:
                fault_run_seconds = time.monotonic() - started
            cursors.append({name: read_cursor(root, name) for name in routes})
        yield Campaign(root, routes, summaries, cursors, fault_run_seconds)


def _reasons(summary: RunSummary, source: str) -> list[str]:
    return [reason for s, _, reason in summary.reject_reasons if s == source]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fault_ends_within_its_deadline_and_clears_on_the_next_run(
    campaign: Campaign, case: Case
) -> None:
    before, during, after = campaign.summaries
    counts = during.per_source[case.name]
    route = campaign.routes[case.name]
    requests = len(route.times)
    reasons = _reasons(during, case.name)
    note = f"deadline {case.deadline:g} s, {requests} request(s)" + (
        "; rejected" if reasons else "; recovered within the run"
    )
    record("faults", f"http: {case.label}", round(counts.seconds, 2), "s", note=note)

    assert before.per_source[case.name].new == 1, before.reject_reasons
    assert counts.seconds <= case.deadline + SLACK, (counts.seconds, reasons)
    # The fetch's own retries, no more: a task-level retry would have come back to the server.
    assert 1 <= requests <= DEFAULT_RETRY.max_attempts
    assert all(auth == f"Bearer {TOKEN}" for auth in route.auth)  # the token was sent
    if case.reason:
        assert len(reasons) == 1 and counts.rejected == 1, reasons
        assert reasons[0].startswith("fetch failed: GET http://127.0.0.1:"), reasons
        assert re.search(case.reason, reasons[0]), reasons
        assert TOKEN not in reasons[0]
        assert counts.new == 0
        # The cursor did not move: the next run asks for the same page again.
        assert campaign.cursors[1][case.name] == campaign.cursors[0][case.name]
        assert after.per_source[case.name].new == 1, after.reject_reasons
    else:
        assert reasons == [] and counts.new == 1
        moved = campaign.cursors[1][case.name]
        assert moved is not None and moved.etag == '"b"'
        assert after.per_source[case.name].not_modified == 1
    if case.name == "retry-after-short":
        assert route.times[1] - route.times[0] >= 1.0  # the Retry-After was honoured
    if case.name == "retry-after-long":
        assert requests == 1 and counts.seconds < 1.0  # gave up at once, slept nothing
    final = campaign.cursors[2][case.name]
    assert final is not None and final.etag == '"b"'


def test_the_healthy_source_lands_its_story_in_the_fault_run(campaign: Campaign) -> None:
    during = campaign.summaries[1]
    assert during.per_source[HEALTHY].new == 1 and during.per_source[HEALTHY].rejected == 0
    assert during.total.rejected == len(FAILING)
    runs = read_runs(campaign.root).to_pylist()
    assert [r["status"] for r in runs] == ["completed"] * 3
    # The whole fault run took no longer than its sources' deadlines, one after the other.
    budget = sum(c.deadline for c in CASES) + SLACK * 2
    record(
        "faults",
        "http: fault run, wall time",
        round(campaign.fault_run_seconds, 2),
        "s",
        note=f"{len(CASES)} faulty sources read one after the other, sum of deadlines "
        f"{sum(c.deadline for c in CASES):g} s",
    )
    assert campaign.fault_run_seconds <= budget


def test_no_story_lost_or_duplicated_and_no_token_stored(campaign: Campaign) -> None:
    expected = {(c.name, f"urn:wiredup-faults:{c.name}", v) for c in CASES for v in (1, 2)}
    expected |= {(HEALTHY, f"urn:wiredup-faults:{HEALTHY}-{v}", 1) for v in (1, 2, 3)}
    rows = read_stories(campaign.root, ["source", "item_id", "version"]).to_pylist()
    stored = [(r["source"], r["item_id"], r["version"]) for r in rows]
    lost = len(expected - set(stored))
    duplicated = len(stored) - len(set(stored))
    # The same count through DuckDB, as any reader of the dataset would do it.
    glob = f"{campaign.root.path('stories')}/**/*.parquet"
    with duckdb.connect() as con:
        most = con.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM read_parquet(?, hive_partitioning = "
            "true) GROUP BY source, item_id, version)",
            [glob],
        ).fetchall()
    record(
        "faults",
        "http: faults injected",
        len(CASES),
        "faults",
        note=", ".join(c.label for c in CASES),
    )
    record(
        "faults",
        "http: stories lost / duplicated",
        f"{lost} / {duplicated}",
        note=f"{len(expected)} (source, item_id, version) expected after the faults cleared",
    )
    assert lost == 0 and duplicated == 0 and set(stored) == expected
    assert most == [(1,)]
    rejects = read_rejects(campaign.root).to_pylist()
    assert sorted(r["source"] for r in rejects) == sorted(c.name for c in FAILING)
    assert all(r["size"] == 0 and r["quarantine_path"] is None for r in rejects)
    stored_text = repr(rejects) + repr(read_runs(campaign.root).to_pylist())
    assert TOKEN not in stored_text
    assert all(TOKEN not in p.read_bytes().decode("latin-1") for p in _files(campaign.root))


def _files(root: StorageRoot) -> list[Path]:
    return [p for p in Path(root.path("")).rglob("*") if p.is_file()]
