"""The named constants of matching, stored with the data so a change is detected.

``MinHashParams`` decide what a signature *is*: signatures made with other values cannot be
compared, so stored ones carry them and a mismatch is refused. ``MatchParams`` decide what
counts as a match; they may change from run to run.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = [
    "DEFAULT_MATCH",
    "DEFAULT_MINHASH",
    "MatchParams",
    "MinHashParams",
]

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SHINGLE_SIZE = 5
#: How a shingle becomes a 32-bit value: xxh32 of each word, folded k at a time.
SHINGLE_HASH = "xxh32-fold-v1"
#: The ways a candidate can be decided (``MatchParams.decision``).
DECISIONS = ("model", "thresholds")


@dataclass(frozen=True)
class MinHashParams:
    """What a stored signature was made with."""

    num_perm: int = NUM_PERM
    seed: int = SEED
    scheme: str = SCHEME
    shingle_size: int = SHINGLE_SIZE
    shingle_hash: str = SHINGLE_HASH

    def __post_init__(self) -> None:
        if self.num_perm < 16 or self.num_perm > 1024:
            raise ValueError(f"num_perm must be between 16 and 1024, got {self.num_perm}")
        if self.scheme != SCHEME:
            raise ValueError(
                f"only the {SCHEME!r} MinHash scheme is supported, got {self.scheme!r}"
            )
        if not 1 <= self.shingle_size <= 16:
            raise ValueError(f"shingle_size must be between 1 and 16, got {self.shingle_size}")

    def as_metadata(self) -> dict[str, str]:
        """The parameters as string key/values, for Parquet schema metadata."""
        return {f"wiredup.minhash.{k}": str(v) for k, v in asdict(self).items()}

    @classmethod
    def from_metadata(cls, metadata: dict[str, str]) -> MinHashParams:
        """Read back what ``as_metadata`` wrote."""
        prefix = "wiredup.minhash."
        values = {k[len(prefix) :]: v for k, v in metadata.items() if k.startswith(prefix)}
        return cls(
            num_perm=int(values["num_perm"]),
            seed=int(values["seed"]),
            scheme=values["scheme"],
            shingle_size=int(values["shingle_size"]),
            shingle_hash=values["shingle_hash"],
        )


@dataclass(frozen=True)
class MatchParams:
    """When a candidate counts as the same report.

    ``near_threshold`` is the verified Jaccard similarity of the shingle sets above which two
    stories are near copies. ``containment_threshold`` is the share of the smaller story's
    shingles found in the larger one above which a brief or a first take joins the fuller
    version, provided the smaller one has at least ``min_containment_shingles`` shingles (a
    two-line flash says too little to be matched on containment alone).

    Candidates come from two sources. LSH banding: ``lsh_bands`` bands of ``lsh_rows``
    signature values. At 64 bands of 2 a pair is proposed with probability
    1 - (1 - J**2)**64: 0.93 at Jaccard 0.2, where a brief of a quarter of its story sits, and
    above 0.999 at 0.35, while unrelated copy (J near 0) is almost never proposed. And anchors
    (``dedupe.anchors``): a pair sharing at least ``anchor_min_shared`` of them (one 5-shingle
    in 16, chosen by value) is proposed whatever its Jaccard, which is how a rewrite for the
    next news cycle, sharing a few dozen shingles of several hundred, is found (0: LSH only).
    Verification then decides.
    """

    near_threshold: float = 0.5
    containment_threshold: float = 0.8
    min_containment_shingles: int = 20
    lsh_bands: int | None = None  # None: as many bands as the signature holds
    lsh_rows: int = 2
    window_days: int = 7
    #: How a candidate is decided: ``model`` (the default: ``dedupe.decision``, a logistic
    #: model over several features of the pair; the two thresholds above then only name the
    #: kind, containment or near, and decide pairs under ``min_model_shingles``) or
    #: ``thresholds`` (verified Jaccard or containment alone, which links no rewrite whose
    #: Jaccard is low). ``bench.real`` prints both.
    decision: str = "model"
    #: The model's probability from which a candidate is the same report: the lowest at which
    #: the pipeline links no pair of different reports among the dev pairs (the
    #: cross-validation of ``python -m bench.real --fit`` puts precision 0.995 at 0.87).
    match_probability: float = 0.89
    #: Stories sharing at least this many anchors are candidates (0: no anchor candidates).
    anchor_min_shared: int = 2
    #: The model decides a pair whose smaller story has at least this many shingles; a
    #: shorter one (a flash, a two-line notice) is decided by the thresholds. The labeled pairs
    #: the model is fitted on hold no same-report pair below 60 shingles, so below that it
    #: would decide from what it never saw.
    min_model_shingles: int = 50

    def __post_init__(self) -> None:
        for name in ("near_threshold", "containment_threshold"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {value}")
        if self.min_containment_shingles < 1:
            raise ValueError("min_containment_shingles must be at least 1")
        if (self.lsh_bands is not None and self.lsh_bands < 1) or self.lsh_rows < 1:
            raise ValueError("lsh_bands and lsh_rows must be at least 1")
        if self.window_days < 0:
            raise ValueError("window_days must not be negative")
        if self.decision not in DECISIONS:
            raise ValueError(
                f"decision must be one of {', '.join(DECISIONS)}, got {self.decision!r}"
            )
        if not 0.0 < self.match_probability < 1.0:
            raise ValueError(f"match_probability must be in (0, 1), got {self.match_probability}")
        if self.anchor_min_shared < 0:
            raise ValueError("anchor_min_shared must not be negative")
        if self.min_model_shingles < 1:
            raise ValueError("min_model_shingles must be at least 1")

    def bands_for(self, num_perm: int) -> int:
        """How many bands of ``lsh_rows`` values a signature of ``num_perm`` values gives."""
        return self.lsh_bands if self.lsh_bands is not None else max(1, num_perm // self.lsh_rows)


DEFAULT_MINHASH = MinHashParams()
DEFAULT_MATCH = MatchParams()
