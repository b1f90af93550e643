"""The ``wiredup`` command line: run a flow once, print what it did."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from flows.logs import LIBRARY_LOGGERS
from flows.options import Alias, add_model_options, model_values
from flows.params import (
    BackfillParameters,
    IngestParameters,
    MaintenanceParameters,
    ReportParameters,
)
from flows.server import TemporaryServer

__all__ = ["ALIASES", "COMMANDS", "LOCK_HELD_STATUS", "main", "parser"]

#: Exit status when another run holds the storage root's writer lock.
LOCK_HELD_STATUS = 3
#: The commands that run a Prefect flow (and so need a Prefect API).
_FLOW_COMMANDS = frozenset({"run", "backfill", "compact"})

_QUERY = (
    "SELECT cluster_id, count(*) AS versions, list(source || '/' || item_id) AS items "
    "FROM read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true) "
    "GROUP BY cluster_id ORDER BY versions DESC"
)


#: Flags operators already type, kept over the generated ``--field-name``: the one table of
#: them, by subcommand and field.
ALIASES: dict[str, dict[str, Alias]] = {
    "run": {
        "sources_file": Alias("--sources", "FILE"),
        "sources": Alias("--source", "NAME"),
        "root": Alias("--root", "DIR"),
        "dask_address": Alias("--dask-address", "ADDR"),
        "lock_wait_seconds": Alias("--lock-wait", "SECONDS"),
    },
    "backfill": {
        "date_from": Alias("--from"),
        "date_to": Alias("--to"),
        "root": Alias("--root", "DIR"),
        "lock_wait_seconds": Alias("--lock-wait", "SECONDS"),
    },
    "compact": {
        "root": Alias("--root", "DIR"),
        "lock_wait_seconds": Alias("--lock-wait", "SECONDS"),
    },
    "report": {
        "root": Alias("--root", "DIR"),
        "out": Alias("--out", "FILE"),
    },
}

#: Each subcommand, what it does, and the model its options are generated from.
COMMANDS: dict[str, tuple[str, type[BaseModel]]] = {
    "run": ("ingest every declared source once", IngestParameters),
    "backfill": (
        "re-cluster the stored stories of a date range into a new clustering",
        BackfillParameters,
    ),
    "compact": (
        "merge the small Parquet parts of each partition (maintenance)",
        MaintenanceParameters,
    ),
    "report": ("write a self-contained HTML report of the stored stories", ReportParameters),
}


def parser() -> argparse.ArgumentParser:
    """The ``wiredup`` parser: one subcommand per entry of ``COMMANDS``."""
    top = argparse.ArgumentParser(
        prog="wiredup", description="Wire feeds to one clean, deduplicated Parquet dataset."
    )
    commands = top.add_subparsers(dest="command", required=True)
    for name, (summary, model) in COMMANDS.items():
        command = commands.add_parser(name, help=summary, description=f"{summary}.")
        add_model_options(command, model, ALIASES.get(name))
    return top


_M = TypeVar("_M", bound=BaseModel)
_R = TypeVar("_R")


class _Exit(Exception):
    """Leave a command with this exit status; the message was printed already."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _parameters(model: type[_M], args: argparse.Namespace) -> _M:
    """The typed parameters of a command; options not given keep the model's defaults."""
    try:
        return model(**model_values(args, model))
    except ValidationError as exc:
        raise _Exit(_validation_errors(exc)) from exc


def _guarded(call: Callable[[], _R]) -> _R:
    """Run a flow, turning Wiredup's errors into a message and an exit status."""
    from ingest import WiredupError
    from storage.lock import LockHeld

    try:
        return call()
    except LockHeld as exc:
        print(f"wiredup: {exc}", file=sys.stderr)
        raise _Exit(LOCK_HELD_STATUS) from exc
    except WiredupError as exc:
        print(f"wiredup: {exc}", file=sys.stderr)
        raise _Exit(1) from exc


#: Prefect's setting of the flow-run heartbeat interval (seconds; None: no heartbeats).
_HEARTBEATS = "flows.heartbeat_frequency"

#: The temporary Prefect server this command started before anything else (``flows.server``).
_early_server: TemporaryServer | None = None


