"""The story record: every column a story has between the stages, each documented once.

A story crosses the stages as one Arrow table, a ``StoryBatch`` (``record.batch``), one row per
story; each stage adds the columns it owns and no other:

- ``ingest`` makes the record: identity, clean text, the markers moved into fields, times,
  wire semantics, and the ``story_date`` partition (``INGEST``);
- ``dedupe`` signs it (``DEDUPE``: the MinHash values, the shingle set and its anchors, which
  storage keeps apart in ``signatures/``) and matches it (``MATCH``: its cluster, and why);
- ``storage`` stamps the run that wrote it (``STORAGE``) and writes what it is given.

``STORY_SCHEMA`` is what a ``stories/`` Parquet file holds; ``STORY_DATASET_SCHEMA`` adds the
hive partition column as readers see it. The README's schema table is checked against it.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "DEDUPE",
    "INGEST",
    "MATCH",
    "STAGES",
    "STORAGE",
    "STORY_DATASET_SCHEMA",
    "STORY_DATE",
    "STORY_SCHEMA",
    "UTC_TIME",
    "columns_of",
    "field_docs",
    "field_stage",
    "record_field",
    "signature_fields",
]

#: The stages, in the order they add their columns.
INGEST, DEDUPE, MATCH, STORAGE = "ingest", "dedupe", "match", "storage"
STAGES = (INGEST, DEDUPE, MATCH, STORAGE)

#: Every time of a record: microseconds, UTC.
UTC_TIME = pa.timestamp("us", tz="UTC")
_UTC = UTC_TIME


def record_field(
    name: str, stage: str, type_: pa.DataType, doc: str, nullable: bool = True
) -> pa.Field:
    """A documented field of the story record, with the stage that fills it."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {', '.join(STAGES)}")
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc, "stage": stage})


_f = record_field

_STORY_FIELDS = (
    _f(
        "story_id",
        INGEST,
        pa.string(),
        "Stable key of one version of one item: 32 hex digits of "
        "sha256(source, item_id, version), with the revision added from revision 1 on. "
        "Never reused, never rewritten.",
        False,
    ),
    _f("source", INGEST, pa.string(), "Name of the source in sources.toml.", False),
    _f(
        "item_id",
        INGEST,
        pa.string(),
        "The source's own identity of the item: guid, uri, or file name without extension.",
        False,
    ),
    _f(
        "version",
        INGEST,
        pa.int64(),
        "The item's version as the agency numbers it (1 where the format has none).",
        False,
    ),
    _f(
        "revision",
        INGEST,
        pa.int64(),
        "0 for the first content stored under (source, item_id, version); 1, 2... for other "
        "content re-sent under the same key, each its own row and story_id (null in files "
        "written before revisions were kept: read it as 0).",
    ),
    _f(
        "revision_of",
        INGEST,
        pa.string(),
        "The story_id of the revision this row revises (the latest one stored before it); "
        "null for revision 0.",
    ),
    _f(
        "cluster_id",
        MATCH,
        pa.string(),
        "The report this story belongs to: the story_id of the "
        "cluster's first story. Count reports with count(DISTINCT cluster_id).",
        False,
    ),
    _f(
        "dup_kind",
        MATCH,
        pa.string(),
        "Null for the story that started its cluster; else how it matched: version (an "
        "earlier version of the same item), exact, near or containment.",
    ),
    _f(
        "dup_of",
        MATCH,
        pa.string(),
        "The story_id of the stored story this one matched (null when dup_kind is null).",
    ),
    _f(
        "similarity",
        MATCH,
        pa.float64(),
        "Similarity of the match: 1.0 for exact, containment for containment, verified "
        "Jaccard for near and version.",
    ),
    _f(
        "jaccard",
        MATCH,
        pa.float64(),
        "Verified Jaccard similarity of the word-shingle sets of this story and dup_of.",
    ),
    _f(
        "jaccard_estimate",
        MATCH,
        pa.float64(),
        "Jaccard similarity estimated from the two MinHash signatures.",
    ),
    _f(
        "containment",
        MATCH,
        pa.float64(),
        "Share of the smaller story's shingles found in the larger.",
    ),
    _f("match_rule", MATCH, pa.string(), "The rule that fired, with the figures and thresholds."),
    _f("headline", INGEST, pa.string(), "Normalized headline; null where the format has none."),
    _f(
        "body",
        INGEST,
        pa.string(),
        "Clean text without credits, dateline or copyright line; paragraphs "
        "separated by one blank line.",
        False,
    ),
    _f(
        "agencies",
        INGEST,
        pa.list_(pa.string()),
        "Agencies named by the credit, dateline and copyright "
        "line, lower-case (afp, ats, reuters...), in the order written.",
        False,
    ),
    _f(
        "editors",
        INGEST,
        pa.list_(pa.string()),
        "Editor initials from the credit (nxp in (ats/nxp)).",
        False,
    ),
    _f(
        "dateline", INGEST, pa.string(), "Place (and date where given) of the dateline, e.g. PARIS."
    ),
    _f("copyright", INGEST, pa.string(), "Copyright line taken off the end of the body."),
    _f(
        "published_at",
        INGEST,
        _UTC,
        "When the agency published the item, UTC. For a text file with "
        "'date YYYY-MM' it is the first of the month; see date_precision.",
    ),
    _f(
        "date_precision",
        INGEST,
        pa.string(),
        "How much of published_at the source gave: month, day or second.",
        False,
    ),
    _f(
        "language",
        INGEST,
        pa.string(),
        "ISO 639-1 language of the body (detected unless the source says).",
    ),
    _f(
        "content_hash",
        INGEST,
        pa.string(),
        "sha256 of the body's lower-cased words: equal for copies "
        "that differ only in markers or typography.",
        False,
    ),
    _f(
        "pubstatus",
        INGEST,
        pa.string(),
        "IPTC publication status: usable, withheld or canceled.",
        False,
    ),
    _f("embargo_until", INGEST, _UTC, "Embargo time, UTC, where the agency set one."),
    _f(
        "format",
        INGEST,
        pa.string(),
        "Wire format the item came in (text, rss, ninjs, newsml-g2, nitf, newsml-1.2, anpa, "
        "iptc7901, ap-media, dpa-digitalwires, email).",
        False,
    ),
    _f(
        "signals",
        INGEST,
        pa.list_(pa.string()),
        "Wire signals of this version, lower-case: update, correction, repeat, append, embargo "
        "(a release instruction in the text), translation... "
        "(empty where the format has none).",
        False,
    ),
    _f(
        "flags",
        INGEST,
        pa.list_(pa.string()),
        "Notes on the record, e.g. markers-kept-body-would-be-empty.",
        False,
    ),
    _f(
        "byline",
        INGEST,
        pa.string(),
        "Who wrote the story, without By/Von/Par (HILLEL ITALIE, Associated Press Writer); "
        "from the format or the copy, null where neither gives one.",
    ),
    _f(
        "ednote",
        INGEST,
        pa.string(),
        "Editor's notes to desks (Eds: lines, (Adds comments, detail)), one a line; not text.",
    ),
    _f("urgency", INGEST, pa.int64(), "The agency's priority, 1 (flash) to 8, where it gives one."),
    _f("run_id", STORAGE, pa.string(), "The run that wrote the record.", False),
    _f("ingested_at", STORAGE, _UTC, "When the record was written, UTC.", False),
)

