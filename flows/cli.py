"""The ``wiredup`` command line: run a flow once, print what it did."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = ["LOCK_HELD_STATUS", "main"]

#: Exit status when another run holds the storage root's writer lock.
LOCK_HELD_STATUS = 3

_QUERY = (
    "SELECT cluster_id, count(*) AS versions, list(source || '/' || item_id) AS items "
    "FROM read_parquet('{root}/stories/**/*.parquet', hive_partitioning = true) "
    "GROUP BY cluster_id ORDER BY versions DESC"
)


def _lock_wait_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lock-wait",
        type=float,
        metavar="SECONDS",
        help="wait this long while another run holds the storage root's lock "
        "(default 0: exit at once with status 3)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wiredup", description="Wire feeds to one clean, deduplicated Parquet dataset."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest every declared source once")
    run.add_argument(
        "--sources",
        default="sources.toml",
        metavar="FILE",
        help="the sources.toml to read (default: %(default)s)",
    )
    run.add_argument(
        "--root",
        default="data",
        metavar="DIR",
        help="storage root, a folder or s3://bucket/prefix (default: %(default)s)",
    )
    run.add_argument(
        "--source",
        action="append",
        dest="only",
        metavar="NAME",
        help="only this source (repeatable)",
    )
    run.add_argument(
        "--near-threshold",
        type=float,
        metavar="X",
        help="verified Jaccard from which stories are near duplicates",
    )
    run.add_argument(
        "--containment-threshold",
        type=float,
        metavar="X",
        help="containment from which a brief joins its full story",
    )
    run.add_argument(
        "--window-days",
        type=int,
        metavar="N",
        help="days of history either side of the new stories' dates",
    )
    run.add_argument("--dry-run", action="store_true", help="read and match, write nothing")
    run.add_argument(
        "--dask-address",
        metavar="ADDR",
        help="run the parse-normalize-sign stage on the dask.distributed scheduler at ADDR, "
        "e.g. tcp://10.0.0.5:8786 (default: a local process pool; see docs/dask.md)",
    )
    run.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes for the parse-normalize-sign stage (default: one per core)",
    )
    run.add_argument(
        "--no-report",
        dest="report",
        action="store_false",
        help="do not rewrite the HTML report (reports/latest.html) at the end",
    )
    _lock_wait_option(run)
    back = commands.add_parser(
        "backfill", help="re-cluster the stored stories of a date range into a new clustering"
    )
    back.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    back.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    back.add_argument(
        "--root", default="data", metavar="DIR", help="storage root (default: %(default)s)"
    )
    back.add_argument("--near-threshold", type=float, metavar="X")
    back.add_argument("--containment-threshold", type=float, metavar="X")
    back.add_argument("--window-days", type=int, metavar="N")
    back.add_argument("--dry-run", action="store_true", help="re-cluster, write nothing")
    _lock_wait_option(back)
    comp = commands.add_parser(
        "compact", help="merge the small Parquet parts of each partition (maintenance)"
    )
    comp.add_argument(
        "--root", default="data", metavar="DIR", help="storage root (default: %(default)s)"
    )
    comp.add_argument(
        "--min-files",
        type=int,
        metavar="N",
        help="merge a partition once it holds N parts or more (default 8)",
    )
    comp.add_argument("--dry-run", action="store_true", help="say what would be merged")
    _lock_wait_option(comp)
    report = commands.add_parser(
        "report", help="write a self-contained HTML report of the stored stories"
    )
    report.add_argument(
        "--root", default="data", metavar="DIR", help="storage root (default: %(default)s)"
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="where to write the page (default: <root>/reports/latest.html)",
    )
    return parser


_M = TypeVar("_M", bound=BaseModel)
_R = TypeVar("_R")


class _Exit(Exception):
    """Leave a command with this exit status; the message was printed already."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _parameters(model: type[_M], values: dict[str, Any]) -> _M:
    """The typed parameters of a command; options not given keep the model's defaults."""
    try:
        return model(**{k: v for k, v in values.items() if v is not None})
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


def _run(args: argparse.Namespace) -> int:
    from flows.params import IngestParameters

    values = {
        "sources_file": args.sources,
        "root": args.root,
        "sources": args.only,
        "near_threshold": args.near_threshold,
        "containment_threshold": args.containment_threshold,
        "window_days": args.window_days,
        "dry_run": args.dry_run,
        "dask_address": args.dask_address,
        "workers": args.workers,
        "report": args.report,
        "lock_wait_seconds": args.lock_wait,
    }
    params = _parameters(IngestParameters, values)

    from flows import progress
    from flows.ingest import ingest_flow
    from pipeline.summary import link

    if sys.stderr.isatty():
        # Bars on a terminal; elsewhere the flow logs plain progress lines itself.
        with progress.installed(progress.RichProgress()):
            summary = _guarded(lambda: ingest_flow(params))
    else:
        summary = _guarded(lambda: ingest_flow(params))
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
    from flows.report import report

    where = _guarded(lambda: report(args.root, args.out))
    print(f"Report written to {where}")
    return 0


def _validation_errors(exc: ValidationError) -> int:
    for error in exc.errors():
        field = ".".join(str(p) for p in error["loc"]) or "parameters"
        print(f"wiredup: {field}: {error['msg']}", file=sys.stderr)
    return 2


def _backfill(args: argparse.Namespace) -> int:
    from flows.params import BackfillParameters

    values = {
        "date_from": args.date_from,
        "date_to": args.date_to,
        "root": args.root,
        "near_threshold": args.near_threshold,
        "containment_threshold": args.containment_threshold,
        "window_days": args.window_days,
        "dry_run": args.dry_run,
        "lock_wait_seconds": args.lock_wait,
    }
    params = _parameters(BackfillParameters, values)

    from flows.backfill import backfill_flow

    summary = _guarded(lambda: backfill_flow(params))
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
    from flows.params import MaintenanceParameters

    values = {
        "root": args.root,
        "min_files": args.min_files,
        "dry_run": args.dry_run,
        "lock_wait_seconds": args.lock_wait,
    }
    params = _parameters(MaintenanceParameters, values)

    from flows.maintenance import maintenance_flow

    report = _guarded(lambda: maintenance_flow(params))
    print()
    print(report.markdown())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``wiredup`` and ``python -m flows``."""
    # Library logs (ingest, dedupe, storage) reach the Prefect run logger and the UI.
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "ingest,dedupe,storage,pipeline,record")
    # Nothing leaves the machine: the temporary server must not phone home.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    args = _parser().parse_args(argv)
    commands = {"run": _run, "backfill": _backfill, "report": _report, "compact": _compact}
    try:
        return commands[args.command](args)
    except _Exit as exit_:
        return exit_.status
