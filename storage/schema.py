"""The declared Arrow schemas of everything Wiredup writes, with each field documented.

Parquet files are written with these schemas and never with inferred ones. Hive partition
columns (``story_date``, ``reject_date``, ``run_date``) live in the directory names, not in
the files, so every reader (DuckDB, polars, pandas, Spark) sees each of them exactly once.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "CLUSTERING_SCHEMA",
    "KILL_SCHEMA",
    "REJECT_SCHEMA",
    "RUN_SCHEMA",
    "SIGNATURE_SCHEMA",
    "STORY_DATASET_SCHEMA",
    "STORY_SCHEMA",
    "field_docs",
    "signature_schema",
]

_UTC = pa.timestamp("us", tz="UTC")


def _f(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


STORY_SCHEMA = pa.schema(
    [
        _f(
            "story_id",
            pa.string(),
            "Stable key of one version of one item: 32 hex digits of "
            "sha256(source, item_id, version). Never reused, never rewritten.",
            False,
        ),
        _f("source", pa.string(), "Name of the source in sources.toml.", False),
        _f(
            "item_id",
            pa.string(),
            "The source's own identity of the item: guid, uri, or file name without extension.",
            False,
        ),
        _f(
            "version",
            pa.int64(),
            "The item's version as the agency numbers it (1 where the format has none).",
            False,
        ),
        _f(
            "cluster_id",
            pa.string(),
            "The report this story belongs to: the story_id of the "
            "cluster's first story. Count reports with count(DISTINCT cluster_id).",
            False,
        ),
        _f(
            "dup_kind",
            pa.string(),
            "Null for the story that started its cluster; else how it matched: version (an "
            "earlier version of the same item), exact, near or containment.",
        ),
        _f(
            "dup_of",
            pa.string(),
            "The story_id of the stored story this one matched (null when dup_kind is null).",
        ),
        _f(
            "similarity",
            pa.float64(),
            "Similarity of the match: 1.0 for exact, containment for containment, verified "
            "Jaccard for near and version.",
        ),
        _f(
            "jaccard",
            pa.float64(),
            "Verified Jaccard similarity of the word-shingle sets of this story and dup_of.",
        ),
        _f(
            "jaccard_estimate",
            pa.float64(),
            "Jaccard similarity estimated from the two MinHash signatures.",
        ),
        _f(
            "containment",
            pa.float64(),
            "Share of the smaller story's shingles found in the larger.",
        ),
        _f("match_rule", pa.string(), "The rule that fired, with the figures and thresholds."),
        _f("headline", pa.string(), "Normalized headline; null where the format has none."),
        _f(
            "body",
            pa.string(),
            "Clean text without credits, dateline or copyright line; paragraphs "
            "separated by one blank line.",
            False,
        ),
        _f(
            "agencies",
            pa.list_(pa.string()),
            "Agencies named by the credit, dateline and copyright "
            "line, lower-case (afp, ats, reuters...), in the order written.",
            False,
        ),
        _f(
            "editors",
            pa.list_(pa.string()),
            "Editor initials from the credit (nxp in (ats/nxp)).",
            False,
        ),
        _f("dateline", pa.string(), "Place (and date where given) of the dateline, e.g. PARIS."),
        _f("copyright", pa.string(), "Copyright line taken off the end of the body."),
        _f(
            "published_at",
            _UTC,
            "When the agency published the item, UTC. For a text file with "
            "'date YYYY-MM' it is the first of the month; see date_precision.",
        ),
        _f(
            "date_precision",
            pa.string(),
            "How much of published_at the source gave: month, day or second.",
            False,
        ),
        _f(
            "language",
            pa.string(),
            "ISO 639-1 language of the body (detected unless the source says).",
        ),
        _f(
            "content_hash",
            pa.string(),
            "sha256 of the body's lower-cased words: equal for copies "
            "that differ only in markers or typography.",
            False,
        ),
        _f(
            "pubstatus",
            pa.string(),
            "IPTC publication status: usable, withheld or canceled.",
            False,
        ),
        _f("embargo_until", _UTC, "Embargo time, UTC, where the agency set one."),
        _f(
            "format",
            pa.string(),
            "Wire format the item came in (text, rss, ninjs, newsml-g2).",
            False,
        ),
        _f(
            "signals",
            pa.list_(pa.string()),
            "Wire signals of this version, lower-case: update, correction, repeat, append... "
            "(empty where the format has none).",
            False,
        ),
        _f(
            "flags",
            pa.list_(pa.string()),
            "Notes on the record, e.g. markers-kept-body-would-be-empty.",
            False,
        ),
        _f("run_id", pa.string(), "The run that wrote the record.", False),
        _f("ingested_at", _UTC, "When the record was written, UTC.", False),
    ]
)

#: The stories dataset as readers see it: the file schema plus the hive partition column.
STORY_DATASET_SCHEMA = STORY_SCHEMA.append(
    _f(
        "story_date",
        pa.date32(),
        "Partition: the UTC date of published_at (of the run where the item has no date).",
        False,
    )
)


def signature_schema(num_perm: int) -> pa.Schema:
    """The signatures dataset: what rebuilds the history window without re-reading text."""
    return pa.schema(
        [
            _f("story_id", pa.string(), "The story these values belong to.", False),
            _f("signature", pa.list_(pa.uint32(), num_perm), "MinHash hash values.", False),
            _f(
                "shingles",
                pa.list_(pa.uint32()),
                "Sorted unique 32-bit word-shingle hashes, for verifying candidates.",
                False,
            ),
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


def field_docs(schema: pa.Schema) -> dict[str, str]:
    """Field name to its documentation, as stored in the schema."""
    return {f.name: (f.metadata or {}).get(b"doc", b"").decode() for f in schema}
