"""The ingest flow: sources -> normalized stories -> matched against history -> Parquet.

Thin on purpose: every step is a plain function of ``ingest``, ``dedupe`` or ``storage``,
wrapped as a task here and sequenced in the order DESIGN.md gives. Only transient errors are
retried.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import numpy as np
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.exceptions import MissingContextError
from prefect.runtime import flow_run

from dedupe import (
    DEFAULT_MINHASH,
    Entry,
    Match,
    Matcher,
    MatchParams,
    MinHashParams,
    SignedBatch,
    Signer,
    prepare_and_sign,
)
from flows import progress
from flows.params import IngestParameters
from flows.roots import open_root
from flows.summary import RunSummary
from ingest import (
    ConfigError,
    RawItem,
    Reject,
    Source,
    Story,
    is_transient,
    load_sources,
    read_directory,
)
from ingest.auth import resolve_credentials
from ingest.cursor import Cursor
from ingest.fetch import SourceRead, read_http
from ingest.http import make_client
from report import REPORT_PATH, write_report
from storage import (
    StorageRoot,
    load_window,
    read_cursor,
    stored_among,
    write_batch,
    write_cursors,
    write_rejects,
    write_run,
)
from storage.lock import RootLock

__all__ = ["DEFAULT_PARAMETERS", "ingest_flow", "run_ingest"]

DEFAULT_PARAMETERS = IngestParameters()


def _retry_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect asks this before each retry: only transient errors are worth one."""
    try:
        state.result()
    except BaseException as exc:  # the state re-raises the task's own error here
        return is_transient(exc)
    return False


@task(
    name="read-source",
    retries=3,
    retry_delay_seconds=[2, 10, 30],
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_transient,
    cache_policy=NONE,
)
def read_source(
    source: Source,
    client: httpx.Client | None = None,
    cursor: Cursor | None = None,
    run_id: str | None = None,
) -> SourceRead:
    """What a source holds now (an http source: what is new since its cursor)."""
    if source.kind != "http":
        raws, rejects = read_directory(source)
        return SourceRead(raws=raws, rejects=rejects)
    if client is None:
        raise ConfigError("an http source needs the run's HTTP client", source=source.name)
    try:
        # Secrets are resolved here, at the edge, inside the task: never a task parameter.
        credentials = resolve_credentials(
            source.name,
            source.auth,
            source.auth_scheme,
            environ=os.environ,
            load_secret=_load_secret,
        )
    except ConfigError as exc:
        # One source's missing secret must not stop the other sources: it shows as a reject.
        get_run_logger().error("source %s: %s", source.name, exc)
        return SourceRead(rejects=[_source_reject(source, f"auth: {exc}")])
    return read_http(source, client, cursor, credentials=credentials, run_id=run_id)


def _load_secret(name: str) -> str:
    """The value of a Prefect Secret block (the only place Wiredup touches one)."""
    from prefect.blocks.system import Secret

    block: Any = Secret.load(name, _sync=True)  # type: ignore[call-arg]
    value = block.get()
    if not isinstance(value, str):
        raise TypeError("the Secret block does not hold a string")
    return value


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


@task(name="prepare-and-sign", cache_policy=NONE)
def prepare_items(raws: list[RawItem], params: MinHashParams, workers: int) -> SignedBatch:
    """Parse, normalize, shingle and sign payloads, in batches over ``workers`` processes."""
    sink = progress.current() or progress.LogProgress(_task_logger())
    return prepare_and_sign(
        raws, params, workers=workers, progress=lambda done, total: sink.update("sign", done, total)
    )


@task(name="match", cache_policy=NONE)
def match(
    root: StorageRoot,
    stories: list[Story],
    shingles: list[np.ndarray],
    signatures: np.ndarray,
    minhash: MinHashParams,
    params: MatchParams,
) -> list[Match]:
    """Load the history window around the stories' dates and assign each story a cluster."""
    if not stories:
        return []
    margin = timedelta(days=params.window_days)
    dates = [s.story_date for s in stories]
    history = load_window(root, minhash, min(dates) - margin, max(dates) + margin)
    matcher = Matcher(Signer(minhash), params, history)
    get_run_logger().info(
        "matching %d new stories against a window of %d stored stories", len(stories), len(history)
    )
    entries = [Entry.from_story(s, shingles[i], signatures[i]) for i, s in enumerate(stories)]
    return matcher.assign_many(entries)


