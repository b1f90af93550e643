"""Each named hostile input through the real path: only records or rejects, in bounded time.

XML bombs and XXE (a local file, a loopback URL of the real ``wire_server``), a gzip bomb over
real HTTP, invalid UTF-8, NUL and control bytes, a 50 MB single line, feeds of many items, a
directory source with symlinks leading out of it, and item ids that look like paths, written
to a real storage root. Figures (seconds, peak memory growth) go to the reliability table.

Peak memory is the growth of the process's peak resident set (VmHWM, reset before each
measurement; see ``tests.reliability.fuzzing.memory_probe``).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dedupe import DEFAULT_MATCH, DEFAULT_MINHASH
from ingest import Source, read_directory
from ingest.fetch import read_http
from ingest.formats import parse_payload
from ingest.http import FetchPolicy, fetch, make_client
from ingest.prepare import prepare
from pipeline import commit, match, prepare_payloads, select_new
from record.errors import FetchTerminalError, ParseError
from record.story import RawItem, Reject, Story
from storage import StorageRoot, read_rejects, read_stories
from tests.conftest import shared_path
from tests.reliability.figures import record
from tests.reliability.fuzzing import memory_probe, quiet_logs
from tests.wire_server import WireServer, gzip_bomb

FETCHED = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
#: Items of the big RSS feed in CI (feedparser reads ~1,300 items/s); ``make fuzz`` runs 100,000.
RSS_ITEMS = int(os.environ.get("WIREDUP_HOSTILE_RSS_ITEMS", "2000"))
#: Items of the big ninjs feed parsed in CI, and how many of them go through normalization.
NINJS_ITEMS = int(os.environ.get("WIREDUP_HOSTILE_NINJS_ITEMS", "100000"))
PREPARED_ITEMS = int(os.environ.get("WIREDUP_HOSTILE_PREPARED_ITEMS", "1000"))


def _raw(data: bytes, fmt: str | None, location: str = "/hostile/payload") -> RawItem:
    return RawItem("hostile", "payload", data, FETCHED, location, fmt)


def _measure(fn: Callable[[], object]) -> tuple[object, float, float]:
    """(result, seconds, peak RSS growth MiB) of ``fn()``."""
    with quiet_logs(), memory_probe() as memory:
        started = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - started
    return result, seconds, memory["peak_growth_mib"]


def _text_of(stories: list[Story], rejects: list[Reject]) -> str:
    parts = [f"{s.item_id}\n{s.headline}\n{s.body}" for s in stories]
    return "\n".join(parts + [f"{r.item_id}\n{r.reason}" for r in rejects])


# --- XML bombs and XXE --------------------------------------------------------------------------

_G2 = (
    '<?xml version="1.0"?>\n{doctype}\n<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" '
    'guid="urn:hostile:1" version="1"><itemMeta><itemClass qcode="ninat:text"/>'
    "<versionCreated>2026-11-24T05:00:00Z</versionCreated></itemMeta><contentSet>"
    '<inlineData contenttype="text/plain">Avant {ref} après.</inlineData></contentSet></newsItem>'
)
_RSS = (
    '<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>t</title><item>'
    "<guid>urn:hostile:1</guid><description>Avant {ref} après.</description></item>"
    "</channel></rss>"
)
_NINJS_NITF = (
    "<nitf>{doctype}<body><body.content><p>Avant {ref} après.</p></body.content></body></nitf>"
)


def _ninjs(doctype: str, ref: str) -> str:
    nitf = _NINJS_NITF.format(doctype="", ref=ref)
    # A DOCTYPE inside the NITF string of a ninjs body: the XML parsed from inside JSON.
    nitf = nitf.replace("<nitf>", doctype.replace("<!DOCTYPE r", "<!DOCTYPE nitf") + "<nitf>")
    item = {
        "uri": "urn:hostile:1",
        "versioncreated": "2026-11-24T05:00:00Z",
        "bodies": [{"contentType": "application/nitf+xml", "value": nitf}],
    }
    return json.dumps(item)


def _billion_laughs() -> tuple[str, str]:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return "<!DOCTYPE r [\n" + "\n".join(levels) + "\n]>", "&lol9;"


def _quadratic() -> tuple[str, str]:
    return f'<!DOCTYPE r [<!ENTITY a "{"x" * 50_000}">]>', "&a;" * 50_000


def _xxe_file() -> tuple[str, str]:
    return '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"


def _xxe_parameter() -> tuple[str, str]:
    return '<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', ""


BOMBS: dict[str, Callable[[], tuple[str, str]]] = {
    "billion-laughs": _billion_laughs,
    "quadratic-blowup": _quadratic,
    "xxe-local-file": _xxe_file,
    "xxe-parameter-entity": _xxe_parameter,
}
WRAPPERS: dict[str, Callable[[str, str], str]] = {
    "newsml-g2": lambda d, r: _G2.format(doctype=d, ref=r),
    "rss": lambda d, r: _RSS.format(doctype=d, ref=r),
    "ninjs": _ninjs,
}


def _passwd_markers() -> list[str]:
    try:
        lines = Path("/etc/passwd").read_text("utf-8", "replace").splitlines()
    except OSError:
        return ["root:x:0:0"]
    return [line for line in lines if line.count(":") >= 5][:3] or ["root:x:0:0"]


@pytest.mark.parametrize("fmt", sorted(WRAPPERS))
@pytest.mark.parametrize("bomb", sorted(BOMBS))
def test_xml_bombs_and_xxe_become_rejects_fast_and_leak_nothing(bomb: str, fmt: str) -> None:
    doctype, ref = BOMBS[bomb]()
    data = WRAPPERS[fmt](doctype, ref).encode()
    markers = _passwd_markers()
    for declared in (fmt, None):
        (stories, rejects), seconds, growth = _measure(lambda d=declared: prepare([_raw(data, d)]))
        assert stories == [], f"{bomb} in {fmt} gave a story"
        [reject] = rejects
        assert "declares entities" in reject.reason
        assert seconds < 2.0
        assert growth < 64
        everything = _text_of(stories, rejects)
        assert "lollollol" not in everything
        assert not any(marker in everything for marker in markers)
    record("hostile", f"{bomb} in {fmt}", round(seconds * 1000, 2), "ms", note="rejected")


@pytest.mark.parametrize("fmt", sorted(WRAPPERS))
def test_external_entity_and_dtd_to_a_loopback_url_make_no_request(
    fmt: str, wire_server: WireServer, request: pytest.FixtureRequest
) -> None:
    secret = f"/secret/{request.node.name}"
    dtd = f"/dtd/{request.node.name}"
    wire_server.static(secret, b"LEAKED-SECRET")
    wire_server.static(dtd, b'<!ENTITY leak "LEAKED-DTD">')
    attacks = {
        "entity": (f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{wire_server.url(secret)}">]>', "&xxe;"),
        "parameter": (
            f'<!DOCTYPE r [<!ENTITY % d SYSTEM "{wire_server.url(dtd)}"> %d;]>',
            "&leak;",
        ),
        "external-dtd": (f'<!DOCTYPE r SYSTEM "{wire_server.url(dtd)}">', "&leak;"),
    }
    for name, (doctype, ref) in attacks.items():
        stories, rejects = prepare([_raw(WRAPPERS[fmt](doctype, ref).encode(), fmt)])
        assert "LEAKED" not in _text_of(stories, rejects), name
    time.sleep(0.3)  # a stray request would have arrived by now
    assert wire_server.hits(secret) == 0
    assert wire_server.hits(dtd) == 0


def test_xxe_feed_served_over_http_is_rejected_without_a_second_request(
    wire_server: WireServer, request: pytest.FixtureRequest
) -> None:
    secret = f"/secret/{request.node.name}"
    wire_server.static(secret, b"LEAKED-SECRET")
    doctype = f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{wire_server.url(secret)}">]>'
    feed_url = wire_server.static(
        f"/feed/{request.node.name}",
        _RSS.format(doctype=doctype, ref="&xxe;").encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    source = Source(name="hostile-http", kind="http", url=feed_url, format="rss")
    with make_client() as client:
        got = read_http(source, client, None)
    assert got.rejects == [] and len(got.raws) == 1
    stories, rejects = prepare(got.raws)
    assert stories == [] and len(rejects) == 1
    assert "declares entities" in rejects[0].reason
    time.sleep(0.3)
    assert wire_server.hits(secret) == 0


# --- gzip bomb over HTTP ------------------------------------------------------------------------


def test_gzip_bomb_over_http_stops_at_the_size_cap(
    wire_server: WireServer, request: pytest.FixtureRequest
) -> None:
    bomb = gzip_bomb(200 * 1024 * 1024)
    url = wire_server.static(
        f"/bomb/{request.node.name}", bomb, headers={"Content-Encoding": "gzip"}
    )
    cap = 4 * 1024 * 1024
    with make_client() as client:
        (outcome, seconds, growth) = _measure(
            lambda: _fetch_or_error(client, url, FetchPolicy(max_bytes=cap, deadline=20.0))
        )
        assert isinstance(outcome, FetchTerminalError)
        assert f"exceeds {cap} bytes (decoded)" in str(outcome)
        assert seconds < 5
        assert growth < 64, f"decoding the bomb grew peak memory by {growth:.0f} MiB"
        # Through a source: the cap becomes one reject, no payload and no exception.
        source = Source(name="bomb", kind="http", url=url, format="rss", max_bytes=cap)
        got = read_http(source, client, None)
    assert got.raws == []
    [reject] = got.rejects
    assert "exceeds" in reject.reason and reject.sha256 is None
    record(
        "hostile",
        "gzip bomb over HTTP (200 MiB decoded, cap 4 MiB)",
        round(seconds, 3),
        "s",
        note=f"{len(bomb)} bytes on the wire, peak RSS +{growth:.1f} MiB, refused at the cap",
    )


def _fetch_or_error(client: object, url: str, policy: FetchPolicy) -> object:
    try:
        return fetch(client, url, policy=policy)  # type: ignore[arg-type]
    except FetchTerminalError as exc:
        return exc


# --- invalid UTF-8, NUL and control bytes -------------------------------------------------------

SEEDS = {
    "text": ("text", "D_trump_1_be-lalibre.txt"),
    "rss": ("rss", "real-world", "feed-dcdate.xml"),
    "ninjs": ("ninjs", "v2.1", "dpa_text.json"),
    "newsml-g2": ("newsml-g2", "dpa", "dpa_170629-99-46771.xml"),
}
_CONTROLS = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def _in_the_text(data: bytes, fmt: str) -> int:
    """An offset inside the story text of the seed (after the first body markup)."""
    marker = {
        "text": b" date",
        "rss": b"<description>",
        "ninjs": b'<section class=\\"main\\"><p>',
    }.get(fmt, b"<inlineXML")
    return data.index(marker) + len(marker) + 40


@pytest.mark.parametrize("fmt", sorted(SEEDS))
@pytest.mark.parametrize(
    "hostile",
    [b"\xff\xfe\xc3\x28", b"\xed\xa0\x80", b"\x00", b"\x00\x00\x00", _CONTROLS],
    ids=["invalid-utf8", "utf8-surrogate", "nul", "nul-run", "c0-controls"],
)
def test_invalid_utf8_nul_and_control_bytes_give_records_or_rejects(
    fmt: str, hostile: bytes
) -> None:
    seed = shared_path("fixtures", *SEEDS[fmt]).read_bytes()
    at = _in_the_text(seed, fmt)
    data = seed[:at] + hostile + seed[at:]
    with quiet_logs():
        try:
            result = parse_payload(_raw(data, fmt))
        except ParseError:
            result = None
        stories, rejects = prepare([_raw(data, fmt)])
    assert stories or rejects
    for reject in rejects:
        assert not reject.reason.startswith(("parser failure", "normalize failure"))
        assert reject.sha256 is not None and reject.size == len(data)
    for story in stories:
        assert not any(chr(b) in story.body for b in _CONTROLS), "a control byte reached a story"
    if fmt == "text" and hostile.startswith(b"\xff"):
        # Nothing is guessed: the reject says which byte at which offset.
        assert result is None
        assert f"byte 0xff at offset {at}" in rejects[0].reason
    if fmt == "text" and b"\x00" in hostile:
        assert result is None and "NUL" in rejects[0].reason


# --- size: one 50 MB line, feeds of many items --------------------------------------------------


def test_a_50_mb_single_line_is_read_in_bounded_time_and_memory() -> None:
    words = "Le gouvernement a annoncé mardi un plan de rénovation des écoles du canton. ".encode()
    data = b" date 2026-11-24 " + words * (50_000_000 // len(words))
    size_mib = len(data) / (1024 * 1024)
    (stories, rejects), seconds, growth = _measure(lambda: prepare([_raw(data, "text")]))
    assert rejects == []
    [story] = stories
    assert len(story.body) > 45_000_000  # the text is kept, not truncated
    assert "\n" not in story.body
    # Linear bounds: about 4 s and 15x the input on this machine; a quadratic step would not fit.
    assert seconds < 40
    assert growth < 30 * size_mib, f"peak RSS grew by {growth:.0f} MiB for {size_mib:.0f} MiB"
    record(
        "hostile",
        "50 MB single line (text): prepare",
        round(seconds, 2),
        "s",
        note=f"peak RSS +{growth:.0f} MiB ({growth / size_mib:.1f}x the input), 1 story",
    )


def _rss_feed(count: int) -> bytes:
    items = b"".join(
        b"<item><guid>urn:big:%d</guid><title>Titre %d</title><description>Le conseil a vot"
        b"\xc3\xa9 le budget num\xc3\xa9ro %d mardi soir.</description>"
        b"<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>" % (i, i, i)
        for i in range(count)
    )
    head = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
    return head + items + b"</channel></rss>"


def _ninjs_feed(count: int) -> bytes:
    objs = [
        {
            "uri": f"urn:big:{i}",
            "version": "1",
            "versioncreated": "2026-11-24T10:00:00Z",
            "headline": f"Titre {i}",
            "body_text": f"Le conseil a voté le budget numéro {i} mardi soir.",
        }
        for i in range(count)
    ]
    return json.dumps({"items": objs}).encode()


@pytest.mark.parametrize(
    ("fmt", "count", "build"),
    [("rss", RSS_ITEMS, _rss_feed), ("ninjs", NINJS_ITEMS, _ninjs_feed)],
    ids=["rss", "ninjs"],
)
def test_a_feed_of_many_items_is_read_whole_in_bounded_time(
    fmt: str, count: int, build: Callable[[int], bytes]
) -> None:
    data = build(count)
    result, seconds, growth = _measure(lambda: parse_payload(_raw(data, fmt)))
    assert [item.item_id for item in result.items] == [f"urn:big:{i}" for i in range(count)]  # type: ignore[attr-defined]
    per_item_ms = seconds / count * 1000
    assert per_item_ms < 5, f"{per_item_ms:.2f} ms an item"
    record(
        "hostile",
        f"{fmt} feed of {count} items: parse",
        round(seconds, 2),
        "s",
        note=f"{len(data) / 1e6:.1f} MB, {per_item_ms:.3f} ms/item, peak RSS +{growth:.0f} MiB, "
        "all items read (no cap)",
    )
    # The whole path on a slice: parse, normalize, one story each.
    small = build(min(count, PREPARED_ITEMS))
    (stories, rejects), prep_seconds, prep_growth = _measure(lambda: prepare([_raw(small, fmt)]))
    assert rejects == [] and len(stories) == min(count, PREPARED_ITEMS)
    record(
        "hostile",
        f"{fmt} feed of {len(stories)} items: prepare",
        round(prep_seconds, 2),
        "s",
        note=f"{prep_seconds / len(stories) * 1000:.3f} ms/story, peak RSS +{prep_growth:.0f} MiB",
    )


def test_time_on_tag_dense_malformed_feeds_grows_linearly() -> None:
    # A feed that is not well-formed goes to feedparser's loose parser, which is slow on dense
    # markup (~40 KB/s): bounded by the fetch cap and linear, never quadratic.
    def run(tags: int) -> float:
        data = b"<rss><channel><item><description>" + b"<a>" * tags
        _, seconds, _ = _measure(lambda: _parse_or_error(data, "rss"))
        return seconds

    small, large = run(5_000), run(20_000)
    assert large < 4 * small * 2.5, f"{small:.2f} s -> {large:.2f} s for 4x the input"
    record(
        "hostile",
        "malformed feed, 20,000 open tags (60 KB): parse",
        round(large, 2),
        "s",
        note=f"5,000 tags: {small:.2f} s; linear (feedparser loose parser)",
    )


def _parse_or_error(data: bytes, fmt: str) -> object:
    try:
        return parse_payload(_raw(data, fmt))
    except ParseError as exc:
        return exc


def test_deeply_nested_html_in_a_body_normalizes_in_linear_time() -> None:
    def run(depth: int) -> float:
        data = b" date 2026-11-24 Texte " + b"<div>" * depth + b" fin."
        # Best of three: at a few milliseconds a run, one pause of the machine is the ratio.
        return min(_measure(lambda: prepare([_raw(data, "text")]))[1] for _ in range(3))

    small, large = run(16_000), run(64_000)
    assert large < 4 * small * 2.5, f"{small:.2f} s -> {large:.2f} s for 4x the nesting"


# --- a directory source with symlinks leading out -----------------------------------------------


def test_directory_symlinks_leading_outside_are_refused_and_the_rest_is_read(
    tmp_path: Path,
) -> None:
    feed = tmp_path / "feed"
    (feed / "inner").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(" date 2026-11-24 SECRET-OUTSIDE ne doit jamais être lu.", "utf-8")
    good = " date 2026-11-24 Le conseil a voté le budget mardi soir. (ats)"
    (feed / "a_good.txt").write_text(good, "utf-8")
    (feed / "inner" / "ok.txt").write_text(good.replace("mardi", "jeudi"), "utf-8")
    links = {
        "b_absolute.txt": secret,
        "c_relative.txt": Path("..") / "outside" / "secret.txt",
        "d_to_dir.txt": outside,
        "e_etc_passwd.txt": Path("/etc/passwd"),
        "f_chain.txt": feed / "g_hop.txt",
        "g_hop.txt": Path("..") / "outside" / "secret.txt",
        "h_inside.txt": Path("inner") / "ok.txt",
        "i_dangling.txt": tmp_path / "absent.txt",
    }
    for name, target in links.items():
        (feed / name).symlink_to(target)
    source = Source(name="hostile-dir", kind="directory", path=feed, pattern="*.txt")

    items, read_rejects_ = read_directory(source, now=FETCHED)

    assert [i.item_id for i in items] == ["a_good", "h_inside"]
    refused = {r.item_id: r.reason for r in read_rejects_}
    outside_ids = {"b_absolute", "c_relative", "d_to_dir", "e_etc_passwd", "f_chain", "g_hop"}
    assert outside_ids <= set(refused)
    assert all("outside" in refused[i] for i in outside_ids)
    assert all(r.sha256 is None and r.size == 0 for r in read_rejects_)  # never read
    stories, rejects = prepare(items)
    assert [s.item_id for s in stories] == ["a_good", "h_inside"] and rejects == []
    everything = _text_of(stories, rejects) + "".join(i.data.decode() for i in items)
    assert "SECRET-OUTSIDE" not in everything
    assert not any(m in everything for m in _passwd_markers())
    record(
        "hostile",
        "directory with 6 symlinks leading outside",
        len(outside_ids),
        "refused",
        note=f"{len(items)} inside files read, {len(read_rejects_)} rejects in all",
    )


# --- item ids that look like paths --------------------------------------------------------------

PATH_IDS = [
    "../../../../tmp/wiredup-escape",
    "/etc/passwd",
    "a/b/../../c",
    "..\\..\\windows\\system32",
    "..",
    ".",
    "nul\x00byte/../x",
    "C:\\temp\\x",
    "quarantine/00/../../../escape",
]


def _feeds_with_path_ids() -> list[RawItem]:
    xml_safe = [i for i in PATH_IDS if "\x00" not in i]
    rss_items = "".join(
        f"<item><guid>{i}</guid><description>Dépêche {n} sur le budget du canton.</description>"
        "<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>"
        for n, i in enumerate(xml_safe)
    )
    rss = f'<rss version="2.0"><channel><title>t</title>{rss_items}</channel></rss>'.encode()
    g2_items = "".join(
        f'<newsItem guid="{i}" version="1"><itemMeta><itemClass qcode="ninat:text"/>'
        "<versionCreated>2026-11-24T05:00:00Z</versionCreated></itemMeta><contentSet>"
        f'<inlineData contenttype="text/plain">Texte {n} du conseil.</inlineData>'
        "</contentSet></newsItem>"
        for n, i in enumerate(xml_safe)
    )
    g2 = (
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        f"{g2_items}</itemSet></newsMessage>"
    ).encode()
    ninjs = json.dumps(
        [
            {"uri": i, "versioncreated": "2026-11-24T05:00:00Z", "body_text": f"Note {n}."}
            for n, i in enumerate(PATH_IDS)
        ]
        # and items that fail, so the ids travel into rejects and the quarantine too
        + [{"uri": i, "pubstatus": "bogus", "body_text": "x"} for i in PATH_IDS]
    ).encode()
    return [
        _raw(rss, "rss", "/hostile/feed.xml"),
        _raw(g2, "newsml-g2", "/hostile/g2.xml"),
        _raw(ninjs, "ninjs", "/hostile/ninjs.json"),
        # a whole payload rejected under a path-like id of its own
        RawItem("hostile", "../../escape-payload", b"\xff garbage", FETCHED, "/h/x", "text"),
    ]


def test_path_like_item_ids_are_never_used_as_paths(tmp_path: Path) -> None:
    root_dir = tmp_path / "store" / "data"
    root_dir.mkdir(parents=True)
    before = {p for p in tmp_path.rglob("*")}
    raws = _feeds_with_path_ids()
    prepared = prepare_payloads(raws, DEFAULT_MINHASH)
    stories, rejects = prepared.batch.stories(), prepared.rejects
    ids = {s.item_id for s in stories}
    assert set(PATH_IDS) <= ids, "every path-like id is kept verbatim as data"
    assert {r.item_id for r in rejects} >= set(PATH_IDS) | {"../../escape-payload"}

    # The pipeline's own steps, as a run takes them.
    root = StorageRoot(root_dir)
    matched = match(root, select_new(root, prepared.batch), DEFAULT_MINHASH, DEFAULT_MATCH)
    written = commit(root, "run-hostile", matched, rejects, {r.location: r for r in raws})

    # Nothing was created outside the storage root, and inside it every name is a hash,
    # a date partition or a fixed dataset name: no item id became a path component.
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(p.is_relative_to(root_dir) for p in created)
    assert not (Path("/tmp") / "wiredup-escape").exists()
    fragments = {"passwd", "escape", "windows", "system32", "temp", "nul"}
    for path in created:
        rel = path.relative_to(root_dir).as_posix()
        assert ".." not in rel.split("/") and "\\" not in rel and "\x00" not in rel
        assert not any(f in rel.lower() for f in fragments), rel
    quarantined = [p for p in created if p.is_file() and "quarantine" in p.parts]
    assert quarantined and all(
        len(p.name) == 64 and p.parent.name == p.name[:2] for p in quarantined
    )
    # ... and the ids come back from Parquet exactly as the feeds sent them.
    assert set(PATH_IDS) <= set(read_stories(root).column("item_id").to_pylist())
    assert set(PATH_IDS) <= set(read_rejects(root).column("item_id").to_pylist())
    record(
        "hostile",
        "path-like item ids (.., /, \\, NUL) written to storage",
        len(PATH_IDS),
        "ids",
        note=f"{len(stories)} stories, {len(rejects)} rejects, {len(written)} files; "
        "every path a hash or partition, nothing outside the root",
    )
