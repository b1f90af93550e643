"""Fuzzing the format parsers: seeds from the real fixtures, mutations, and the property checked.

Shared by ``tests/reliability/test_fuzz.py`` (a bounded, derandomized run in CI) and
``bench/fuzz.py`` (a long run with fresh random examples). Each input is a real fixture file of
``../shared/fixtures`` (read where it lies, never copied) put through one to four mutations:
byte flips, truncation, deletion, NUL and control bytes, invalid UTF-8, splicing in a piece of
another fixture (of any format), duplication of an element, a huge attribute or string value,
deep nesting, hostile numbers and dates, a changed encoding declaration, a byte-order mark,
re-encoding in UTF-16, entity and CDATA debris. A few inputs are plain random bytes.

The property, for every input, through both real entry points:

- the format's parser (``ingest.formats.PARSERS[fmt]``, or ``parse_payload`` when the source
  declares no format and detection decides) returns a ``ParseResult`` or raises ``ParseError``,
  nothing else;
- ``ingest.prepare.prepare`` returns stories and rejects, never raises, and no reject is one of
  its "parser failure"/"normalize failure" catch-alls (those mean a parser bug that the safety
  net hid); every story has a well-formed id and no control character in its text;
- each input finishes within a time bound (an interval timer interrupts a hang) and the growth
  of peak resident memory it causes stays under a bound.
"""

from __future__ import annotations

import contextlib
import logging
import re
import signal
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ingest.formats import PARSERS, parse_payload
from ingest.formats.result import ItemProblem, ParseResult
from ingest.prepare import prepare
from record.errors import ParseError
from record.story import ParsedItem, RawItem, Story

__all__ = [
    "FORMATS",
    "SEED_GLOBS",
    "Case",
    "FuzzStats",
    "Hang",
    "PropertyFailure",
    "check_input",
    "fuzz",
    "load_seeds",
    "memory_probe",
    "payloads",
    "time_bound",
    "time_limit_for",
]

#: The parsers fuzzed; ``auto`` is a source that declares no format (detection decides).
FORMATS = (
    "text", "rss", "ninjs", "newsml-g2", "nitf", "newsml-1.2", "anpa", "iptc7901", "ap-media",
    "dpa-digitalwires", "email", "auto",
)  # fmt: skip

# The NITF and NewsML 1.x files among the superdesk agency fixtures (the folder mixes formats).
_NITF_SEEDS = (
    "dpa-digitalwires/*nitf*.xml",
    "dpa-digitalwires/*transformed*.xml",
    "superdesk-agencies/superdesk-cp/*nitf*.xml",
    "superdesk-agencies/superdesk-ntb/ntb__nitf_test.xml",
)
_NEWSML_1_SEEDS = (
    "newsml-1.2/*.xml",
    "superdesk-agencies/superdesk-belga/tests_io_fixtures_[aekt]*_belga.xml",  # not dpa, stt: G2
    "superdesk-agencies/superdesk-belga/*newsml_1_2*.xml",
    "superdesk-agencies/superdesk-ntb/ntb__afp*.xml",
    "superdesk-agencies/superdesk-ntb/ntb__solita_se_*.xml",
    "superdesk-agencies/superdesk-cp/*businesswire*.xml",
)

