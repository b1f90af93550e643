"""Deduplication: shingles, MinHash signatures, LSH candidates, verification, stable clusters.

Plain Python: nothing here imports Prefect, parses or normalizes. Dedupe takes a story batch
that ingest made (``record.StoryBatch``), signs it and matches it, adding its own columns.
"""

from dedupe.batch import (
    batch_profiles,
    entries,
    match_order,
    matchable,
    shingle_arrays,
    shingle_column,
    sign,
    signature_column,
    signature_matrix,
    with_matches,
)
from dedupe.clusters import DUP_KINDS, Entry, Match, Matcher
from dedupe.index import BandIndex, band_keys
from dedupe.params import DEFAULT_MATCH, DEFAULT_MINHASH, MatchParams, MinHashParams
from dedupe.recluster import DayBatch, recluster
from dedupe.shingles import matching_text, shingle_set
from dedupe.signatures import Signer, estimate_jaccard, shingle_texts
from dedupe.verify import Overlap, overlap
from dedupe.window import Member, ShingleStore, Window, item_key

__all__ = [
    "DEFAULT_MATCH",
    "DEFAULT_MINHASH",
    "DUP_KINDS",
    "BandIndex",
    "DayBatch",
    "Entry",
    "Match",
    "MatchParams",
    "Matcher",
    "Member",
    "MinHashParams",
    "Overlap",
    "ShingleStore",
    "Signer",
    "Window",
    "band_keys",
    "batch_profiles",
    "entries",
    "estimate_jaccard",
    "item_key",
    "match_order",
    "matchable",
    "matching_text",
    "overlap",
    "recluster",
    "shingle_arrays",
    "shingle_column",
    "shingle_set",
    "shingle_texts",
    "sign",
    "signature_column",
    "signature_matrix",
    "with_matches",
]
