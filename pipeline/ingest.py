"""The ingest, as plain Python: the one place its sequence lives.

    read -> prepare (parse + normalize + sign) -> select what is new -> match -> commit

``run_ingest`` reads every source, prepares the payloads batch by batch through the map it is
given (in this process, a process pool, or a Dask cluster), keeps the stories not stored yet
in match order, matches them against the history window and commits them, then writes the
run row and, only after that, the sources' cursors. Everything from reading the cursors to
writing them back runs under the storage root's writer lock; a dry run writes nothing and
takes no lock.

Each step is a plain function. ``Steps`` holds them; the Prefect flow passes the same
functions wrapped as tasks (``flows.ingest``), the command line, the benchmarks and the tests
call them as they are. None re-types the sequence.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyarrow.compute as pc

from dedupe import (
    DEFAULT_MATCH,
    DEFAULT_MINHASH,
    Matcher,
    MatchParams,
    MinHashParams,
    Signer,
    batch_profiles,
    entries,
    match_order,
    sign,
    with_matches,
)
from dedupe.batch import ProfileKey
from dedupe.profile import Profile
from dedupe.shingles import StoryWords
from ingest import Credentials, Source, prepare, read_directory, read_http
from ingest.fetch import SourceRead
from ingest.normalize import hash_of_words
from pipeline.maps import BatchMap, serial_map
from pipeline.summary import RunSummary
from record.batch import StoryBatch
from record.cursor import Cursor
from record.errors import ConfigError
from record.story import RawItem, Reject, make_story_id
from storage import (
    RootLock,
    StorageRoot,
    load_window,
    read_cursor,
    run_row,
    stored_revisions,
    write_batch,
    write_cursors,
    write_rejects,
    write_run,
)

__all__ = [
    "DEFAULT_BATCH_BYTES",
    "DEFAULT_BATCH_SIZE",
    "PLAIN_STEPS",
    "Prepared",
    "Progress",
    "Steps",
    "batches_of",
    "commit",
    "match",
    "matcher_for",
    "prepare_batch",
    "prepare_payloads",
    "read_source",
    "run_ingest",
    "select_new",
]

log = logging.getLogger(__name__)

#: Payloads per prepare batch: large enough that the numpy passes amortize, small enough that
#: two workers get balanced work on a few thousand payloads.
DEFAULT_BATCH_SIZE = 256
#: A prepare batch also ends at this many bytes of payloads: a run of a few hundred feed pages,
#: each of dozens of stories, is still cut into enough batches to share among the cores.
DEFAULT_BATCH_BYTES = 1 << 20

#: Called as work advances: (stage, done, total, detail).
Progress = Callable[[str, int, int, str], None]
#: The credentials of a source, resolved at the edge (environment, Prefect Secret blocks).
CredentialResolver = Callable[[Source], Credentials | None]


def _no_progress(stage: str, done: int, total: int, detail: str = "") -> None:
    return None


def _no_credentials(source: Source) -> Credentials | None:
    return None


@dataclass(frozen=True)
class Prepared:
    """Signed stories of some payloads, and the payloads or items that were rejected."""

    batch: StoryBatch
    rejects: list[Reject] = field(default_factory=list)
    #: The match decision's profile of each story (``dedupe.batch_profiles``), made here so
    #: that the processes preparing batches make them side by side.
    profiles: dict[ProfileKey, Profile] = field(default_factory=dict)

    @classmethod
    def merge(cls, parts: Sequence[Prepared], params: MinHashParams = DEFAULT_MINHASH) -> Prepared:
        """The parts one after the other (no part: an empty batch with every signed column)."""
        batches = [p.batch for p in parts] or [sign(StoryBatch.empty(), params)]
        made: dict[ProfileKey, Profile] = {}
        for part in parts:
            for key, profile in part.profiles.items():
                made.setdefault(key, profile)  # the first story of a key, as select_new keeps
        return cls(StoryBatch.concat(batches), [r for p in parts for r in p.rejects], made)


# -- the steps ---------------------------------------------------------------------------------


def read_source(
    source: Source,
    client: httpx.Client | None,
    cursor: Cursor | None,
    run_id: str,
    credentials: Credentials | None = None,
) -> SourceRead:
    """What a source holds now (an http source: what is new since its cursor)."""
    if source.kind != "http":
        raws, rejects = read_directory(source)
        return SourceRead(raws=raws, rejects=rejects)
    if client is None:
        raise ConfigError("an http source needs the run's HTTP client", source=source.name)
    return read_http(source, client, cursor, credentials=credentials, run_id=run_id)


def batches_of(
    raws: Sequence[RawItem],
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_bytes: int = DEFAULT_BATCH_BYTES,
) -> list[Sequence[RawItem]]:
    """``raws`` cut into consecutive batches of ``batch_size`` payloads, a batch ending sooner
    where its payloads reach ``max_bytes`` (feed pages of many stories each), never empty."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    out: list[Sequence[RawItem]] = []
    start, size = 0, 0
    for i, raw in enumerate(raws):
        if i > start and (i - start >= batch_size or size + len(raw.data) > max_bytes):
            out.append(raws[start:i])
            start, size = i, 0
        size += len(raw.data)
    if start < len(raws):
        out.append(raws[start:])
    return out


