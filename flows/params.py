"""Typed flow parameters: what the Prefect UI renders as a form and what the CLI fills in.

Validation happens before any work starts; a bad value is refused with a message that names
the field.
"""

from __future__ import annotations

import os
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dedupe import DEFAULT_MATCH, MatchParams

__all__ = ["BackfillParameters", "IngestParameters"]


class IngestParameters(BaseModel):
    """Parameters of one ingest run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sources_file: Annotated[
        str,
        Field(
            description="Path of the sources.toml that declares the sources to read.",
            min_length=1,
        ),
    ] = "sources.toml"
    root: Annotated[
        str,
        Field(
            description="Storage root: a local folder, or a URI such as s3://bucket/prefix.",
            min_length=1,
        ),
    ] = "data"
    sources: Annotated[
        list[str] | None,
        Field(
            description="Only these source names (all declared sources when empty).",
        ),
    ] = None
    near_threshold: Annotated[
        float,
        Field(
            description="Verified Jaccard similarity from which two stories are near duplicates.",
            gt=0.0,
            le=1.0,
        ),
    ] = DEFAULT_MATCH.near_threshold
    containment_threshold: Annotated[
        float,
        Field(
            description="Share of the shorter story found in the longer one from which a brief or "
            "first take joins the fuller version.",
            gt=0.0,
            le=1.0,
        ),
    ] = DEFAULT_MATCH.containment_threshold
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
    dry_run: Annotated[
        bool,
        Field(
            description="Read, normalize and match, but write nothing.",
        ),
    ] = False

    @model_validator(mode="after")
    def _sources_named(self) -> IngestParameters:
        if self.sources is not None and any(not name.strip() for name in self.sources):
            raise ValueError("sources: names must not be empty")
        return self

    def worker_count(self) -> int:
        """The number of worker processes to use."""
        return self.workers or os.cpu_count() or 1

    def match_params(self) -> MatchParams:
        """The matching thresholds these parameters ask for."""
        return MatchParams(
            near_threshold=self.near_threshold,
            containment_threshold=self.containment_threshold,
            min_containment_shingles=DEFAULT_MATCH.min_containment_shingles,
            window_days=self.window_days,
        )


class BackfillParameters(BaseModel):
    """Parameters of one re-clustering over a date range."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_from: Annotated[date, Field(description="First story date to re-cluster.")]
    date_to: Annotated[date, Field(description="Last story date to re-cluster (inclusive).")]
    root: Annotated[
        str,
        Field(
            description="Storage root: a local folder, or a URI such as s3://bucket/prefix.",
            min_length=1,
        ),
    ] = "data"
    near_threshold: Annotated[
        float,
        Field(
            description="Verified Jaccard similarity from which stories are near duplicates.",
            gt=0.0,
            le=1.0,
        ),
    ] = DEFAULT_MATCH.near_threshold
    containment_threshold: Annotated[
        float,
        Field(
            description="Share of the shorter story found in the longer one from which a "
            "brief joins the fuller version.",
            gt=0.0,
            le=1.0,
        ),
    ] = DEFAULT_MATCH.containment_threshold
    window_days: Annotated[
        int,
        Field(description="Days before each story that it is matched against.", ge=0, le=366),
    ] = DEFAULT_MATCH.window_days
    dry_run: Annotated[bool, Field(description="Re-cluster, but write nothing.")] = False

    @model_validator(mode="after")
    def _range(self) -> BackfillParameters:
        if self.date_to < self.date_from:
            raise ValueError("date_to: must not be before date_from")
        if (self.date_to - self.date_from).days > 3660:
            raise ValueError("date_to: a re-clustering spans ten years at most")
        return self

    def match_params(self) -> MatchParams:
        """The matching thresholds these parameters ask for."""
        return MatchParams(
            near_threshold=self.near_threshold,
            containment_threshold=self.containment_threshold,
            min_containment_shingles=DEFAULT_MATCH.min_containment_shingles,
            window_days=self.window_days,
        )
