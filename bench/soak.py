"""The soak: a growing wire feed ingested by repeated scheduled runs, one process per run.

    .venv/bin/python -m bench.soak [--stories 200000] [--runs 20] [--workdir DIR]

A loopback HTTP server plays three agencies publishing paginated ninjs feeds. Each tick (one
scheduled run) publishes the next batch of composed stories (about a fifth of them versions,
rewrites by another agency, exact copies, briefs or kills of recent stories), dated over
``--days-per-tick`` simulated days so the history window moves, and each feed shows the tick's
entries plus the newest ``--overlap`` share of older ones, so every run also reads stories it
already stored. Each run is a separate ``wiredup run`` process against one real
``prefect server`` on 127.0.0.1, as a scheduled deployment run would be; its peak RSS is the
larger of the run process's and its sign workers' high-water marks (``VmHWM``), read from /proc
every 50 ms while it runs. (Not ``wait4``'s ``ru_maxrss``: Linux carries the high-water mark
of the forking parent's copy across ``exec``, so a child of a large process reports the
parent's size.)

At the end the dataset is read back twice, with DuckDB over the Parquet files and with
``storage.read_stories``, and compared with the distinct (source, item_id, version) the
server actually served: none lost, none stored twice, nothing unexpected. Prints a per-run
table and the figures beside their targets. Everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.targets import print_targets

__all__ = [
    "SOURCES",
    "FeedServer",
    "RunFigures",
    "SoakConfig",
    "SoakResult",
    "Wire",
    "prefect_server",
    "run_soak",
]

SOURCES = ("wire-a", "wire-b", "wire-c")
FIRST_DAY = datetime(2026, 3, 2, tzinfo=UTC)
#: Shares of what a tick publishes: the rest of each tick is new stories.
MIX = {"version": 0.09, "rewrite": 0.05, "copy": 0.02, "brief": 0.035, "kill": 0.005}
#: Targets of the summary.
FLAT_RATIO = 1.25  # last quarter's mean peak RSS over the first quarter's (run 1 left out)
BIN = Path(sys.executable).parent
Key = tuple[str, str, int]


def _words(text: str) -> list[str]:
    return text.split()


# Word lists the copy is composed from: common words carry the sentences, made-up names make
# every story its own (two unrelated stories share no run of five words).
_COMMON = _words(
    """
the a of to in and for on at by with from that as is was were has have had will would said
says could may might after before during over under about against between into through
while since than more most less new old first last next other many few several each every
government minister president official officials police court judge company market shares
prices oil gas bank central rates inflation economy growth trade exports imports talks deal
agreement election vote voters party parliament opposition leader leaders city region
country border army troops ceasefire attack storm flood fire earthquake rescue workers
hospital patients health vaccine school students university research report study data
season match team coach players final cup league title win won lost draw goal record
tuesday wednesday thursday friday saturday sunday monday week month year morning evening
statement spokesman spokeswoman agency news conference meeting summit visit plan plans
budget tax taxes spending debt bonds investors quarter profit loss sales jobs unemployment
strike union workers wages factory plant energy power grid water climate emissions
minister's people residents families children women men villagers farmers crops harvest
rain drought heat wind coast river bridge road rail airport flights passengers ship port
launched announced warned rejected approved signed agreed denied confirmed reported told
expected planned raised cut rose fell jumped dropped climbed slipped held kept opened closed
"""
)
_SYLLABLES = _words(
    """
ka lo mi ra ve sa no tu be ri da ko le ma ni po sha ta vi ze gor bel dan fen hal kor lan mer
nor pel ros sel tam ven wil zan bru cla dre fro gri plo stra tri vor
"""
)
_DAYS = 86400


class Composer:
    """Varied wire copy from word lists, with a fixed seed: headlines and paragraphs."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        names = set()
        while len(names) < 3000:
            parts = rng.randint(2, 3)
            names.add("".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize())
        self.names = sorted(names)
        self.common = _COMMON

    def word(self) -> str:
        pick = self.names if self.rng.random() < 0.3 else self.common
        return self.rng.choice(pick)

    def sentence(self) -> str:
        words = [self.word() for _ in range(self.rng.randint(8, 18))]
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 4)))

    def headline(self) -> str:
        return " ".join(self.word() for _ in range(self.rng.randint(5, 9))).capitalize()

    def story(self) -> tuple[str, list[str]]:
        return self.headline(), [self.paragraph() for _ in range(self.rng.randint(3, 7))]

    def reworded(self, paragraphs: list[str], share: float) -> list[str]:
        """Another agency's rewrite: ``share`` of the words swapped for others."""
        out = []
        for p in paragraphs:
            words = p.split()
            for i in range(len(words)):
                if self.rng.random() < share:
                    words[i] = self.word()
            out.append(" ".join(words))
        return out


