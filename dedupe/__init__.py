"""Deduplication: shingles, MinHash signatures, LSH candidates, verification, stable clusters.

Plain Python: nothing here imports Prefect.
"""

from dedupe.clusters import DUP_KINDS, Entry, Match, Matcher
from dedupe.index import BandIndex, band_keys
from dedupe.params import DEFAULT_MATCH, DEFAULT_MINHASH, MatchParams, MinHashParams
from dedupe.recluster import DayBatch, recluster
from dedupe.shingles import shingle_set
from dedupe.signatures import Signer, estimate_jaccard, shingle_texts
from dedupe.stage import (
    DEFAULT_BATCH_SIZE,
    SignedBatch,
    batches_of,
    merge,
    prepare_and_sign,
    sign_batch,
    sign_stories,
)
from dedupe.verify import Overlap, overlap
from dedupe.window import Member, Window, item_key

__all__ = [
    "DEFAULT_BATCH_SIZE",
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
    "SignedBatch",
    "Signer",
    "Window",
    "band_keys",
    "batches_of",
    "estimate_jaccard",
    "item_key",
    "merge",
    "overlap",
    "prepare_and_sign",
    "recluster",
    "shingle_set",
    "shingle_texts",
    "sign_batch",
    "sign_stories",
]
