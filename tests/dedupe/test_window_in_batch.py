"""The history window holds inside a batch as across runs: a story is matched only against
stories within ``window_days`` of its own date, whichever batch they came in."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from dedupe import DEFAULT_MATCH, DEFAULT_MINHASH
from pipeline import commit, match, prepare_payloads, select_new
from record.story import RawItem
from storage import StorageRoot

_FETCHED = datetime(2026, 3, 1, tzinfo=UTC)
_START = date(2026, 1, 5)

# Texts composed for this test: three reports, each sent again on later days.
_REPORTS = {
    "ferry": (
        "A ferry carrying two hundred passengers ran aground off the northern coast early on "
        "Tuesday after its engines failed in heavy seas, the coast guard said. Rescue boats "
        "took the passengers to the harbour of Westport, where four were treated for minor "
        "injuries. The operator said the vessel would be towed to a dry dock for inspection "
        "and that sailings on the route were cancelled until the end of the week."
    ),
    "budget": (
        "The city council approved a budget of four hundred million for the coming year "
        "after a debate that lasted into the night, with the opposition voting against the "
        "cuts to the library service. The mayor said the spending on roads and schools was "
        "the largest in a decade and promised that no fees would rise before the autumn. "
        "Unions said they would study the plan before deciding whether to call a strike."
    ),
    "orchestra": (
        "The national orchestra named a conductor from Lisbon as its new music director, "
        "the first woman to hold the post in its ninety year history. She will take up the "
        "position next season and has signed a contract for five years, the orchestra said "
        "in a statement. Her first programme will include a new symphony commissioned for "
        "the anniversary and a tour of the southern provinces in the spring."
    ),
}
# (item, report, day offset): copies 2 days later join; a copy 40 days later is another
# report's worth of time away and must not join, in one batch or in many.
_PLAN = [
    ("ferry-1", "ferry", 0),
    ("ferry-2", "ferry", 2),
    ("ferry-late", "ferry", 40),
    ("ferry-late-2", "ferry", 43),
    ("budget-1", "budget", 5),
    ("budget-2", "budget", 11),
    ("budget-3", "budget", 60),
    ("orchestra-1", "orchestra", 20),
    ("orchestra-2", "orchestra", 27),
    ("orchestra-3", "orchestra", 33),
]


def _raws() -> list[RawItem]:
    out = []
    for item, report, offset in _PLAN:
        day = _START + timedelta(days=offset)
        text = f" date {day.isoformat()} {_REPORTS[report]} (afp)"
        out.append(RawItem("desk", item, text.encode(), _FETCHED, f"test:{item}", "text"))
    return out


def _ingest(root: StorageRoot, batches: list[list[RawItem]]) -> dict[str, str]:
    """Each batch through prepare, select_new, match and commit, as a run does."""
    for number, raws in enumerate(batches):
        prepared = prepare_payloads(raws, DEFAULT_MINHASH)
        new = select_new(root, prepared.batch)
        matched = match(root, new, DEFAULT_MINHASH, DEFAULT_MATCH)
        commit(root, f"run-{number}", matched, [], {}, DEFAULT_MINHASH)
    from storage import read_stories

    table = read_stories(root, ["item_id", "cluster_id"])
    items, clusters = table.column("item_id").to_pylist(), table.column("cluster_id").to_pylist()
    return dict(zip(items, clusters, strict=True))


def _partition(clusters: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for item, cluster in clusters.items():
        groups.setdefault(cluster, set()).add(item)
    return {frozenset(g) for g in groups.values()}


EXPECTED = {
    frozenset({"ferry-1", "ferry-2"}),
    frozenset({"ferry-late", "ferry-late-2"}),
    frozenset({"budget-1", "budget-2"}),
    frozenset({"budget-3"}),
    frozenset({"orchestra-1", "orchestra-2", "orchestra-3"}),
}


def test_one_batch_links_only_stories_within_the_window(tmp_path: Path) -> None:
    clusters = _ingest(StorageRoot(str(tmp_path)), [_raws()])
    assert _partition(clusters) == EXPECTED
    # The window is measured from each story: orchestra-3 is 13 days after orchestra-1, and
    # joins its cluster through orchestra-2, 6 days before it.
    assert clusters["orchestra-3"] == clusters["orchestra-1"]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("size", [1, 3, 4, 10])
def test_clusters_do_not_depend_on_order_or_batch_size(
    tmp_path: Path, seed: int, size: int
) -> None:
    whole = _ingest(StorageRoot(str(tmp_path / "whole")), [_raws()])
    raws = _raws()
    random.Random(seed).shuffle(raws)
    # Runs follow time, as a scheduled ingest does; within a run the order is shuffled.
    raws.sort(key=lambda r: r.data[6:16])
    batches = [raws[i : i + size] for i in range(0, len(raws), size)]
    for batch in batches:
        random.Random(seed).shuffle(batch)
    split = _ingest(StorageRoot(str(tmp_path / "split")), batches)
    assert split == whole
    assert _partition(split) == EXPECTED


def test_a_shuffled_single_batch_gives_the_same_clusters(tmp_path: Path) -> None:
    whole = _ingest(StorageRoot(str(tmp_path / "a")), [_raws()])
    raws = _raws()
    random.Random(9).shuffle(raws)
    assert _ingest(StorageRoot(str(tmp_path / "b")), [raws]) == whole
