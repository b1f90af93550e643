"""Normalization: the share of the labeled set handled exactly, per agency and per language,
and the throughput on the BBC corpus beside its target.

    .venv/bin/python -m bench.normalization

Real copy is read where it lies in ../shared; what is absent is skipped, saying so.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

from ingest.normalize import detect_language, normalize_body
from record.story import ParsedItem
from tests.ingest.normalize.cases import CASES, Case
from tests.ingest.normalize.labeled import case_input, mismatches

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"
#: Target of the whole sign stage (normalize + MinHash), stories per second per core.
TARGET_STORIES_PER_SECOND = 2000


def _share_table(title: str, groups: dict[str, list[bool]]) -> None:
    print(f"{title:<14} {'cases':>6} {'exact':>6} {'share':>7}")
    for name in sorted(groups, key=lambda n: (-len(groups[n]), n)):
        results = groups[name]
        print(f"{name:<14} {len(results):>6} {sum(results):>6} {sum(results) / len(results):>7.1%}")
    print()


def labeled_set() -> list[tuple[Case, list[str]]]:
    """Run every labeled case whose input is present; return each with its mismatches."""
    runs: list[tuple[Case, list[str]]] = []
    missing = 0
    for case in CASES:
        if case.fixture is not None and not (SHARED / case.fixture).exists():
            missing += 1
            continue
        runs.append((case, mismatches(case, normalize_body(case_input(case, SHARED)))))
    if missing:
        print(f"skipped {missing} cases: their fixtures are absent from {SHARED}")
    return runs


def throughput() -> None:
    """Stories per second on the BBC corpus, body normalization alone and with language."""
    files = sorted(BBC.glob("*/*.txt")) if BBC.exists() else []
    if not files:
        print(f"throughput: skipped, {BBC} is absent")
        return
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    items = [ParsedItem(item_id=f.stem, body=t) for f, t in zip(files, texts, strict=True)]
    normalize_body(texts[0])  # warm caches: compiled patterns, the language model
    detect_language(texts[0])
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    for text in texts:
        normalize_body(text)
    body_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for item in items:
        detect_language(normalize_body(item.body).body)
    full_seconds = time.perf_counter() - start
    print(f"throughput on {len(texts)} BBC stories ({words / len(texts):.0f} words each):")
    print(
        f"  normalize_body            {len(texts) / body_seconds:>8.0f} stories/s "
        f"({body_seconds / len(texts) * 1e6:.0f} µs each)"
    )
    print(
        f"  normalize_body + language {len(texts) / full_seconds:>8.0f} stories/s "
        f"({full_seconds / len(texts) * 1e6:.0f} µs each)"
    )
    print(
        f"  target for the whole sign stage (normalize + MinHash): "
        f"≥ {TARGET_STORIES_PER_SECOND} stories/s per core"
    )


def main() -> int:
    runs = labeled_set()
    by_agency: dict[str, list[bool]] = defaultdict(list)
    by_language: dict[str, list[bool]] = defaultdict(list)
    for case, problems in runs:
        by_agency[case.agency].append(not problems)
        by_language[case.language].append(not problems)
    exact = sum(not problems for _case, problems in runs)
    print(f"labeled set: {exact}/{len(runs)} handled exactly ({exact / max(len(runs), 1):.1%})\n")
    _share_table("agency", by_agency)
    _share_table("language", by_language)
    for case, problems in runs:
        if problems:
            print(f"not exact: {case.key}: {'; '.join(problems)}")
    throughput()
    return 0


if __name__ == "__main__":
    sys.exit(main())