def prepare_batch(raws: Sequence[RawItem], params: MinHashParams = DEFAULT_MINHASH) -> Prepared:
    """Parse, normalize and sign one batch of payloads, in this process."""
    stories, rejects = prepare(raws, hashed=False)
    # The words once, hashed once, for the content hash, the shingles and the profiles.
    made = StoryWords.of([s.headline for s in stories], [s.body for s in stories])
    content_hashes = [hash_of_words(made.body(i)) for i in range(len(stories))]
    batch = StoryBatch.of(stories).replaced({"content_hash": content_hashes})
    signed = sign(batch, params, words=made)
    return Prepared(signed, rejects, batch_profiles(signed, made))


@dataclass(frozen=True)
class _PrepareBatch:
    # A picklable partial: pool and Dask workers receive it with each batch.
    params: MinHashParams

    def __call__(self, raws: Sequence[RawItem]) -> Prepared:
        return prepare_batch(raws, self.params)


def prepare_payloads(
    raws: Sequence[RawItem],
    params: MinHashParams = DEFAULT_MINHASH,
    map_batches: BatchMap = serial_map,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress = _no_progress,
) -> Prepared:
    """Parse, normalize and sign ``raws``, batch by batch through ``map_batches``.

    The results are put back together in the payloads' order, so the output is the same at any
    batch size and on any map.
    """
    batches = batches_of(raws, batch_size)
    parts: list[Prepared] = []
    done = 0
    for batch, part in zip(batches, map_batches(_PrepareBatch(params), batches), strict=True):
        parts.append(part)
        done += len(batch)
        progress("sign", done, len(raws), "")
    out = Prepared.merge(parts, params)
    log.info(
        "prepared and signed %d stories from %d payloads (%d batches)",
        len(out.batch),
        len(raws),
        len(batches),
    )
    return out


def select_new(
    root: StorageRoot, batch: StoryBatch, summary: RunSummary | None = None
) -> StoryBatch:
    """The stories of ``batch`` not stored yet, each once, in match order.

    A story whose key (source, item_id, version) is stored, or came earlier in the batch, with
    the same ``content_hash`` is already stored. With another content hash it is a revision of
    that version: kept as its own row, numbered after the latest revision known, linked to it
    by ``revision_of``, never dropped. ``summary``, when given, counts every story read, every
    one already stored and every revision.
    """
    sources = batch.values("source")
    keys = list(zip(sources, batch.values("item_id"), batch.values("version"), strict=True))
    hashes = batch.values("content_hash")
    ids = batch.values("story_id")
    # Every revision known per key: stored ones first, then those of this batch as kept.
    known = stored_revisions(root, keys)
    keep: list[int] = []
    revisions: dict[int, tuple[int, str]] = {}
    for position, key in enumerate(keys):
        counts = summary.source(sources[position]) if summary is not None else None
        if counts is not None:
            counts.read += 1
        revs = known.setdefault(key, [])
        if any(h == hashes[position] for _, _, h in revs):
            if counts is not None:
                counts.already_stored += 1
            continue
        if revs:
            number, previous = max(revs)[0] + 1, max(revs)[1]
            revisions[position] = (number, previous)
            revs.append((number, make_story_id(*key, number), hashes[position]))
            if counts is not None:
                counts.revisions += 1
        else:
            revs.append((0, ids[position], hashes[position]))
        keep.append(position)
    new = batch.revised(revisions).take(keep)
    return new.take(match_order(new))


def matcher_for(
    root: StorageRoot,
    batch: StoryBatch,
    minhash: MinHashParams = DEFAULT_MINHASH,
    params: MatchParams = DEFAULT_MATCH,
) -> Matcher:
    """A matcher over the history window around the batch's dates (``window_days`` either side),
    its band index built as the window is read (the stored signatures stay on disk)."""
    margin = timedelta(days=params.window_days)
    if len(batch):
        span = pc.min_max(batch.table.column("story_date"))
        first, last = span["min"].as_py(), span["max"].as_py()
    else:
        first = last = datetime.now(UTC).date()
    lsh = (params.bands_for(minhash.num_perm), params.lsh_rows)
    history = load_window(root, minhash, first - margin, last + margin, lsh)
    return Matcher(Signer(minhash), params, history)