@task(name="write", cache_policy=NONE)
def write(
    root: StorageRoot,
    run_id: str,
    stories: list[Story],
    matches: list[Match],
    shingles: list[np.ndarray],
    signatures: np.ndarray,
    minhash: MinHashParams,
    rejects: list[Reject],
    raws: dict[str, RawItem],
) -> list[str]:
    """Signatures and kills first, then the stories (the commit point), then rejects."""
    now = datetime.now(UTC)
    written = write_batch(root, minhash, stories, matches, shingles, signatures, run_id, now)
    written += write_rejects(root, rejects, run_id, raws)
    return written


def _task_logger() -> Any:
    """The run logger inside a run; a plain one when a task's ``.fn`` is called directly."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


@task(name="report", cache_policy=NONE)
def refresh_report(root: StorageRoot) -> str:
    """Rewrite the HTML report under the root from every stored story; return its path."""
    write_report(root)
    return REPORT_PATH


def _order(story: Story) -> tuple[Any, ...]:
    # Matching takes new stories oldest first, then by identity, so the same data in any
    # arrival order gives the same clusters.
    published = story.published_at or datetime.combine(story.story_date, datetime.min.time(), UTC)
    return (published, story.source, story.item_id, story.version)


def _select_sources(params: IngestParameters) -> list[Source]:
    sources = [s for s in load_sources(params.sources_file) if s.enabled]
    if params.sources:
        known = {s.name for s in sources}
        unknown = sorted(set(params.sources) - known)
        if unknown:
            raise ConfigError(
                f"unknown source(s) {', '.join(unknown)}; declared: {', '.join(sorted(known))}",
                file=params.sources_file,
                field="sources",
            )
        sources = [s for s in sources if s.name in params.sources]
    return sources


def _with_last_item_times(cursors: dict[str, Cursor], stories: list[Story]) -> dict[str, Cursor]:
    """Each cursor with the newest published_at among its source's stories of this run."""
    newest: dict[str, datetime] = {}
    for story in stories:
        if story.published_at is not None and story.source in cursors:
            newest[story.source] = max(
                newest.get(story.source, story.published_at), story.published_at
            )
    out = {}
    for name, cursor in cursors.items():
        times = [t for t in (cursor.last_item_time, newest.get(name)) if t is not None]
        out[name] = dataclasses.replace(cursor, last_item_time=max(times) if times else None)
    return out


def _advance_cursors(root: StorageRoot, cursors: dict[str, Cursor], logger: Any) -> None:
    # Called only after stories, rejects and the run row are written. A failure here is not
    # a failed run: the records are durable, and the old cursors make the next run fetch the
    # same payloads again, whose stories are then skipped as already stored.
    try:
        write_cursors(root, cursors)
    except Exception:
        logger.exception("source cursors could not be written; they stay where they were")


def run_ingest(params: IngestParameters, minhash: MinHashParams = DEFAULT_MINHASH) -> RunSummary:
    """The body of the ingest flow; call it inside a flow run.

    Everything from reading the cursors to writing them back runs under the storage root's
    writer lock: a second run waits ``lock_wait_seconds`` and then stops with ``LockHeld``,
    naming the run that holds it. A dry run writes nothing and takes no lock.
    """
    run_id = str(flow_run.get_id() or uuid.uuid4())
    root = open_root(params.root)
    if params.dry_run:
        return _ingest(params, minhash, root, run_id)
    with RootLock(
        root,
        run_id,
        "ingest",
        wait_seconds=params.lock_wait_seconds,
        logger=get_run_logger(),
    ) as lock:
        if lock.took_over is not None:
            get_run_logger().warning(
                "took over the lock of run %s (since %s; lease expired or process gone) on %s",
                lock.took_over.run_id,
                lock.took_over.acquired_at,
                root.display(),
            )
        return _ingest(params, minhash, root, run_id)


