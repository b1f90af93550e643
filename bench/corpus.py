"""Real news copy for benchmarks, read where it lies (../shared/corpora/bbc), never copied."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from record.story import RawItem

__all__ = ["SHARED", "bbc_stories", "long_stories", "require_shared", "wire_items"]

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"


def require_shared() -> None:
    """Exit with a clear message when ../shared (the corpora) is not beside the clone."""
    if not BBC.is_dir():
        print(f"{BBC} is absent: the benchmarks read real copy from ../shared beside the clone.")
        sys.exit(0)


def bbc_stories() -> list[tuple[str, str, list[str]]]:
    """(item id, headline, paragraphs) of every BBC story, in a stable order."""
    out = []
    for path in sorted(BBC.glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        headline, _, rest = text.partition("\n")
        paragraphs = [" ".join(p.split()) for p in rest.split("\n\n") if p.strip()]
        out.append((f"{path.parent.name}-{path.stem}", headline.strip(), paragraphs))
    return out


def long_stories(min_words: int = 450) -> list[tuple[str, list[str]]]:
    """Stories of about 500 words, none sharing a paragraph with another.

    BBC stories run to about 380 words; consecutive paragraphs of the corpus are grouped until a
    story holds ``min_words``, each paragraph used once, so the stories are different reports.
    """
    out: list[tuple[str, list[str]]] = []
    body: list[str] = []
    first = ""
    for item_id, _, paragraphs in bbc_stories():
        for paragraph in paragraphs:
            first = first or item_id
            body.append(paragraph)
            if sum(len(p.split()) for p in body) >= min_words:
                out.append((f"{first}-{len(out)}", body))
                body, first = [], ""
    return out


def wire_items(
    stories: list[tuple[str, list[str]]],
    source: str = "bench",
    start: date = date(2026, 11, 1),
    per_day: int = 1000,
    credit: str = " (Reuters)",
) -> list[RawItem]:
    """Stories as plain-text wire payloads (``date YYYY-MM-DD`` first, a trailing credit)."""
    now = datetime.now(UTC)
    out = []
    for n, (item_id, paragraphs) in enumerate(stories):
        day = start + timedelta(days=n // per_day)
        text = f" date {day.isoformat()} " + "\n\n".join(paragraphs) + credit
        out.append(RawItem(source, item_id, text.encode(), now, f"bench/{item_id}", "text"))
    return out