def match(
    root: StorageRoot,
    batch: StoryBatch,
    minhash: MinHashParams = DEFAULT_MINHASH,
    params: MatchParams = DEFAULT_MATCH,
    matcher: Matcher | None = None,
    profiles: Mapping[ProfileKey, Profile] | None = None,
) -> StoryBatch:
    """The batch with its matches: each story against the window around its date.

    ``matcher`` is one made by ``matcher_for`` already (a benchmark times the two apart);
    ``profiles``, the stories' profiles made by the prepare step (``Prepared.profiles``).
    """
    if not len(batch):
        return with_matches(batch, [])
    matcher = matcher or matcher_for(root, batch, minhash, params)
    log.info(
        "matching %d new stories against a window of %d stored stories",
        len(batch),
        len(matcher.window),
    )
    found = entries(batch, minhash.num_perm, made=profiles)
    return with_matches(batch, matcher.assign_many(found))


def commit(
    root: StorageRoot,
    run_id: str,
    batch: StoryBatch,
    rejects: Sequence[Reject],
    raws: Mapping[str, RawItem],
    minhash: MinHashParams = DEFAULT_MINHASH,
    now: datetime | None = None,
) -> list[str]:
    """Signatures and kills first, then the stories (the commit point), then rejects.

    ``now`` is the records' ``ingested_at`` (default: the time of the call).
    """
    now = now or datetime.now(UTC)
    written = write_batch(root, minhash, batch, run_id, now)
    written += write_rejects(root, list(rejects), run_id, dict(raws))
    return written


@dataclass(frozen=True)
class Steps:
    """The steps of an ingest. The flow passes the same functions wrapped as Prefect tasks."""

    read_source: Callable[..., SourceRead] = read_source
    prepare: Callable[..., Prepared] = prepare_payloads
    match: Callable[..., StoryBatch] = match
    commit: Callable[..., list[str]] = commit


#: The steps as plain functions.
PLAIN_STEPS = Steps()


# -- the sequence ------------------------------------------------------------------------------


def run_ingest(
    sources: Sequence[Source],
    root: StorageRoot,
    run_id: str,
    *,
    parameters: str = "{}",
    minhash: MinHashParams = DEFAULT_MINHASH,
    match_params: MatchParams = DEFAULT_MATCH,
    map_batches: BatchMap = serial_map,
    dry_run: bool = False,
    lock_wait_seconds: float = 0.0,
    steps: Steps = PLAIN_STEPS,
    credentials: CredentialResolver = _no_credentials,
    progress: Progress = _no_progress,
    logger: logging.Logger | logging.LoggerAdapter[logging.Logger] = log,
    client_factory: Callable[[], httpx.Client] | None = None,
) -> RunSummary:
    """Ingest ``sources`` into ``root`` once; return what the run did.

    ``parameters`` is the run's parameters as JSON, kept in its run row. ``client_factory``
    makes the run's one HTTP client (default: ``ingest.make_client``).
    """
    # A dry run writes nothing and so takes no lock.
    writer = (
        nullcontext(None)
        if dry_run
        else RootLock(root, run_id, "ingest", wait_seconds=lock_wait_seconds, logger=logger)
    )
    with writer as lock:
        if lock is not None and lock.took_over is not None:
            logger.warning(
                "took over the lock of run %s (since %s; lease expired or process gone) on %s",
                lock.took_over.run_id,
                lock.took_over.acquired_at,
                root.display(),
            )
        return _ingest(
            sources, root, run_id, parameters, minhash, match_params, map_batches, dry_run,
            steps, credentials, progress, logger, client_factory,
        )  # fmt: skip


def _source_reject(source: Source, reason: str) -> Reject:
    return Reject(
        source=source.name,
        item_id=None,
        reason=reason,
        sha256=None,
        size=0,
        fetched_at=datetime.now(UTC),
        location=source.url or str(source.path),
    )


def _read_all(
    sources: Sequence[Source],
    root: StorageRoot,
    run_id: str,
    client: httpx.Client,
    steps: Steps,
    credentials: CredentialResolver,
    summary: RunSummary,
    progress: Progress,
    logger: Any,
) -> tuple[list[RawItem], list[Reject], dict[str, Cursor]]:
    raws: list[RawItem] = []
    rejects: list[Reject] = []
    cursors: dict[str, Cursor] = {}
    for done, source in enumerate(sources):
        counts = summary.source(source.name)
        started = time.perf_counter()
        cursor = read_cursor(root, source.name) if source.kind == "http" else None
        try:
            # Secrets are resolved here, at the edge of each source: never a step parameter.
            secret = credentials(source) if source.kind == "http" else None
        except ConfigError as exc:
            # One source's missing secret must not stop the other sources: it is a reject.
            logger.error("source %s: %s", source.name, exc)
            got = SourceRead(rejects=[_source_reject(source, f"auth: {exc}")])
        else:
            got = steps.read_source(source, client, cursor, run_id, secret)
        counts.seconds += time.perf_counter() - started
        progress("read", done + 1, len(sources), f"{source.name}: {len(got.raws)} payload(s)")
        raws += got.raws
        rejects += got.rejects
        counts.fetched += got.fetched
        counts.not_modified += got.not_modified
        if got.cursor is not None:
            cursors[source.name] = got.cursor
    return raws, rejects, cursors


