"""What a run did, per source: the counts behind the CLI table, the artifact and ``runs/``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

__all__ = ["COUNT_COLUMNS", "RunSummary", "SourceCounts", "link"]

#: The table's columns in order. ``fetched`` (HTTP responses with a body), ``not_modified``
#: (304 answers) and ``version`` (new versions of an item already stored, dedupe's
#: ``dup_kind = "version"``) come after the first seven, then ``killed`` (canceled versions
#: stored this run) and ``seconds`` (time spent reading the source), so readers that parse the
#: older columns by position keep working. ``revisions`` (stories whose key was stored, or came
#: earlier in the run, with other content: kept as revisions, never dropped) comes last.
COUNT_COLUMNS = (
    "read",
    "new",
    "already_stored",
    "exact",
    "near",
    "containment",
    "rejected",
    "fetched",
    "not_modified",
    "version",
    "killed",
    "seconds",
    "revisions",
)


@dataclass
class SourceCounts:
    """Counts of one source in one run."""

    read: int = 0
    new: int = 0
    already_stored: int = 0
    exact: int = 0
    near: int = 0
    containment: int = 0
    rejected: int = 0
    fetched: int = 0
    not_modified: int = 0
    version: int = 0
    killed: int = 0
    seconds: float = 0.0
    revisions: int = 0

    def add(self, other: SourceCounts) -> None:
        """Add ``other``'s counts to these."""
        for name in COUNT_COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self) -> dict[str, int | float]:
        """The counts by column name, seconds rounded to the millisecond."""
        out: dict[str, int | float] = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        return out


def link(root: str, relpath: str = "") -> str:
    """A URI to ``relpath`` under a storage root as ``StorageRoot.display`` shows it.

    A local root gives a ``file://`` URI a browser or the Prefect UI can open; an object-store
    root keeps its own scheme (``s3://bucket/prefix/...``).
    """
    if "://" in root:
        return f"{root.rstrip('/')}/{relpath}" if relpath else root
    path = Path(root, relpath) if relpath else Path(root)
    return path.resolve().as_uri()


def _cell(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


@dataclass
class RunSummary:
    """The outcome of one ingest run."""

    run_id: str
    root: str
    per_source: dict[str, SourceCounts] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    reject_reasons: list[tuple[str, str, str]] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    #: Where the run's HTML report was written (a root-relative path), if it was.
    report: str | None = None

    def source(self, name: str) -> SourceCounts:
        """The counts of source ``name``, created empty on first use."""
        return self.per_source.setdefault(name, SourceCounts())

    @property
    def total(self) -> SourceCounts:
        total = SourceCounts()
        for counts in self.per_source.values():
            total.add(counts)
        return total

    def rows(self) -> list[dict[str, object]]:
        """One dict per source, then the total: the table every report shows."""
        rows: list[dict[str, object]] = [
            {"source": name, **counts.row()} for name, counts in sorted(self.per_source.items())
        ]
        rows.append({"source": "total", **self.total.row()})
        return rows

    def partitions(self) -> list[str]:
        """The partition folders (``stories/story_date=...``, ``rejects/...``) written to."""
        return sorted({str(PurePosixPath(p).parent) for p in self.written})

    def links(self) -> dict[str, str]:
        """Name -> URI of what the run wrote: the report first, then each partition."""
        out = {"report": link(self.root, self.report)} if self.report else {}
        out.update({p: link(self.root, p) for p in self.partitions()})
        return out

    def table(self) -> str:
        """The per-source table as fixed-width text."""
        rows = self.rows()
        headers = ["source", *COUNT_COLUMNS]
        widths = [max(len(h), *(len(_cell(r[h])) for r in rows)) for h in headers]
        lines = [
            "  ".join(
                h.ljust(w) if i == 0 else h.rjust(w)
                for i, (h, w) in enumerate(zip(headers, widths, strict=True))
            )
        ]
        for r in rows:
            lines.append(
                "  ".join(
                    _cell(r[h]).ljust(w) if i == 0 else _cell(r[h]).rjust(w)
                    for i, (h, w) in enumerate(zip(headers, widths, strict=True))
                )
            )
        return "\n".join(lines)

    def markdown(self) -> str:
        """The summary as Markdown, for the run's artifact."""
        headers = ["source", *COUNT_COLUMNS]
        out = [
            f"# Wiredup ingest {self.run_id}",
            "",
            f"Storage root: `{self.root}`{' (dry run: nothing written)' if self.dry_run else ''}",
            "",
            "| " + " | ".join(headers) + " |",
            "|" + "---|" * len(headers),
        ]
        out += ["| " + " | ".join(_cell(r[h]) for h in headers) + " |" for r in self.rows()]
        if self.report:
            out += ["", f"Report: [{self.report}]({link(self.root, self.report)})"]
        if self.reject_reasons:
            out += ["", "## Rejects", "", "| source | item | reason |", "|---|---|---|"]
            out += [f"| {s} | {i} | {r.replace('|', '/')} |" for s, i, r in self.reject_reasons]
        if self.written:
            out += ["", "## Partitions written", ""]
            out += [f"- [{p}]({link(self.root, p)})" for p in self.partitions()]
            out += ["", "## Files written", ""] + [f"- `{p}`" for p in self.written]
        return "\n".join(out)
