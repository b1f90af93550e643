"""The ingest flow: sources -> normalized stories -> matched against history -> Parquet.

Thin on purpose: every step is a plain function of ``ingest``, ``dedupe`` or ``storage``,
wrapped as a task here and sequenced in the order DESIGN.md gives. Only transient errors are
retried.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.runtime import flow_run

from dedupe import (
    DEFAULT_MINHASH,
    Match,
    Matcher,
    MatchParams,
    MinHashParams,
    Signer,
    shingle_texts,
)
from flows.params import IngestParameters
from flows.summary import RunSummary
from ingest import (
    ConfigError,
    RawItem,
    Reject,
    Source,
    Story,
    is_transient,
    load_sources,
    prepare,
    read_directory,
)
from storage import (
    StorageRoot,
    load_window,
    stored_story_ids,
    story_row,
    write_rejects,
    write_run,
    write_signatures,
    write_stories,
)

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
def read_source(source: Source) -> tuple[list[RawItem], list[Reject]]:
    """Every payload a source holds now."""
    return read_directory(source)


@task(name="prepare", cache_policy=NONE)
def prepare_items(raws: list[RawItem]) -> tuple[list[Story], list[Reject]]:
    """Parse and normalize payloads."""
    return prepare(raws)


@task(name="sign", cache_policy=NONE)
def sign(stories: list[Story], params: MinHashParams) -> tuple[list[np.ndarray], np.ndarray]:
    """Shingle sets and MinHash signatures of the stories."""
    shingles = shingle_texts([s.matching_text() for s in stories], params.shingle_size)
    return shingles, Signer(params).sign_many(shingles)


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
    return [
        matcher.assign(s.story_id, s.content_hash, shingles[i], signatures[i])
        for i, s in enumerate(stories)
    ]


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
    """Signatures first, then the stories (the commit point), then rejects."""
    written = write_signatures(
        root,
        minhash,
        [s.story_id for s in stories],
        [s.story_date for s in stories],
        signatures,
        shingles,
    )
    now = datetime.now(UTC)
    rows = [story_row(s, m, run_id, now) for s, m in zip(stories, matches, strict=True)]
    written += write_stories(root, rows)
    written += write_rejects(root, rejects, run_id, raws)
    return written


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


def run_ingest(params: IngestParameters, minhash: MinHashParams = DEFAULT_MINHASH) -> RunSummary:
    """The body of the ingest flow; call it inside a flow run."""
    logger = get_run_logger()
    started = datetime.now(UTC)
    clock = time.perf_counter()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    root = StorageRoot(params.root)
    summary = RunSummary(run_id=run_id, root=root.display(), dry_run=params.dry_run)
    row: dict[str, Any] = {
        "run_id": run_id,
        "flow": "ingest",
        "started_at": started,
        "parameters": params.model_dump_json(),
        "error": None,
    }
    try:
        sources = _select_sources(params)
        raws: list[RawItem] = []
        rejects: list[Reject] = []
        for source in sources:
            summary.source(source.name)
            source_raws, source_rejects = read_source.with_options(name=f"read-{source.name}")(
                source
            )
            raws += source_raws
            rejects += source_rejects
        stories, parse_rejects = prepare_items(raws)
        rejects += parse_rejects

        stored = stored_story_ids(root)
        new: dict[str, Story] = {}
        for story in stories:
            counts = summary.source(story.source)
            counts.read += 1
            if story.story_id in stored or story.story_id in new:
                counts.already_stored += 1
            else:
                new[story.story_id] = story
        batch = sorted(new.values(), key=_order)
        shingles, signatures = sign(batch, minhash)
        matches = match(root, batch, shingles, signatures, minhash, params.match_params())
        for story, m in zip(batch, matches, strict=True):
            counts = summary.source(story.source)
            counts.new += 1
            if m.dup_kind is not None:
                setattr(counts, m.dup_kind, getattr(counts, m.dup_kind) + 1)
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
        if not params.dry_run and row.get("status") is not None:
            try:
                write_run(root, row)
            except Exception:
                logger.exception("the run row could not be written")
    logger.info(
        "run %s: %d read, %d new, %d already stored, %d rejected",
        run_id,
        total.read,
        total.new,
        total.already_stored,
        total.rejected,
    )
    create_markdown_artifact(
        summary.markdown(),
        key="wiredup-ingest-summary",
        description="Per-source counts of this ingest run",
    )
    return summary


@flow(name="wiredup-ingest", log_prints=True)
def ingest_flow(params: IngestParameters = DEFAULT_PARAMETERS) -> RunSummary:
    """Ingest every declared source once into the storage root."""
    return run_ingest(params)
