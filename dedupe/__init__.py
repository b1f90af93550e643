"""Deduplication: shingles, MinHash signatures, LSH candidates, verification, stable clusters.

Plain Python: nothing here imports Prefect.
"""

from dedupe.clusters import DUP_KINDS, Match, Matcher, Member
from dedupe.params import DEFAULT_MATCH, DEFAULT_MINHASH, MatchParams, MinHashParams
from dedupe.shingles import shingle_set
from dedupe.signatures import Signer, estimate_jaccard, shingle_texts
from dedupe.verify import Overlap, overlap

__all__ = [
    "DEFAULT_MATCH",
    "DEFAULT_MINHASH",
    "DUP_KINDS",
    "Match",
    "MatchParams",
    "Matcher",
    "Member",
    "MinHashParams",
    "Overlap",
    "Signer",
    "estimate_jaccard",
    "overlap",
    "shingle_set",
    "shingle_texts",
]
