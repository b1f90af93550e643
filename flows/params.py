"""Typed flow parameters: what the Prefect UI renders as a form and what the CLI fills in.

Validation happens before any work starts; a bad value is refused with a message that names
the field.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dedupe import DEFAULT_MATCH, MatchParams

__all__ = [
    "DEFAULT_ROOT",
    "BackfillParameters",
    "IngestParameters",
    "MaintenanceParameters",
    "ReportParameters",
]

#: The storage root of every flow and command when none is given: ./data of the project folder.
DEFAULT_ROOT = "data"


#: The storage root, as every flow takes it.
Root = Annotated[
    str,
    Field(
        description="Storage root: a local folder, or a URI such as s3://bucket/prefix.",
        min_length=1,
    ),
]
NearThreshold = Annotated[
    float,
    Field(
        description="Verified Jaccard similarity from which two stories are near duplicates.",
        gt=0.0,
        le=1.0,
    ),
]
Decision = Annotated[
    Literal["thresholds", "model"],
    Field(
        description="How a candidate pair is decided: model (the default: a logistic model "
        "over several features of the pair, fitted on labeled real pairs; links rewrites and "
        "updates whose overlap is low) or thresholds (verified Jaccard or containment alone; "
        "links near copies, briefs and first takes only).",
    ),
]
ContainmentThreshold = Annotated[
    float,
    Field(
        description="Share of the shorter story found in the longer one from which a brief or "
        "first take joins the fuller version.",
        gt=0.0,
        le=1.0,
    ),
]
LockWait = Annotated[
    float,
    Field(
        description="How long to wait while another run holds the storage root's writer lock; "
        "0 exits at once, saying which run holds it.",
        ge=0,
        le=86400,
    ),
]


class _Matching(BaseModel):
    """What the flows that match stories share: the thresholds and how they become params."""

    if TYPE_CHECKING:  # declared by each subclass, in the order its form shows them
        near_threshold: float
        containment_threshold: float
        window_days: int
        decision: str

    def match_params(self) -> MatchParams:
        """The matching thresholds these parameters ask for."""
        return MatchParams(
            near_threshold=self.near_threshold,
            containment_threshold=self.containment_threshold,
            min_containment_shingles=DEFAULT_MATCH.min_containment_shingles,
            window_days=self.window_days,
            decision=self.decision,
        )


class IngestParameters(_Matching):
    """Parameters of one ingest run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources_file: Annotated[
        str,
        Field(
            description="Path of the sources.toml that declares the sources to read.",
            min_length=1,
        ),
    ] = "sources.toml"
    root: Root = DEFAULT_ROOT
    sources: Annotated[
        list[str] | None,
        Field(
            description="Only these source names (all declared sources when empty).",
        ),
    ] = None
    near_threshold: NearThreshold = DEFAULT_MATCH.near_threshold
    containment_threshold: ContainmentThreshold = DEFAULT_MATCH.containment_threshold
    decision: Decision = "model"
    window_days: Annotated[
        int,
        Field(
            description="Days of stored history, either side of the new stories' dates, that new "
            "stories are matched against.",
            ge=0,
            le=366,
        ),
    ] = DEFAULT_MATCH.window_days
    workers: Annotated[
        int,
        Field(
            description="Processes for the parse-normalize-sign stage; 0 uses every core.",
            ge=0,
            le=64,
        ),
    ] = 0
    dask_address: Annotated[
        str | None,
        Field(
            description="Address of an existing dask.distributed scheduler, e.g. "
            "tcp://10.0.0.5:8786, that runs the parse-normalize-sign stage; empty: a local "
            "process pool.",
        ),
    ] = None
    dry_run: Annotated[
        bool,
        Field(
            description="Read, normalize and match, but write nothing.",
        ),
    ] = False
    lock_wait_seconds: LockWait = 0.0
    report: Annotated[
        bool,
        Field(
            description="Rewrite the HTML report (reports/latest.html under the root) at the end "
            "of the run.",
        ),
    ] = True

    @model_validator(mode="after")
    def _sources_named(self) -> IngestParameters:
        if self.sources is not None and any(not name.strip() for name in self.sources):
            raise ValueError("sources: names must not be empty")
        return self

    @field_validator("dask_address")
    @classmethod
    def _dask_address(cls, value: str | None) -> str | None:
        address = (value or "").strip()
        if not address:
            return None  # a cleared form field: the local process pool
        parts = urlsplit(address)
        try:
            port = parts.port
        except ValueError:  # not a number, or out of range
            port = None
        if (
            parts.scheme not in ("tcp", "tls")
            or not parts.hostname
            or not port
            or parts.path
            or parts.query
            or parts.fragment
        ):
            raise ValueError(
                f"{address!r} is not a Dask scheduler address; expected "
                "tcp://HOST:PORT or tls://HOST:PORT, e.g. tcp://10.0.0.5:8786"
            )
        return address

    def worker_count(self) -> int:
        """The number of worker processes to use."""
        return self.workers or os.cpu_count() or 1


class BackfillParameters(_Matching):
    """Parameters of one re-clustering over a date range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_from: Annotated[date, Field(description="First story date to re-cluster.")]
    date_to: Annotated[date, Field(description="Last story date to re-cluster (inclusive).")]
    root: Root = DEFAULT_ROOT
    near_threshold: NearThreshold = DEFAULT_MATCH.near_threshold
    containment_threshold: ContainmentThreshold = DEFAULT_MATCH.containment_threshold
    decision: Decision = "model"
    window_days: Annotated[
        int,
        Field(description="Days before each story that it is matched against.", ge=0, le=366),
    ] = DEFAULT_MATCH.window_days
    dry_run: Annotated[bool, Field(description="Re-cluster, but write nothing.")] = False
    lock_wait_seconds: LockWait = 0.0

    @model_validator(mode="after")
    def _range(self) -> BackfillParameters:
        if self.date_to < self.date_from:
            raise ValueError("date_to: must not be before date_from")
        if (self.date_to - self.date_from).days > 3660:
            raise ValueError("date_to: a re-clustering spans ten years at most")
        return self


class MaintenanceParameters(BaseModel):
    """Parameters of one maintenance run (compaction of small files)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: Root = DEFAULT_ROOT
    min_files: Annotated[
        int,
        Field(
            description="Merge a partition once it holds at least this many parts.",
            ge=2,
            le=100000,
        ),
    ] = 8
    dry_run: Annotated[bool, Field(description="Say what would be merged; change nothing.")] = False
    lock_wait_seconds: LockWait = 0.0


class ReportParameters(BaseModel):
    """Parameters of ``wiredup report`` (no flow: the page is drawn without Prefect)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: Root = DEFAULT_ROOT
    out: Annotated[
        str | None,
        Field(
            description="Where to write the page, a path or URI; empty: reports/latest.html "
            "under the root.",
            min_length=1,
        ),
    ] = None
