"""The ingest flow: ``pipeline.run_ingest`` with its steps as Prefect tasks.

Thin on purpose: the sequence lives in ``pipeline.ingest``. This module adds orchestration
only: the steps as tasks (so the UI shows each one), the run id of the flow run, the secrets
of Prefect blocks, progress, the HTML report and the summary artifacts.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from typing import Any, Generic, TypeVar

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from dedupe import DEFAULT_MINHASH, MinHashParams
from flows import progress
from flows.logs import library_logs_at_info
from flows.params import IngestParameters
from flows.roots import open_root
from ingest import Credentials, Source, load_sources, resolve_credentials
from pipeline import RunSummary, Steps, commit, match, prepare_payloads, process_map, read_source
from pipeline import run_ingest as run_ingest_pipeline
from record.errors import ConfigError
from report import REPORT_PATH, write_report

__all__ = ["DEFAULT_PARAMETERS", "STEPS", "ingest_flow", "run_ingest"]

DEFAULT_PARAMETERS = IngestParameters()

_R = TypeVar("_R")


#: The pipeline's steps as tasks. No Prefect retry: an HTTP fetch retries its own transient
#: failures (ingest.http: backoff, Retry-After) within the source's deadline, and what still
#: fails is the source's reject, so a task-level retry could never fire.
class _Quoted(Generic[_R]):
    """A step's task, called with every argument quoted.

    Prefect walks each argument of a task for the futures and states of other tasks (the UI's
    dependency graph). The steps' arguments hold none, and over a large run they are large
    collections: the write step's map of 21,000 payloads took three seconds to walk.
    ``fn`` is the plain function, as a task's is.
    """

    def __init__(self, step: Task[..., _R]) -> None:
        self.task = step
        self.fn = step.fn

    def __call__(self, *args: Any, **kwargs: Any) -> _R:
        return self.task(*map(quote, args), **{k: quote(v) for k, v in kwargs.items()})


STEPS = Steps(
    read_source=task(name="read-source", cache_policy=NONE)(read_source),
    prepare=_Quoted(task(name="prepare-and-sign", cache_policy=NONE)(prepare_payloads)),
    match=_Quoted(task(name="match", cache_policy=NONE)(match)),
    commit=_Quoted(task(name="write", cache_policy=NONE)(commit)),
)


def _load_secret(name: str) -> str:
    """The value of a Prefect Secret block (the only place Wiredup touches one)."""
    from prefect.blocks.system import Secret

    block: Any = Secret.load(name, _sync=True)  # type: ignore[call-arg]
    value = block.get()
    if not isinstance(value, str):
        raise TypeError("the Secret block does not hold a string")
    return value


def _credentials(source: Source) -> Credentials | None:
    return resolve_credentials(
        source.name, source.auth, source.auth_scheme, environ=os.environ, load_secret=_load_secret
    )


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


@task(name="report", cache_policy=NONE)
def refresh_report(root: Any) -> str:
    """Rewrite the HTML report under the root from every stored story; return its path."""
    write_report(root)
    return REPORT_PATH


def run_ingest(params: IngestParameters, minhash: MinHashParams = DEFAULT_MINHASH) -> RunSummary:
    """The body of the ingest flow; call it inside a flow run."""
    library_logs_at_info()
    logger = get_run_logger()
    run_id = str(flow_run.get_id() or uuid.uuid4())
    root = open_root(params.root)
    sink = progress.current() or progress.LogProgress(logger)
    steps, map_batches = STEPS, process_map(params.worker_count())
    if params.dask_address:
        # Imported here: a local run need not load dask.distributed. Each batch is a task run
        # of its own on the cluster, so the step itself is not one more task around them.
        from flows.dask import dask_map

        steps = dataclasses.replace(STEPS, prepare=prepare_payloads)
        map_batches = dask_map(params.dask_address)
    summary = run_ingest_pipeline(
        _select_sources(params),
        root,
        run_id,
        parameters=params.model_dump_json(),
        minhash=minhash,
        match_params=params.match_params(),
        map_batches=map_batches,
        dry_run=params.dry_run,
        lock_wait_seconds=params.lock_wait_seconds,
        steps=steps,
        credentials=_credentials,
        progress=sink.update,
        logger=logger,
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