def _ingest(
    params: IngestParameters, minhash: MinHashParams, root: StorageRoot, run_id: str
) -> RunSummary:
    logger = get_run_logger()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    summary = RunSummary(run_id=run_id, root=root.display(), dry_run=params.dry_run)
    row: dict[str, Any] = {
        "run_id": run_id,
        "flow": "ingest",
        "started_at": started,
        "parameters": params.model_dump_json(),
        "error": None,
    }
    # One HTTP client for the whole run, passed to every source and closed at the end.
    client = make_client()
    cursors: dict[str, Cursor] = {}  # written only once the run's records are
    try:
        sources = _select_sources(params)
        raws: list[RawItem] = []
        rejects: list[Reject] = []
        sink = progress.current() or progress.LogProgress(logger)
        for done, source in enumerate(sources):
            counts = summary.source(source.name)
            started_source = time.perf_counter()
            cursor = read_cursor(root, source.name) if source.kind == "http" else None
            got = read_source.with_options(name=f"read-{source.name}")(
                source, client, cursor, run_id
            )
            counts.seconds += time.perf_counter() - started_source
            sink.update(
                "read", done + 1, len(sources), f"{source.name}: {len(got.raws)} payload(s)"
            )
            raws += got.raws
            rejects += got.rejects
            counts.fetched += got.fetched
            counts.not_modified += got.not_modified
            if got.cursor is not None:
                cursors[source.name] = got.cursor
        if params.dask_address:
            # Imported here: a local run need not load dask.distributed.
            from flows.dask import sign_on_dask

            signed = sign_on_dask(
                raws,
                minhash,
                params.dask_address,
                progress=lambda done, total: sink.update("sign", done, total),
            )
        else:
            signed = prepare_items(raws, minhash, params.worker_count())
        stories = signed.stories
        rejects += signed.rejects
        cursors = _with_last_item_times(cursors, stories)

        stored = stored_among(root, (s.story_id for s in stories))
        new: dict[str, int] = {}
        for position, story in enumerate(stories):
            counts = summary.source(story.source)
            counts.read += 1
            if story.story_id in stored or story.story_id in new:
                counts.already_stored += 1
            else:
                new[story.story_id] = position
        picked = signed.select(sorted(new.values(), key=lambda i: _order(stories[i])))
        batch, shingles, signatures = picked.stories, picked.shingles, picked.signatures
        matches = match(root, batch, shingles, signatures, minhash, params.match_params())
        for story, m in zip(batch, matches, strict=True):
            counts = summary.source(story.source)
            counts.new += 1
            if m.dup_kind is not None:
                setattr(counts, m.dup_kind, getattr(counts, m.dup_kind) + 1)
            # A canceled version is stored like any other and adds one row to kills/.
            if story.pubstatus == "canceled":
                counts.killed += 1
        for reject in rejects:
            summary.source(reject.source).rejected += 1
            summary.reject_reasons.append((reject.source, reject.item_id or "", reject.reason))
        if not params.dry_run:
            summary.written = write(
                root,
                run_id,
                batch,
                matches,
                shingles,
                signatures,
                minhash,
                rejects,
                {r.location: r for r in raws},
            )
        row["status"] = "completed"
    except Exception as exc:
        row["status"] = "failed"
        row["error"] = f"{type(exc).__name__}: {exc}"
        raise
    finally:
        summary.seconds = time.perf_counter() - clock
        total = summary.total
        row.update(
            {
                "finished_at": datetime.now(UTC),
                "seconds": summary.seconds,
                "read": total.read,
                "new": total.new,
                "already_stored": total.already_stored,
                "exact": total.exact,
                "near": total.near,
                "containment": total.containment,
                "rejected": total.rejected,
                "per_source": json.dumps({r["source"]: r for r in summary.rows()}),
            }
        )
        client.close()
        if not params.dry_run and row.get("status") is not None:
            try:
                write_run(root, row)
            except Exception:
                logger.exception("the run row could not be written")
            else:
                if row["status"] == "completed" and cursors:
                    _advance_cursors(root, cursors, logger)
    logger.info(
        "run %s: %d read, %d new, %d already stored, %d rejected",
        run_id,
        total.read,
        total.new,
        total.already_stored,
        total.rejected,
    )
    if not params.dry_run and params.report:
        # The data is durable by now: a report that cannot be drawn is logged, not a failure.
        try:
            summary.report = refresh_report(root)
        except Exception:
            logger.exception("the HTML report could not be written")
    create_markdown_artifact(
        summary.markdown(),
        key="wiredup-ingest-summary",
        description="Per-source counts of this ingest run, links to the data and the report",
    )
    create_table_artifact(
        summary.rows(),
        key="wiredup-ingest-sources",
        description="Per-source counts of this ingest run (the last row is the total)",
    )
    return summary


@flow(name="wiredup-ingest", log_prints=True)
def ingest_flow(params: IngestParameters = DEFAULT_PARAMETERS) -> RunSummary:
    """Ingest every declared source once into the storage root."""
    return run_ingest(params)