STORY_SCHEMA = pa.schema(list(_STORY_FIELDS))

#: The partition column: a column of the batch, a directory name in the dataset.
STORY_DATE = _f(
    "story_date",
    INGEST,
    pa.date32(),
    "Partition: the UTC date of published_at (of the run where the item has no date).",
    False,
)

#: The stories dataset as readers see it: the file schema plus the hive partition column.
STORY_DATASET_SCHEMA = STORY_SCHEMA.append(STORY_DATE)


def signature_fields(num_perm: int) -> tuple[pa.Field, pa.Field, pa.Field]:
    """The columns dedupe adds by signing: kept in ``signatures/``, not in ``stories/``."""
    return (
        _f("signature", DEDUPE, pa.list_(pa.uint32(), num_perm), "MinHash hash values.", False),
        _f(
            "shingles",
            DEDUPE,
            pa.list_(pa.uint32()),
            "Sorted unique 32-bit word-shingle hashes, for verifying candidates.",
            False,
        ),
        _f(
            "anchors",
            DEDUPE,
            pa.list_(pa.uint32()),
            "The shingles chosen by value as anchors (one in 16, dedupe.anchors): stories "
            "sharing some are candidates whatever their Jaccard (null in files signed before "
            "anchors were stored: those stories are proposed by LSH only).",
        ),
    )


def field_stage(field: pa.Field) -> str:
    """The stage that fills ``field``."""
    return str((field.metadata or {}).get(b"stage", b"").decode())


def columns_of(stage: str, num_perm: int = 128) -> list[pa.Field]:
    """The fields ``stage`` adds to a story, in record order."""
    fields = [*STORY_DATASET_SCHEMA, *signature_fields(num_perm)]
    return [f for f in fields if field_stage(f) == stage]


def field_docs(schema: pa.Schema) -> dict[str, str]:
    """Field name to its documentation, as stored in the schema."""
    return {f.name: (f.metadata or {}).get(b"doc", b"").decode() for f in schema}