def _with_last_item_times(cursors: dict[str, Cursor], batch: StoryBatch) -> dict[str, Cursor]:
    """Each cursor with the newest published_at among its source's stories of this run."""
    latest = batch.table.group_by("source").aggregate([("published_at", "max")])
    newest: dict[str, datetime] = {
        source: published
        for source, published in zip(
            latest.column("source").to_pylist(),
            latest.column("published_at_max").to_pylist(),
            strict=True,
        )
        if published is not None and source in cursors
    }
    out = {}
    for name, cursor in cursors.items():
        times = [t for t in (cursor.last_item_time, newest.get(name)) if t is not None]
        out[name] = dataclasses.replace(cursor, last_item_time=max(times) if times else None)
    return out


def _count(summary: RunSummary, batch: StoryBatch, rejects: Sequence[Reject]) -> None:
    for source, kind, pubstatus in zip(
        batch.values("source"), batch.values("dup_kind"), batch.values("pubstatus"), strict=True
    ):
        counts = summary.source(source)
        counts.new += 1
        if kind is not None:
            setattr(counts, kind, getattr(counts, kind) + 1)
        # A canceled version is stored like any other and adds one row to kills/.
        if pubstatus == "canceled":
            counts.killed += 1
    for reject in rejects:
        summary.source(reject.source).rejected += 1
        summary.reject_reasons.append((reject.source, reject.item_id or "", reject.reason))


def _ingest(
    sources: Sequence[Source],
    root: StorageRoot,
    run_id: str,
    parameters: str,
    minhash: MinHashParams,
    match_params: MatchParams,
    map_batches: BatchMap,
    dry_run: bool,
    steps: Steps,
    credentials: CredentialResolver,
    progress: Progress,
    logger: Any,
    client_factory: Callable[[], httpx.Client] | None,
) -> RunSummary:
    started = datetime.now(UTC)
    clock = time.perf_counter()
    summary = RunSummary(run_id=run_id, root=root.display(), dry_run=dry_run)
    status, error = None, None
    if client_factory is None:
        from ingest import make_client

        client_factory = make_client
    # One HTTP client for the whole run, passed to every source and closed at the end.
    client = client_factory()
    cursors: dict[str, Cursor] = {}  # written only once the run's records are
    try:
        raws, rejects, cursors = _read_all(
            sources, root, run_id, client, steps, credentials, summary, progress, logger
        )
        prepared = steps.prepare(raws, minhash, map_batches, DEFAULT_BATCH_SIZE, progress)
        rejects += prepared.rejects
        cursors = _with_last_item_times(cursors, prepared.batch)
        new = select_new(root, prepared.batch, summary)
        matched = steps.match(root, new, minhash, match_params, profiles=prepared.profiles)
        _count(summary, matched, rejects)
        if not dry_run:
            summary.written = steps.commit(
                root, run_id, matched, rejects, {r.location: r for r in raws}, minhash
            )
        status = "completed"
    except Exception as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        summary.seconds = time.perf_counter() - clock
        client.close()
        if not dry_run and status is not None:
            row = run_row(
                run_id, "ingest", status, started, datetime.now(UTC), summary.seconds,
                parameters, summary.total, json.dumps({r["source"]: r for r in summary.rows()}),
                error,
            )  # fmt: skip
            try:
                write_run(root, row)
            except Exception:
                logger.exception("the run row could not be written")
            else:
                if status == "completed" and cursors:
                    _advance_cursors(root, cursors, logger)
    total = summary.total
    logger.info(
        "run %s: %d read, %d new, %d already stored, %d rejected",
        run_id, total.read, total.new, total.already_stored, total.rejected,
    )  # fmt: skip
    return summary


def _advance_cursors(root: StorageRoot, cursors: dict[str, Cursor], logger: Any) -> None:
    # Called only after stories, rejects and the run row are written. A failure here is not
    # a failed run: the records are durable, and the old cursors make the next run fetch the
    # same payloads again, whose stories are then skipped as already stored.
    try:
        write_cursors(root, cursors)
    except Exception:
        logger.exception("source cursors could not be written; they stay where they were")
