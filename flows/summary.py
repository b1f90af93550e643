"""What a run did, per source: the counts behind the CLI table, the artifact and ``runs/``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["COUNT_COLUMNS", "RunSummary", "SourceCounts"]

#: The table's columns in order. ``fetched`` (HTTP responses with a body), ``not_modified``
#: (304 answers) and ``version`` (new versions of an item already stored, dedupe's
#: ``dup_kind = "version"``) come last, so readers that parse the older columns by position
#: keep working.
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

    def add(self, other: SourceCounts) -> None:
        for name in COUNT_COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


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

    def source(self, name: str) -> SourceCounts:
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
            {"source": name, **asdict(counts)} for name, counts in sorted(self.per_source.items())
        ]
        rows.append({"source": "total", **asdict(self.total)})
        return rows

    def table(self) -> str:
        """The per-source table as fixed-width text."""
        rows = self.rows()
        headers = ["source", *COUNT_COLUMNS]
        widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in headers]
        lines = [
            "  ".join(
                h.ljust(w) if i == 0 else h.rjust(w)
                for i, (h, w) in enumerate(zip(headers, widths, strict=True))
            )
        ]
        for r in rows:
            lines.append(
                "  ".join(
                    str(r[h]).ljust(w) if i == 0 else str(r[h]).rjust(w)
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
        out += ["| " + " | ".join(str(r[h]) for h in headers) + " |" for r in self.rows()]
        if self.reject_reasons:
            out += ["", "## Rejects", "", "| source | item | reason |", "|---|---|---|"]
            out += [f"| {s} | {i} | {r.replace('|', '/')} |" for s, i, r in self.reject_reasons]
        if self.written:
            out += ["", "## Files written", ""] + [f"- `{p}`" for p in self.written]
        return "\n".join(out)
