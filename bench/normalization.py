"""Normalization: exact match per field on the real labeled set (dev and held-out parts apart;
the held-out figure is the one that counts), the synthetic set, the share of re-issues that
come out identical, and the throughput on the BBC corpus beside its target.

    .venv/bin/python -m bench.normalization [--diffs N]

Everything runs through the project's own ``ingest.normalize.normalize``. Real copy is read
where it lies in ../shared; what is absent is skipped, saying so. Diffs are printed for dev
cases only: the held-out part is reported, never read.
"""

from __future__ import annotations

import difflib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from ingest.normalize import detect_language, normalize, normalize_body
from record.story import ParsedItem, Story
from tests.ingest.normalize.cases import CASES, Case
from tests.ingest.normalize.labeled import case_input, mismatches
from tests.ingest.normalize.real_cases import (
    RealCase,
    corpus_present,
    expected_body,
    load_cases,
    read_case,
)
from tests.ingest.normalize.reissues import reissue_share

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"
#: Target of the whole sign stage (normalize + MinHash), stories per second per core.
TARGET_STORIES_PER_SECOND = 2000
#: The baseline: normalize_body as of the commit that brought the real labeled set, before
#: the rules written on it. Its code is taken from git and timed beside today's in this run.
BASELINE_COMMIT = "32f8c72"
#: Timed in a fresh interpreter for either tree: best of three passes over the BBC stories.
_TIMER = """
import sys, time
from pathlib import Path
from ingest.normalize import normalize_body
paths = sorted(Path(sys.argv[1]).glob("*/*.txt"))
texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
normalize_body(texts[0]); normalize_body("BOSTON The warm-up story starts here.")
best = 0.0
for _ in range(3):
    start = time.perf_counter()
    for text in texts:
        normalize_body(text)
    best = max(best, len(texts) / (time.perf_counter() - start))
print(best)
"""
FIELDS = ("body", "dateline", "agencies", "editors", "byline", "ednote")
TARGET_HELD_OUT = 0.97
TARGET_REISSUES = 0.98


def real_case_problems(
    case: RealCase, item: ParsedItem, story: Story
) -> dict[str, tuple[object, object]]:
    """Field -> (got, expected) for every field of ``story`` that differs from the labels."""
    expected: dict[str, object] = {
        "body": expected_body(case, item),
        "dateline": case.dateline,
        "agencies": case.agencies,
        "editors": case.editors,
        "byline": case.byline,
        "ednote": case.ednote,
    }
    return {
        name: (getattr(story, name), want)
        for name, want in expected.items()
        if getattr(story, name) != want
    }


def real_set(diffs: int) -> list[tuple[RealCase, ParsedItem, Story]]:
    """Score the real labeled set per field, dev and held-out apart; print dev diffs only."""
    cases = [c for c in load_cases() if corpus_present(c.id, SHARED)]
    if not cases:
        print(f"real labeled set: skipped, {SHARED} is absent")
        return []
    runs = []
    scores: dict[str, dict[str, list[bool]]] = {
        "dev": defaultdict(list),
        "held-out": defaultdict(list),
    }
    # Per corpus and part: cases, exact cases, and the fields missed (counts only: the
    # held-out part's copy and diffs are never shown).
    corpora: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    shown = 0
    for case in cases:
        item = read_case(case.id, SHARED)
        story = normalize("bench", item)
        runs.append((case, item, story))
        problems = real_case_problems(case, item, story)
        part = "held-out" if case.held_out else "dev"
        for name in FIELDS:
            scores[part][name].append(name not in problems)
        scores[part]["all fields"].append(not problems)
        corpora[case.id.split(":", 1)[0], part].append(problems)
        if problems and part == "dev" and shown < diffs:
            shown += 1
            print(f"dev case {case.id}:")
            for name, (got, want) in problems.items():
                if name == "body":
                    assert isinstance(got, str) and isinstance(want, str)
                    lines = difflib.unified_diff(
                        want.split("\n\n"), got.split("\n\n"), "expected", "got", n=0, lineterm=""
                    )
                    print("  body:\n    " + "\n    ".join(line[:160] for line in lines))
                else:
                    print(f"  {name}: got {got!r}, expected {want!r}")
    languages = sorted({c.language for c in cases})
    print(
        f"\nreal labeled set: {len(cases)} cases in {len(languages)} languages "
        f"({', '.join(languages)}); split by sha256(id) % 3 == 0 -> held out"
    )
    print(f"{'field':<12} {'dev':>16} {'held-out':>16}   target (held-out)")
    for name in (*FIELDS, "all fields"):
        cells = []
        for part in ("dev", "held-out"):
            results = scores[part][name]
            share = sum(results) / len(results) if results else 0.0
            cells.append(f"{sum(results):>4}/{len(results):<4} {share:>6.1%}")
        target = f"≥ {TARGET_HELD_OUT:.0%}" if name != "all fields" else ""
        print(f"{name:<12} {cells[0]:>16} {cells[1]:>16}   {target}")
    print()
    _corpus_table(corpora)
    return runs