@dataclass
class _Item:
    """An item a feed has published: its latest version and text, while it is recent."""

    source: str
    item_id: str
    version: int
    first: datetime
    headline: str
    paragraphs: list[str]
    killed: bool = False


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _ninjs(item: _Item, when: datetime, pubstatus: str = "usable") -> bytes:
    obj: dict[str, Any] = {
        "uri": item.item_id,
        "type": "text",
        "version": str(item.version),
        "firstcreated": _stamp(item.first),
        "versioncreated": _stamp(when),
        "pubstatus": pubstatus,
        "language": "en",
        "headline": item.headline,
    }
    if pubstatus == "usable":
        obj["body_text"] = "\n\n".join(item.paragraphs)
    return json.dumps(obj, ensure_ascii=False).encode()


@dataclass(frozen=True)
class _Entry:
    key: Key
    published: datetime
    kind: str
    data: bytes


class Wire:
    """What the agencies publish, tick by tick: deterministic for a seed.

    Only the last two ticks' items are kept (what versions, rewrites and kills refer to), so
    the generator's memory does not grow with the soak.
    """

    def __init__(
        self,
        stories: int,
        ticks: int,
        *,
        seed: int = 8,
        days_per_tick: float = 2.0,
        sources: tuple[str, ...] = SOURCES,
    ) -> None:
        self.rng = random.Random(seed)
        self.composer = Composer(self.rng)
        self.sources = sources
        self.days_per_tick = days_per_tick
        base, extra = divmod(stories, ticks)
        self.per_tick = [base + (1 if t < extra else 0) for t in range(ticks)]
        self._previous: list[_Item] = []
        self._current: list[_Item] = []
        self._serial = 0
        #: Per tick: how many entries it published on each story date (for the window bound).
        self.dates: list[Counter[date]] = []
        self.kinds: Counter[str] = Counter()

    def _new_item(self, source: str, when: datetime, headline: str, paras: list[str]) -> _Item:
        self._serial += 1
        item = _Item(source, f"urn:soak:{source}:{self._serial:08d}", 1, when, headline, paras)
        self._current.append(item)
        return item

    def _reference(self) -> _Item | None:
        pool = len(self._previous) + len(self._current)
        for _ in range(4):
            if pool == 0:
                return None
            at = self.rng.randrange(pool)
            old = len(self._previous)
            item = self._previous[at] if at < old else self._current[at - old]
            if not item.killed:
                return item
        return None

    def _other_source(self, source: str) -> str:
        return self.rng.choice([s for s in self.sources if s != source] or [source])

    def tick(self, t: int) -> list[_Entry]:
        """The entries published during tick ``t``, oldest first."""
        n = self.per_tick[t]
        start = FIRST_DAY + timedelta(days=t * self.days_per_tick)
        span = self.days_per_tick * _DAYS
        self._previous, self._current = self._current, []
        out: list[_Entry] = []
        dates: Counter[date] = Counter()
        kinds = list(MIX)
        weights = list(MIX.values())
        for i in range(n):
            when = start + timedelta(seconds=int(span * (i + 0.5) / n))
            roll = self.rng.random()
            kind = "new"
            if roll < sum(weights):
                kind = self.rng.choices(kinds, weights)[0]
            ref = self._reference() if kind != "new" else None
            if ref is None:
                kind = "new"
            if kind == "new":
                headline, paras = self.composer.story()
                item = self._new_item(self.rng.choice(self.sources), when, headline, paras)
                data = _ninjs(item, when)
            elif kind in ("version", "kill"):
                assert ref is not None
                ref.version += 1
                item = ref
                if kind == "kill":
                    ref.killed = True
                    data = _ninjs(ref, when, "canceled")
                else:
                    paras = list(ref.paragraphs)
                    paras[self.rng.randrange(len(paras))] = self.composer.paragraph()
                    ref.paragraphs = [*paras, self.composer.paragraph()]
                    data = _ninjs(ref, when)
            else:
                assert ref is not None
                if kind == "rewrite":
                    paras = self.composer.reworded(ref.paragraphs, 0.05)
                elif kind == "copy":
                    paras = list(ref.paragraphs)
                else:  # brief: the first two paragraphs of the full story
                    paras = ref.paragraphs[:2]
                item = self._new_item(self._other_source(ref.source), when, ref.headline, paras)
                data = _ninjs(item, when)
            out.append(_Entry((item.source, item.item_id, item.version), when, kind, data))
            dates[when.date()] += 1
            self.kinds[kind] += 1
        self.dates.append(dates)
        return out

    def window_bound(self, t: int, window_days: int) -> int:
        """Stories stored before run ``t`` dated within ``window_days`` of its new stories."""
        if not self.dates[t]:
            return 0
        low = min(self.dates[t]) - timedelta(days=window_days)
        high = max(self.dates[t]) + timedelta(days=window_days)
        return sum(c for d in self.dates[:t] for day, c in d.items() if low <= day <= high)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's algorithm and delayed ACKs
    # hold every page back 40 ms.
    disable_nagle_algorithm = True
    server: _Http

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        source = path.strip("/").split("/", 1)[0]
        page = 1
        for part in query.split("&"):
            if part.startswith("page="):
                page = int(part[5:])
        feed = self.server.owner.pages.get(source)
        if feed is None or not 1 <= page <= max(len(feed), 1):
            self._reply(404, b"no such feed or page", {})
            return
        etag = f'"{source}-{self.server.owner.tick}"'
        if page == 1 and self.headers.get("If-None-Match") == etag:
            self._reply(304, b"", {"ETag": etag})
            return
        body, keys = feed[page - 1] if feed else (b'{"items":[]}', [])
        self.server.owner.served_page(keys)
        self._reply(200, body, {"Content-Type": "application/json", "ETag": etag})

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Http(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer


class FeedServer:
    """Paginated ninjs feeds on 127.0.0.1, newest first: ``/<source>/feed?page=N``.

    ``publish`` replaces each feed with the tick's entries plus the newest ``overlap`` share
    (of the tick's count) of the entries shown before; ``served`` is every (source, item_id,
    version) a client actually received.
    """

    def __init__(self, sources: tuple[str, ...], page_size: int, overlap: float) -> None:
        self.sources, self.page_size, self.overlap = sources, page_size, overlap
        self.pages: dict[str, list[tuple[bytes, list[Key]]]] = {s: [] for s in sources}
        self._tail: dict[str, list[_Entry]] = {s: [] for s in sources}
        self.served: set[Key] = set()
        self.tick = -1
        self._lock = threading.Lock()
        self._http = _Http(("127.0.0.1", 0), _Handler)
        self._http.owner = self
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base(self) -> str:
        host, port = self._http.server_address[:2]
        return f"http://{host!s}:{port}"

    def served_page(self, keys: list[Key]) -> None:
        with self._lock:
            self.served.update(keys)

    def publish(self, tick: int, entries: list[_Entry]) -> None:
        by_source: dict[str, list[_Entry]] = {s: [] for s in self.sources}
        for entry in entries:
            by_source[entry.key[0]].append(entry)
        pages: dict[str, list[tuple[bytes, list[Key]]]] = {}
        for source, fresh in by_source.items():
            keep = min(len(self._tail[source]), round(self.overlap * len(fresh)))
            shown = self._tail[source][len(self._tail[source]) - keep :] + fresh
            self._tail[source] = shown[-max(1, math.ceil(self.overlap * len(fresh)) * 2 + 10) :]
            shown = shown[::-1]  # newest first, like an agency's API
            out = []
            count = max(1, math.ceil(len(shown) / self.page_size))
            for p in range(count):
                chunk = shown[p * self.page_size : (p + 1) * self.page_size]
                link = f',"next":"/{source}/feed?page={p + 2}"' if p + 1 < count else ""
                body = b'{"items":[' + b",".join(e.data for e in chunk) + b"]" + link.encode()
                out.append((body + b"}", [e.key for e in chunk]))
            pages[source] = out
        with self._lock:
            self.pages, self.tick = pages, tick

    def max_pages(self) -> int:
        return max(len(p) for p in self.pages.values())

    def sources_toml(self, max_pages: int) -> str:
        return "".join(
            f'[[source]]\nname = "{s}"\nkind = "http"\nformat = "ninjs"\n'
            f'url = "{self.base}/{s}/feed"\nmax_pages = {max_pages}\ntimeout_seconds = 120\n\n'
            for s in self.sources
        )

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _prefect_env(home: Path, api: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_CLI_PROMPT": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    }
    if api:
        env["PREFECT_API_URL"] = api
    return env


@contextmanager
def prefect_server(home: Path, timeout: float = 120) -> Iterator[str]:
    """A real ``prefect server`` on 127.0.0.1 for the whole soak; yields its API URL."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            cwd=home,
            env=_prefect_env(home, api),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        import httpx

        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"prefect server exited:\n{log.read_text()}")
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"prefect server not healthy in {timeout:.0f} s")
            time.sleep(0.25)
        yield api
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _status_kib(pid: int, field_name: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field_name):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _children(pid: int) -> list[int]:
    """Every descendant of ``pid`` (from /proc/<pid>/task/*/children)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except (OSError, ValueError):
                continue
            out += kids
            todo += kids
    return out


@dataclass
class RunFigures:
    """One scheduled run, as measured from outside its process."""

    run: int
    returncode: int
    wall: float
    peak_mib: float  # the larger of main_mib and child_mib
    main_mib: float  # the run process's own VmHWM (sampled; its last value before exit)
    child_mib: float  # the largest VmHWM among its child processes (sign workers)
    children: int  # how many child processes it started
    tree_mib: float  # the largest sum of RSS over the process and its children (sampled)
    fed: int  # entries the feeds showed this tick
    published: int  # entries first published this tick
    read: int | None = None
    new: int | None = None
    already: int | None = None
    rejected: int | None = None
    window: int | None = None
    window_bound: int = 0
    stored_before: int = 0
    log: str = ""


def _measure(
    args: list[str], env: dict[str, str], cwd: Path, log: Path, timeout: float
) -> tuple[int, float, float, float, float, int, float]:
    """Run ``args``; return (status, wall, peak, main, child, children, tree) in MiB."""
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    done = threading.Event()
    seen: dict[int, int] = {}
    marks = {"main": 0, "tree": 0}

    def sample() -> None:
        while not done.is_set():
            marks["main"] = max(marks["main"], _status_kib(proc.pid, "VmHWM:"))
            tree = _status_kib(proc.pid, "VmRSS:")
            for kid in _children(proc.pid):
                seen[kid] = max(seen.get(kid, 0), _status_kib(kid, "VmHWM:"))
                tree += _status_kib(kid, "VmRSS:")
            marks["tree"] = max(marks["tree"], tree)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        _, status, _ = os.wait4(proc.pid, 0)
    finally:
        killer.cancel()
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return (
        proc.returncode,
        wall,
        max([marks["main"], *seen.values()]) / 1024,
        marks["main"] / 1024,
        max(seen.values(), default=0) / 1024,
        len(seen),
        marks["tree"] / 1024,
    )


_WINDOW = re.compile(r"matching (\d+) new stories against a window of (\d+) stored stories")
_COUNTS = re.compile(r"run \S+: (\d+) read, (\d+) new, (\d+) already stored, (\d+) rejected")


@dataclass(frozen=True)
class SoakConfig:
    stories: int = 200_000
    runs: int = 20
    seed: int = 8
    days_per_tick: float = 2.0
    overlap: float = 0.25
    page_size: int = 20
    window_days: int = 7
    workers: int | None = None
    report: bool = True
    run_timeout: float = 1800


@dataclass
class SoakResult:
    config: SoakConfig
    runs: list[RunFigures] = field(default_factory=list)
    published: int = 0  # distinct (source, item_id, version) published
    fed: int = 0  # distinct (source, item_id, version) the server served
    in_dataset_duckdb: int = 0
    distinct_duckdb: int = 0
    in_dataset: int = 0  # rows of storage.read_stories
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0
    rejected: int = 0
    run_rows: int = 0
    run_rows_new: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed_runs(self) -> int:
        return sum(1 for r in self.runs if r.returncode != 0)

    def peaks(self, attr: str = "peak_mib") -> list[float]:
        return [float(getattr(r, attr)) for r in self.runs]

    def steady_runs(self) -> list[RunFigures]:
        """The runs after the first whose window is full (at least 90% of the largest).

        Until the simulated days cover the window, each run's window holds more than the last
        one's and its memory rightly grows with it; flat memory means flat once the window is
        full, however long the history behind it grows. Fewer than four such runs: every run
        after the first.
        """
        later = self.runs[1:]
        top = max((r.window or 0 for r in later), default=0)
        steady = [r for r in later if (r.window or 0) >= 0.9 * top]
        return steady if len(steady) >= 4 else later

    def flatness(self, runs: list[RunFigures] | None = None) -> tuple[float, float, float]:
        """(first quarter's mean peak RSS, last quarter's, ratio) over ``runs``.

        ``runs`` defaults to the steady runs (``steady_runs``).
        """
        peaks = [r.peak_mib for r in (self.steady_runs() if runs is None else runs)]
        if not peaks:
            return 0.0, 0.0, 1.0
        quarter = max(1, len(peaks) // 4)
        first = statistics.fmean(peaks[:quarter])
        last = statistics.fmean(peaks[-quarter:])
        return first, last, last / first if first else math.inf

    def growth_per_10k(self) -> float:
        """Slope of peak RSS over stories stored, MiB per 10,000, across the steady runs."""
        steady = self.steady_runs()
        if len(steady) < 2:
            return 0.0
        xs = [r.stored_before / 10_000 for r in steady]
        ys = [r.peak_mib for r in steady]
        return statistics.linear_regression(xs, ys).slope

    def window_excess(self) -> int:
        """The most any run's window exceeded its bound (0 or less: every window bounded)."""
        return max((r.window or 0) - r.window_bound for r in self.runs) if self.runs else 0


def _supports_workers(wiredup: list[str], env: dict[str, str]) -> bool:
    help_text = subprocess.run(
        [*wiredup, "run", "--help"], env=env, capture_output=True, text=True, check=False
    ).stdout
    return "--workers" in help_text


def run_soak(
    config: SoakConfig,
    workdir: Path,
    say: Callable[[str], None] = print,
    api: str | None = None,
) -> SoakResult:
    """Publish, run and measure ``config.runs`` scheduled runs under ``workdir``; verify.

    ``api``: the API of a running Prefect server to use; by default one is started.
    """
    from storage import StorageRoot, read_rejects, read_runs, read_stories

    started = time.perf_counter()
    result = SoakResult(config)
    wire = Wire(config.stories, config.runs, seed=config.seed, days_per_tick=config.days_per_tick)
    feeds = FeedServer(SOURCES, config.page_size, config.overlap)
    published: set[Key] = set()
    root_dir = workdir / "root"
    sources_file = workdir / "sources.toml"
    logs = workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    wiredup = [str(BIN / "wiredup")]
    if not (BIN / "wiredup").exists():
        wiredup = [sys.executable, "-m", "flows"]
    try:
        server = nullcontext(api) if api else prefect_server(workdir / "prefect")
        with server as url:
            env = _prefect_env(workdir / "prefect", url)
            extra = ["--window-days", str(config.window_days)]
            if not config.report:
                extra.append("--no-report")
            if config.workers is not None:
                if not _supports_workers(wiredup, env):
                    raise SystemExit("this wiredup has no --workers option")
                extra += ["--workers", str(config.workers)]
            for t in range(config.runs):
                entries = wire.tick(t)
                published.update(e.key for e in entries)
                feeds.publish(t, entries)
                shown = sum(len(k) for pages in feeds.pages.values() for _, k in pages)
                sources_file.write_text(feeds.sources_toml(feeds.max_pages() + 1), "utf-8")
                log = logs / f"run-{t + 1:03d}.log"
                args = [*wiredup, "run", "--sources", str(sources_file), "--root", str(root_dir)]
                status, wall, peak, main, child, kids, tree = _measure(
                    [*args, *extra], env, workdir, log, config.run_timeout
                )
                figures = RunFigures(
                    run=t + 1,
                    returncode=status,
                    wall=wall,
                    peak_mib=peak,
                    main_mib=main,
                    child_mib=child,
                    children=kids,
                    tree_mib=tree,
                    fed=shown,
                    published=len(entries),
                    window_bound=wire.window_bound(t, config.window_days),
                    stored_before=sum(wire.per_tick[:t]),
                    log=str(log),
                )
                text = log.read_text("utf-8", errors="replace")
                if m := _WINDOW.search(text):
                    figures.window = int(m.group(2))
                if m := _COUNTS.search(text):
                    figures.read, figures.new, figures.already, figures.rejected = map(
                        int, m.groups()
                    )
                result.runs.append(figures)
                say(_row(figures))
                if status != 0:
                    say(f"run {t + 1} failed with status {status}; its output: {log}")
                    say(text[-3000:])
                    break
        result.kinds = dict(wire.kinds)
        result.published = len(published)
        result.fed = len(feeds.served)
        root = StorageRoot(root_dir)
        result.in_dataset_duckdb, result.distinct_duckdb = _duckdb_counts(root_dir)
        table = read_stories(root, ["source", "item_id", "version"])
        result.in_dataset = table.num_rows
        stored = set(
            zip(
                table.column("source").to_pylist(),
                table.column("item_id").to_pylist(),
                table.column("version").to_pylist(),
                strict=True,
            )
        )
        result.duplicated = table.num_rows - len(stored)
        result.lost = len(feeds.served - stored)
        result.unexpected = len(stored - feeds.served)
        if (root_dir / "rejects").exists():
            result.rejected = read_rejects(root).num_rows
        runs = read_runs(root)
        result.run_rows = runs.num_rows
        result.run_rows_new = sum(runs.column("new").to_pylist())
    finally:
        feeds.close()
    result.seconds = time.perf_counter() - started
    return result


def _duckdb_counts(root_dir: Path) -> tuple[int, int]:
    import duckdb

    glob = str(root_dir / "stories" / "**" / "*.parquet").replace("'", "''")
    rows = duckdb.sql(
        "SELECT count(*), count(DISTINCT (source, item_id, version)) "
        f"FROM read_parquet('{glob}', hive_partitioning = true)"
    ).fetchall()
    return int(rows[0][0]), int(rows[0][1])


_HEADER = (
    f"{'run':>4} {'wall s':>7} {'peak MiB':>9} {'main':>7} {'worker':>7} {'kids':>4} "
    f"{'fed':>6} {'read':>6} {'new':>6} {'stored':>6} {'window':>7} {'bound':>7} {'history':>8}"
)


def _row(r: RunFigures) -> str:
    def n(value: int | None) -> str:
        return "-" if value is None else str(value)

    return (
        f"{r.run:>4} {r.wall:>7.1f} {r.peak_mib:>9.0f} {r.main_mib:>7.0f} {r.child_mib:>7.0f} "
        f"{r.children:>4} {r.fed:>6} {n(r.read):>6} {n(r.new):>6} {n(r.already):>6} "
        f"{n(r.window):>7} {r.window_bound:>7} {r.stored_before:>8}"
    )


def summary_rows(result: SoakResult) -> list[tuple[str, str, str, bool]]:
    """The soak's figures beside their targets, for ``print_targets``."""
    first, last, ratio = result.flatness()
    all_first, all_last, all_ratio = result.flatness(result.runs[1:])
    steady = result.steady_runs()
    peaks = result.peaks()
    windows = [r.window or 0 for r in result.runs]
    return [
        ("runs completed", f"{len(result.runs) - result.failed_runs}", f"{result.config.runs}",
         result.failed_runs == 0 and len(result.runs) == result.config.runs),
        ("distinct items fed", f"{result.fed}", f"= published {result.published}",
         result.fed == result.published),
        ("stories in dataset (DuckDB)", f"{result.in_dataset_duckdb}", f"= fed {result.fed}",
         result.in_dataset_duckdb == result.fed),
        ("stories in dataset (read_stories)", f"{result.in_dataset}", f"= fed {result.fed}",
         result.in_dataset == result.fed),
        ("lost", f"{result.lost}", "0", result.lost == 0),
        ("duplicated", f"{result.duplicated}", "0", result.duplicated == 0),
        ("unexpected", f"{result.unexpected}", "0", result.unexpected == 0),
        ("rejected", f"{result.rejected}", "0", result.rejected == 0),
        ("new in runs/ rows", f"{result.run_rows_new}", f"= fed {result.fed}",
         result.run_rows_new == result.fed),
        ("peak RSS per run, min/median/max (MiB)",
         f"{min(peaks):.0f}/{statistics.median(peaks):.0f}/{max(peaks):.0f}" if peaks else "-",
         "(flat)", True),
        ("peak RSS, steady runs (window full)",
         f"{steady[0].run}-{steady[-1].run}" if steady else "-", "(runs)", True),
        ("peak RSS, last quarter / first quarter (steady)",
         f"{last:.0f}/{first:.0f} = {ratio:.2f}", f"<= {FLAT_RATIO}", ratio <= FLAT_RATIO),
        ("peak RSS growth over history (steady)",
         f"{result.growth_per_10k():+.1f}", "(MiB per 10k stored)", True),
        ("same ratio, all runs but the first (window filling)",
         f"{all_last:.0f}/{all_first:.0f} = {all_ratio:.2f}", "(for reference)", True),
        ("window max (stories)", f"{max(windows, default=0)}",
         f"history {result.fed}", True),
        ("window over its bound (most)", f"{result.window_excess()}", "<= 0",
         result.window_excess() <= 0),
    ]  # fmt: skip


def load_result(path: Path) -> SoakResult:
    """A result ``--json`` wrote, to print its summary again (``--summarize``)."""
    data = json.loads(path.read_text("utf-8"))
    config = SoakConfig(**data.pop("config"))
    runs = [RunFigures(**r) for r in data.pop("runs")]
    return SoakResult(config, runs, **data)


def _summarize(result: SoakResult) -> bool:
    print(_HEADER)
    for r in result.runs:
        print(_row(r))
    print(f"\npublished by kind: {dict(sorted(result.kinds.items()))}")
    print(f"wall time {result.seconds / 60:.1f} min")
    rows = summary_rows(result)
    print_targets(rows)
    return all(met for *_, met in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--days-per-tick", type=float, default=2.0)
    parser.add_argument("--overlap", type=float, default=0.25)
    parser.add_argument("--page-size", type=int, default=20)
    parser.add_argument("--window-days", type=int, default=7)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--no-report", dest="report", action="store_false")
    parser.add_argument("--workdir", type=Path, default=None, help="kept when given")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    parser.add_argument(
        "--summarize", type=Path, default=None, help="print the figures of an earlier --json"
    )
    args = parser.parse_args()
    if args.summarize:
        sys.exit(0 if _summarize(load_result(args.summarize)) else 1)
    config = SoakConfig(
        stories=args.stories,
        runs=args.runs,
        seed=args.seed,
        days_per_tick=args.days_per_tick,
        overlap=args.overlap,
        page_size=args.page_size,
        window_days=args.window_days,
        workers=args.workers,
        report=args.report,
    )
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="wiredup-soak-"))
    print(
        f"soak: {config.stories} stories in {config.runs} runs, {config.days_per_tick:g} "
        f"simulated days a run, window_days {config.window_days}, feeds overlap "
        f"{config.overlap:.0%}, pages of {config.page_size}; under {workdir}"
    )
    print(_HEADER, flush=True)
    try:
        result = run_soak(config, workdir, say=lambda s: print(s, flush=True))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        payload = {k: v for k, v in vars(result).items() if k not in ("config", "runs")}
        payload["config"] = vars(config)
        payload["runs"] = [vars(r) for r in result.runs]
        args.json.write_text(json.dumps(payload, indent=2, default=str), "utf-8")
    print()
    if not _summarize(result):
        sys.exit(1)


if __name__ == "__main__":
    main()