def _flow(call: Callable[[], _R]) -> _R:
    """Run a flow as ``_guarded`` does, then let a temporary Prefect server record it.

    The flow runs against the server ``main`` started early where it is wanted. Stopping a
    temporary server while it still records the run's task runs prints tracebacks after a run
    that succeeded (see ``flows.settle``).
    """
    from flows.settle import settle

    server = _early_server
    if server is None or not server.adopt():
        return _settled(call, lambda since: settle(since))
    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

    server.wait_ready()
    # No UI URL: the temporary server serves none, so no "View at" link leads nowhere.
    # No flow-run heartbeats: they tell a lasting server that a run is still alive (so it can
    # mark a crashed one), and this server ends with the command; Prefect's heartbeat thread
    # sleeps in one-second steps and the flow run's end waits for it, up to a second a run.
    updates = {PREFECT_API_URL: server.api_url, PREFECT_UI_URL: "", _HEARTBEATS: None}
    with temporary_settings(updates=updates):
        return _settled(call, lambda since: settle(since, temporary=True))


def _settled(call: Callable[[], _R], settle: Callable[[datetime], object]) -> _R:
    since = datetime.now(UTC)
    try:
        return _guarded(call)
    finally:
        try:
            settle(since)
        except Exception as exc:  # the run's outcome stands; only its history may be short
            logging.getLogger(__name__).warning("could not wait for the Prefect server: %s", exc)


def _run(args: argparse.Namespace) -> int:
    params = _parameters(IngestParameters, args)

    from flows import progress
    from flows.ingest import ingest_flow
    from ingest.normalize import load_tables
    from pipeline.summary import link

    if _early_server is not None:
        # What the first story would load, loaded while the temporary server starts.
        load_tables()

    if sys.stderr.isatty():
        # Bars on a terminal; elsewhere the flow logs plain progress lines itself.
        with progress.installed(progress.RichProgress()):
            summary = _flow(lambda: ingest_flow(params))
    else:
        summary = _flow(lambda: ingest_flow(params))
    print()
    print(
        f"Run {summary.run_id} into {summary.root}"
        f"{' (dry run: nothing written)' if summary.dry_run else ''}"
    )
    total = summary.total
    if total.new == 0 and total.already_stored:
        print(f"No new story: all {total.already_stored} stories read were already stored.")
    if summary.reject_reasons:
        print("Rejected:")
        for source, item, reason in summary.reject_reasons:
            print(f"  {source}/{item}: {reason}")
    query = _QUERY.format(root=summary.root)
    print("\nOne row per report, with DuckDB:")
    print(f"  {query}")
    print(f'  {sys.executable} -c "import duckdb; duckdb.sql(\\"{query}\\").show()"')
    if summary.report:
        print(f"\nReport: {link(summary.root, summary.report)}")
    # The run ends with its per-source table, where a terminal leaves it in view.
    print()
    print(summary.table())
    return 0


def _report(args: argparse.Namespace) -> int:
    params = _parameters(ReportParameters, args)

    from flows.report import report

    where = _guarded(lambda: report(params.root, params.out))
    print(f"Report written to {where}")
    return 0


def _validation_errors(exc: ValidationError) -> int:
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "parameters"
        print(f"wiredup: {field}: {error['msg']}", file=sys.stderr)
    return 2


def _backfill(args: argparse.Namespace) -> int:
    params = _parameters(BackfillParameters, args)

    from flows.backfill import backfill_flow

    summary = _flow(lambda: backfill_flow(params))
    print()
    print(
        f"Re-clustering {summary['clustering_id']} of {summary['date_from']} to "
        f"{summary['date_to']}{' (dry run: nothing written)' if summary['dry_run'] else ''}"
    )
    print(
        f"  {summary['stories']} stories in {summary['clusters']} clusters; "
        f"{summary['changed_from_streaming']} differ from their streaming cluster_id; "
        f"{summary['seconds']} s"
    )
    for kind, count in sorted(summary["kinds"].items()):
        print(f"  {kind:<12} {count}")
    for path in summary["written"]:
        print(f"  wrote {path}")
    return 0


def _compact(args: argparse.Namespace) -> int:
    params = _parameters(MaintenanceParameters, args)

    from flows.maintenance import maintenance_flow

    report = _flow(lambda: maintenance_flow(params))
    print()
    print(report.markdown())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wiredup`` and ``python -m flows``."""
    # Library logs (ingest, dedupe, storage) reach the Prefect run logger and the UI.
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", ",".join(LIBRARY_LOGGERS))
    # Nothing leaves the machine: the temporary server must not phone home, nor Prefect's SDK
    # send its usage events from a terminal (it honours the DO_NOT_TRACK convention).
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    args = parser().parse_args(argv)
    commands = {"run": _run, "backfill": _backfill, "report": _report, "compact": _compact}
    if args.command in _FLOW_COMMANDS:
        # First, so the server starts while this process imports the pipeline.
        global _early_server
        _early_server = TemporaryServer.start_early()
    try:
        return commands[args.command](args)
    except _Exit as exit_:
        return exit_.status