def _corpus_table(corpora: dict[tuple[str, str], list[dict[str, object]]]) -> None:
    """Where the misses lie: per corpus and part, the cases, the exact ones and each field's
    misses."""
    print(f"{'corpus':<12} {'part':<9} {'cases':>6} {'exact':>6}   misses per field")
    for corpus, part in sorted(corpora):
        results = corpora[corpus, part]
        misses = {name: sum(name in problems for problems in results) for name in FIELDS}
        fields = ", ".join(f"{name} {count}" for name, count in misses.items() if count)
        exact = sum(not problems for problems in results)
        print(f"{corpus:<12} {part:<9} {len(results):>6} {exact:>6}   {fields or '-'}")
    print()


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
    # Warm the caches: compiled patterns, the language model, the gazetteer (loaded once per
    # process on first use, about half a second: ingest/normalize/places.py).
    normalize_body(texts[0])
    normalize_body("BOSTON The warm-up story starts here.")
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
    side_by_side()
    print(
        f"  target for the whole sign stage (normalize + MinHash): "
        f"≥ {TARGET_STORIES_PER_SECOND} stories/s per core"
    )


def _stories_per_second(tree: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", _TIMER, str(BBC)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def side_by_side() -> None:
    """normalize_body of today and of the baseline commit, each in a fresh interpreter, in
    turns (three times each, the best kept), so both see the same machine."""
    with tempfile.TemporaryDirectory(prefix="wiredup-baseline-") as scratch:
        tree = Path(scratch)
        archive = subprocess.run(
            ["git", "-C", str(PROJECT), "archive", BASELINE_COMMIT, "ingest", "record"],
            capture_output=True,
        )
        if archive.returncode != 0:
            print(f"  baseline {BASELINE_COMMIT}: skipped, not in this clone's history")
            return
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tree, filter="data")
        now = base = 0.0
        for _ in range(3):
            base = max(base, _stories_per_second(tree))
            now = max(now, _stories_per_second(PROJECT))
    print(
        f"  normalize_body side by side, fresh interpreters: {now:.0f} stories/s now, "
        f"{base:.0f} at {BASELINE_COMMIT} (before the rules written on the labeled set): "
        f"ratio {now / base:.2f}, target ≥ 1.00"
    )


def main() -> int:
    diffs = int(sys.argv[sys.argv.index("--diffs") + 1]) if "--diffs" in sys.argv else 10
    real = real_set(diffs)
    if real:
        for part in ("dev", "held-out"):
            bodies = [s.body for c, _i, s in real if c.held_out == (part == "held-out") and s.body]
            identical, total = reissue_share(bodies)
            print(
                f"re-issues ({part} stories re-sent under other agencies' marker forms): "
                f"{identical}/{total} identical ({identical / max(total, 1):.1%}), "
                f"target ≥ {TARGET_REISSUES:.0%}"
            )
        print()
    runs = labeled_set()
    by_agency: dict[str, list[bool]] = defaultdict(list)
    by_language: dict[str, list[bool]] = defaultdict(list)
    for case, problems in runs:
        by_agency[case.agency].append(not problems)
        by_language[case.language].append(not problems)
    exact = sum(not problems for _case, problems in runs)
    print(f"synthetic set: {exact}/{len(runs)} handled exactly ({exact / max(len(runs), 1):.1%})\n")
    _share_table("agency", by_agency)
    _share_table("language", by_language)
    for case, problems in runs:
        if problems:
            print(f"not exact: {case.key}: {'; '.join(problems)}")
    throughput()
    return 0


if __name__ == "__main__":
    sys.exit(main())