#: The fixture files each parser is seeded from, relative to ``../shared/fixtures``.
SEED_GLOBS: dict[str, tuple[str, ...]] = {
    "text": ("text/*.txt", "anpa/*"),
    "rss": ("rss/*/*.xml",),
    "ninjs": ("ninjs/v*/*.json", "ninjs/superdesk/*.json", "ninjs/invalid/*.json"),
    "newsml-g2": ("newsml-g2/*/*.xml",),
    "nitf": _NITF_SEEDS,
    "newsml-1.2": _NEWSML_1_SEEDS,
    "anpa": ("anpa/*.tst", "superdesk-agencies/superdesk-aap/*.tst", "*/*/*_kyodo.txt"),
    "iptc7901": ("anpa/*.txt", "dpa-digitalwires/*.iptc"),
    "ap-media": ("superdesk-agencies/superdesk-cp/*_ap_*.json",),
    "dpa-digitalwires": ("dpa-digitalwires/*input*.json",),
    "email": ("superdesk-agencies/superdesk-belga/*email*.txt",),
    "auto": (
        "text/*.txt",
        "anpa/*",
        "rss/*/*.xml",
        "ninjs/v*/*.json",
        "ninjs/superdesk/*.json",
        "newsml-g2/*/*.xml",
        *_NITF_SEEDS,
        *_NEWSML_1_SEEDS,
        "dpa-digitalwires/*input*.json",
        "dpa-digitalwires/*.iptc",
        "superdesk-agencies/superdesk-aap/*.tst",
        "superdesk-agencies/superdesk-cp/*_ap_*.json",
        "superdesk-agencies/superdesk-belga/*email*.txt",
    ),
}

_FETCHED = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
_STORY_ID = re.compile(r"[0-9a-f]{32}")
# What normalization turns into spaces: no story text may keep one.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CATCH_ALLS = ("parser failure:", "normalize failure:")


