"""The declared Arrow schemas of what storage writes beside the stories, each field documented.

The story record itself is declared in ``record.schema``.

Parquet files are written with these schemas and never with inferred ones. Hive partition
columns (``story_date``, ``reject_date``, ``run_date``) live in the directory names, not in
the files, so every reader (DuckDB, polars, pandas, Spark) sees each of them exactly once.
"""

from __future__ import annotations

import pyarrow as pa

from record.schema import UTC_TIME, signature_fields

__all__ = [
    "CLUSTERING_SCHEMA",
    "KILL_SCHEMA",
    "REJECT_SCHEMA",
    "RUN_SCHEMA",
    "SIGNATURE_SCHEMA",
    "signature_schema",
]

_UTC = UTC_TIME


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


def signature_schema(num_perm: int) -> pa.Schema:
    """The signatures dataset: what rebuilds the history window without re-reading text."""
    return pa.schema(
        [
            _f("story_id", pa.string(), "The story these values belong to.", False),
            *signature_fields(num_perm),
        ]
    )


SIGNATURE_SCHEMA = signature_schema(128)

REJECT_SCHEMA = pa.schema(
    [
        _f("source", pa.string(), "Source the payload came from.", False),
        _f("item_id", pa.string(), "Item id where one was known."),
        _f("reason", pa.string(), "Why it was rejected.", False),
        _f("sha256", pa.string(), "sha256 of the raw bytes (null if they could not be read)."),
        _f("size", pa.int64(), "Size of the raw bytes.", False),
        _f("location", pa.string(), "Path or URL it was read from.", False),
        _f("quarantine_path", pa.string(), "Where the raw bytes are kept under the storage root."),
        _f("fetched_at", _UTC, "When it was read.", False),
        _f("run_id", pa.string(), "The run that rejected it.", False),
    ]
)

RUN_SCHEMA = pa.schema(
    [
        _f("run_id", pa.string(), "Id of the run.", False),
        _f("flow", pa.string(), "Which flow ran (ingest, backfill, maintenance).", False),
        _f("status", pa.string(), "completed or failed.", False),
        _f("started_at", _UTC, "Start, UTC.", False),
        _f("finished_at", _UTC, "End, UTC.", False),
        _f("seconds", pa.float64(), "Wall time.", False),
        _f("parameters", pa.string(), "The run's parameters, JSON.", False),
        _f("read", pa.int64(), "Stories read from the sources.", False),
        _f("new", pa.int64(), "Stories written.", False),
        _f(
            "already_stored",
            pa.int64(),
            "Stories skipped because their story_id was stored.",
            False,
        ),
        _f("exact", pa.int64(), "New stories that were exact duplicates.", False),
        _f("near", pa.int64(), "New stories that were near duplicates.", False),
        _f("containment", pa.int64(), "New stories matched by containment.", False),
        _f("rejected", pa.int64(), "Payloads rejected.", False),
        _f("per_source", pa.string(), "The same counts per source, JSON.", False),
        _f("error", pa.string(), "Error message of a failed run."),
    ]
)


KILL_SCHEMA = pa.schema(
    [
        _f("source", pa.string(), "Source of the killed item.", False),
        _f(
            "item_id",
            pa.string(),
            "The killed item: every version of (source, item_id) is withdrawn, earlier or later.",
            False,
        ),
        _f("version", pa.int64(), "Version of the item that carried the kill.", False),
        _f(
            "killed_by",
            pa.string(),
            "story_id of the canceled version (stored in stories/ with pubstatus canceled).",
            False,
        ),
        _f("killed_at", _UTC, "When the agency issued the kill (published_at of that version)."),
        _f("recorded_at", _UTC, "When Wiredup recorded the kill, UTC.", False),
        _f("run_id", pa.string(), "The run that recorded it.", False),
    ]
)


CLUSTERING_SCHEMA = pa.schema(
    [
        _f("story_id", pa.string(), "The story assigned.", False),
        _f("story_date", pa.date32(), "Its story date.", False),
        _f("cluster_id", pa.string(), "Its cluster in this clustering (a story_id).", False),
        _f("stored_cluster_id", pa.string(), "Its streaming cluster_id in stories/.", False),
        _f("dup_kind", pa.string(), "How it matched in this clustering (null: started one)."),
        _f("dup_of", pa.string(), "The story it matched."),
        _f("similarity", pa.float64(), "Similarity of that match."),
        _f("match_rule", pa.string(), "The rule that fired."),
    ]
)