def load_seeds(fixtures: Path, fmt: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of every seed file of ``fmt``, read in place, in name order."""
    seeds: dict[str, bytes] = {}
    for pattern in SEED_GLOBS[fmt]:
        for path in sorted(fixtures.glob(pattern)):
            if path.is_file() and path.suffix != ".md":
                seeds[str(path.relative_to(fixtures))] = path.read_bytes()
    return sorted(seeds.items())


# --- mutations ---------------------------------------------------------------------------------

CONTROL_BYTES = tuple(
    bytes([b]) for b in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)
)
INVALID_UTF8 = (
    b"\xff",  # never valid
    b"\xc3\x28",  # lead byte, bad continuation
    b"\xa0\xa1",  # lone continuation bytes
    b"\xe2\x82",  # truncated sequence
    b"\xc0\xaf",  # overlong "/"
    b"\xed\xa0\x80",  # UTF-16 surrogate
    b"\xf4\x90\x80\x80",  # above U+10FFFF
    b"\xfe\xfe\xff\xff",
)
DEBRIS = (
    b"&amp;",
    b"&#0;",
    b"&#xD800;",
    b"&#1114112;",
    b"&undefined;",
    b"&",
    b"<",
    b"]]>",
    b"<![CDATA[",
    b"<!--",
    b"<?xml version='1.0'?>",
    b"<!DOCTYPE x>",
    b'"',
    b"\\u0000",
    b"\\ud800",
    b"}",
    b"]",
    b"date 2026-13-45 ",
    b"date 0000-00 ",
)
NUMBERS = (
    b"0",
    b"-1",
    b"00",
    b"-0",
    b"99999999999999999999999",
    b"2147483648",
    b"9999",
    b"1e309",
    b"NaN",
    b"0x10",
    b"1_000",
    b"\xd9\xa3",  # ARABIC-INDIC DIGIT THREE
)
ENCODINGS = (
    b"utf-8",
    b"UTF-16",
    b"utf-32",
    b"iso-8859-7",
    b"windows-1255",
    b"ascii",
    b"bogus-encoding",
    b"",
    b"x" * 300,
)
PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"  \n\t", b"\x00")
BOUNDARIES = (b"<", b"{", b"[", b"\n\n", b'"')


@dataclass(frozen=True)
class Case:
    """One fuzz input: the seed it came from, what was done to it, and the bytes."""

    seed: str
    ops: tuple[str, ...]
    data: bytes
    declared: str | None  # the format the source declares; None: detection decides
    encoding: str | None = None
    content_type: str | None = None

    def __repr__(self) -> str:  # hypothesis prints this for a failing example
        return (
            f"Case(seed={self.seed!r}, ops={list(self.ops)}, size={len(self.data)}, "
            f"declared={self.declared!r}, encoding={self.encoding!r}, "
            f"content_type={self.content_type!r}, head={self.data[:120]!r})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def raw(self) -> RawItem:
        return RawItem(
            source="fuzz",
            item_id="fuzz-item",
            data=self.data,
            fetched_at=_FETCHED,
            location="https://wire.invalid/fuzz" if self.content_type else "/fuzz/item",
            format=self.declared,
            encoding=self.encoding,
            content_type=self.content_type,
        )


Draw = Callable[[st.SearchStrategy[Any]], Any]


def _positions(data: bytes, token: bytes, limit: int = 4096) -> list[int]:
    found: list[int] = []
    start = data.find(token)
    while start != -1 and len(found) < limit:
        found.append(start)
        start = data.find(token, start + 1)
    return found


def _pos(draw: Draw, data: bytes) -> int:
    return int(draw(st.integers(0, len(data))))


def _flip(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    if not data:
        return data, "flip(empty)"
    buf = bytearray(data)
    count = draw(st.integers(1, 8))
    for _i in range(count):
        at = draw(st.integers(0, len(buf) - 1))
        buf[at] ^= draw(st.integers(1, 255))
    return bytes(buf), f"flip x{count}"


def _truncate(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    at = _pos(draw, data)
    return data[:at], f"truncate@{at}"


def _delete(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    at = _pos(draw, data)
    length = draw(st.integers(1, 4096))
    return data[:at] + data[at + length :], f"delete@{at}+{length}"


def _control(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    at = _pos(draw, data)
    byte = draw(st.sampled_from(CONTROL_BYTES))
    count = draw(st.integers(1, 64))
    return data[:at] + byte * count + data[at:], f"control {byte!r}x{count}@{at}"


def _invalid_utf8(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    at = _pos(draw, data)
    seq = draw(st.sampled_from(INVALID_UTF8))
    return data[:at] + seq + data[at:], f"invalid-utf8 {seq!r}@{at}"


def _splice(draw: Draw, data: bytes, donors: Sequence[bytes], __: int) -> tuple[bytes, str]:
    donor = donors[draw(st.integers(0, len(donors) - 1))]
    start = draw(st.integers(0, max(len(donor) - 1, 0)))
    piece = donor[start : start + draw(st.integers(1, 4096))]
    at = _pos(draw, data)
    cut = draw(st.integers(0, 512))  # 0: insert; else replace that many bytes
    return data[:at] + piece + data[at + cut :], f"splice {len(piece)}B@{at}-{cut}"


def _duplicate(draw: Draw, data: bytes, _: Sequence[bytes], grow: int) -> tuple[bytes, str]:
    token = draw(st.sampled_from(BOUNDARIES))
    marks = _positions(data, token)
    if len(marks) < 2:
        return data, "duplicate(none)"
    i = draw(st.integers(0, len(marks) - 2))
    j = draw(st.integers(i + 1, min(i + 8, len(marks) - 1)))
    piece = data[marks[i] : marks[j]]
    times = draw(st.integers(2, max(2, min(5000, grow // max(len(piece), 1)))))
    return (
        data[: marks[j]] + piece * (times - 1) + data[marks[j] :],
        f"duplicate {len(piece)}B x{times} at {token!r}",
    )


def _inflate(draw: Draw, data: bytes, _: Sequence[bytes], grow: int) -> tuple[bytes, str]:
    quotes = _positions(data, b'"') or [0]
    at = quotes[draw(st.integers(0, len(quotes) - 1))] + 1
    unit = draw(st.sampled_from((b"A", b" ", b"\xc3\xa9", b"&amp;", b"<b>", b"\\n", b"\n")))
    size = draw(st.sampled_from((1024, 65_536, grow)))
    return data[:at] + unit * (size // len(unit)) + data[at:], f"inflate {unit!r}~{size}B@{at}"


def _nest(draw: Draw, data: bytes, _: Sequence[bytes], grow: int) -> tuple[bytes, str]:
    unit = draw(st.sampled_from((b"<a>", b"[", b'{"a":', b"<div><p>", b"<![CDATA[")))
    depth = draw(st.sampled_from((300, 5000, max(grow // len(unit), 1))))
    at = _pos(draw, data)
    return data[:at] + unit * depth + data[at:], f"nest {unit!r}x{depth}@{at}"


def _number(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    runs = [m.span() for m in re.finditer(rb"\d+", data[:65_536])]
    if not runs:
        return data, "number(none)"
    start, end = runs[draw(st.integers(0, len(runs) - 1))]
    value = draw(st.sampled_from(NUMBERS))
    return data[:start] + value + data[end:], f"number {value!r}@{start}"


def _encoding(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    name = draw(st.sampled_from(ENCODINGS))
    new, n = re.subn(rb"(encoding=[\"'])[^\"']*", rb"\g<1>" + name, data, count=1)
    if n == 0:
        new = b'<?xml version="1.0" encoding="' + name + b'"?>' + data
    return new, f"encoding {name[:20]!r}"


def _prefix(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    prefix = draw(st.sampled_from(PREFIXES))
    return prefix + data, f"prefix {prefix!r}"


def _utf16(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    codec = draw(st.sampled_from(("utf-16", "utf-16-le", "utf-16-be", "utf-32")))
    return data.decode("utf-8", "replace").encode(codec), f"re-encode {codec}"


def _debris(draw: Draw, data: bytes, _: Sequence[bytes], __: int) -> tuple[bytes, str]:
    at = _pos(draw, data)
    piece = draw(st.sampled_from(DEBRIS))
    return data[:at] + piece + data[at:], f"debris {piece!r}@{at}"


Mutation = Callable[[Draw, bytes, Sequence[bytes], int], tuple[bytes, str]]
MUTATIONS: tuple[Mutation, ...] = (
    _flip,
    _truncate,
    _delete,
    _control,
    _invalid_utf8,
    _splice,
    _duplicate,
    _inflate,
    _nest,
    _number,
    _encoding,
    _prefix,
    _utf16,
    _debris,
)
CONTENT_TYPES = (
    None,
    "application/rss+xml",
    "text/xml; charset=iso-8859-7",
    "application/xml; charset=bogus",
    "text/plain",
    "text/html; charset=utf-16",
    "application/atom+xml; charset=" + "x" * 200,
)


def payloads(
    fmt: str, seeds: Sequence[tuple[str, bytes]], donors: Sequence[bytes], grow: int
) -> st.SearchStrategy[Case]:
    """Inputs for ``fmt``: mutated seeds (mostly) or random bytes; ``grow`` bounds inflation."""
    declared = None if fmt == "auto" else fmt

    @st.composite
    def mutated(draw: Draw) -> Case:
        name, data = seeds[draw(st.integers(0, len(seeds) - 1))]
        ops: list[str] = []
        for _ in range(draw(st.integers(1, 4))):
            mutation = draw(st.sampled_from(MUTATIONS))
            data, note = mutation(draw, data, donors, grow)
            ops.append(note)
        return _finish(draw, name, tuple(ops), data)

    @st.composite
    def random_bytes(draw: Draw) -> Case:
        return _finish(draw, "<random>", ("random",), draw(st.binary(max_size=2048)))

    def _finish(draw: Draw, name: str, ops: tuple[str, ...], data: bytes) -> Case:
        encoding = draw(st.sampled_from((None, None, "latin-1", "utf-16", "iso-8859-7")))
        content_type = draw(st.sampled_from(CONTENT_TYPES)) if fmt in ("rss", "auto") else None
        return Case(name, ops, data, declared, encoding, content_type)

    return st.one_of(mutated(), mutated(), mutated(), random_bytes())


# --- the property ------------------------------------------------------------------------------


class Hang(BaseException):
    """An input ran past its time bound (a BaseException so no ``except Exception`` hides it)."""


class PropertyFailure(AssertionError):
    """An input broke the property; the message says how."""


@contextlib.contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in the main thread if the block runs longer than ``seconds``."""

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"input still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _status_kib(key: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match[1]) if match else None


@contextlib.contextmanager
def memory_probe() -> Iterator[dict[str, float]]:
    """Peak resident memory growth of the block, in MiB (``nan`` where /proc is absent).

    The kernel's peak-RSS mark (VmHWM) is reset to the current RSS before the block by writing
    5 to ``/proc/self/clear_refs``, so the peak read after it is the block's own.
    """
    out = {"peak_growth_mib": float("nan")}
    try:
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kib("VmRSS")
    except OSError:
        before = None
    try:
        yield out
    finally:
        after = _status_kib("VmHWM")
        if before is not None and after is not None:
            out["peak_growth_mib"] = max(after - before, 0) / 1024


@dataclass
class FuzzStats:
    """What one parser's fuzz run tried and found."""

    fmt: str
    inputs: int = 0
    seconds: float = 0.0
    stories: int = 0
    rejects: int = 0
    items: int = 0
    parse_errors: int = 0
    warnings: int = 0
    skipped_over_budget: int = 0
    max_input_seconds: float = 0.0
    max_input_bytes: int = 0
    max_peak_growth_mib: float = 0.0
    crashes: list[str] = field(default_factory=list)

    def merge(self, other: FuzzStats) -> None:
        for name in (
            "inputs", "seconds", "stories", "rejects", "items", "parse_errors", "warnings",
            "skipped_over_budget",
        ):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.max_input_seconds = max(self.max_input_seconds, other.max_input_seconds)
        self.max_input_bytes = max(self.max_input_bytes, other.max_input_bytes)
        self.max_peak_growth_mib = max(self.max_peak_growth_mib, other.max_peak_growth_mib)
        self.crashes += other.crashes


def _check_parser(case: Case) -> tuple[int, int]:
    """Run the parser alone: a ParseResult (items, problems) or ParseError; else fail."""
    raw = case.raw()
    try:
        result = PARSERS[case.declared](raw) if case.declared else parse_payload(raw)
    except ParseError:
        return -1, 0
    except Exception as exc:
        raise PropertyFailure(f"parser raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(result, ParseResult):
        raise PropertyFailure(f"parser returned {type(result).__name__}, not a ParseResult")
    for item in result.items:
        if not isinstance(item, ParsedItem) or not isinstance(item.body, str):
            raise PropertyFailure(f"parser returned a malformed item {item!r:.200}")
        if not isinstance(item.version, int) or item.version < 0:
            raise PropertyFailure(f"item version {item.version!r} is not an integer >= 0")
    for problem in result.problems:
        if not isinstance(problem, ItemProblem) or not problem.reason:
            raise PropertyFailure(f"parser returned a malformed problem {problem!r:.200}")
    return len(result.items), len(result.problems)


def _check_prepare(case: Case) -> tuple[list[Story], int]:
    """Run the real entry point: stories and rejects only, and no catch-all reject."""
    try:
        stories, rejects = prepare([case.raw()])
    except Exception as exc:
        raise PropertyFailure(f"prepare raised {type(exc).__name__}: {exc}") from exc
    for reject in rejects:
        if reject.reason.startswith(_CATCH_ALLS):
            raise PropertyFailure(f"safety net caught a bug: {reject.reason[:500]}")
    for story in stories:
        if not _STORY_ID.fullmatch(story.story_id):
            raise PropertyFailure(f"story id {story.story_id!r} is not 32 hex digits")
        for name, text in (("body", story.body), ("headline", story.headline or "")):
            bad = _CONTROL.search(text)
            if bad:
                raise PropertyFailure(f"story {name} keeps control character {bad[0]!r}")
        if case.declared and story.format != case.declared:
            raise PropertyFailure(f"story format {story.format!r} != declared {case.declared!r}")
    return stories, len(rejects)


#: The time bound of one input: a base plus a linear allowance for its size. Parsing is linear
#: in the input, but feedparser's loose (sgmllib) parser, which reads a feed that is not
#: well-formed, gets through tag-dense markup at only 15-40 KB/s (docs/fuzzing.md).
SECONDS_PER_MIB = 60.0


def time_limit_for(size: int, base: float) -> float:
    """The time bound of an input of ``size`` bytes."""
    return base + SECONDS_PER_MIB * size / (1024 * 1024)


def check_input(
    case: Case, stats: FuzzStats, *, time_limit: float, memory_limit_mib: float
) -> None:
    """Check one input against the property and count it in ``stats``; raise on failure.

    ``time_limit`` is the base of the input's time bound (see ``time_limit_for``).
    """
    time_limit = time_limit_for(len(case.data), time_limit)
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, memory_probe() as memory:
        warnings.simplefilter("always")  # a library warning is no crash, but is counted
        try:
            with time_bound(time_limit):
                items, _problems = _check_parser(case)
                stories, rejects = _check_prepare(case)
        except Hang as exc:  # an AssertionError, so hypothesis shrinks it like any failure
            raise PropertyFailure(f"hang: {exc} on a {len(case.data)}-byte input") from exc
    spent = time.perf_counter() - started
    if spent > time_limit:  # the timer's exception was swallowed by an ``except`` somewhere
        raise PropertyFailure(f"hang: input took {spent:.1f} s (bound {time_limit:g} s)")
    stats.inputs += 1
    stats.seconds += spent
    stats.items += max(items, 0)
    stats.parse_errors += items < 0
    stats.stories += len(stories)
    stats.rejects += rejects
    stats.warnings += len(caught)
    stats.max_input_seconds = max(stats.max_input_seconds, spent)
    stats.max_input_bytes = max(stats.max_input_bytes, len(case.data))
    growth = memory["peak_growth_mib"]
    if growth == growth:  # not nan
        stats.max_peak_growth_mib = max(stats.max_peak_growth_mib, growth)
        if growth > memory_limit_mib:
            raise PropertyFailure(
                f"peak memory grew by {growth:.0f} MiB (bound {memory_limit_mib:.0f} MiB) "
                f"on a {len(case.data)}-byte input"
            )


@contextlib.contextmanager
def quiet_logs() -> Iterator[None]:
    """Drop the per-reject warnings while fuzzing (thousands, some the size of the input)."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def fuzz(
    fmt: str,
    seeds: Sequence[tuple[str, bytes]],
    donors: Sequence[bytes],
    *,
    max_examples: int,
    budget_seconds: float,
    time_limit: float,
    memory_limit_mib: float,
    grow: int,
    derandomize: bool,
    seed: int | None = None,
    shrink: bool = True,
) -> FuzzStats:
    """Fuzz one parser with hypothesis; return what was tried. A failure raises.

    ``budget_seconds`` is a hard stop on a slow machine: inputs drawn after it are counted as
    skipped, not run, so a run never takes much longer than its budget.
    """
    stats = FuzzStats(fmt)
    deadline = time.perf_counter() + budget_seconds

    @settings(
        max_examples=max_examples,
        deadline=None,  # the time bound is ``time_limit``, enforced by an interval timer
        derandomize=derandomize,
        database=None,  # nothing written to .hypothesis/
        phases=(Phase.generate, Phase.shrink) if shrink else (Phase.generate,),
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    @given(case=payloads(fmt, seeds, donors, grow))
    def run(case: Case) -> None:
        if time.perf_counter() > deadline:
            stats.skipped_over_budget += 1
            return
        check_input(case, stats, time_limit=time_limit, memory_limit_mib=memory_limit_mib)

    if seed is not None:
        from hypothesis import seed as hypothesis_seed

        run = hypothesis_seed(seed)(run)
    with quiet_logs():
        try:
            run()
        except Exception as exc:
            exc.add_note(f"{stats.inputs} inputs passed before this failure")
            exc.fuzz_stats = stats  # type: ignore[attr-defined]  # what the run had tried
            raise
    return stats
