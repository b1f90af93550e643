"""Rewrites and look-alikes through the pipeline's own steps into a real root: the anchors and
publication times stored with the signatures come back in the window, a rewrite for the next
news cycle is linked by the model whether it comes in the same run or the next one, a
recurring report of the next day from the same template is not, and signatures written before
anchors were stored are still read."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dedupe import DEFAULT_MATCH, DEFAULT_MINHASH, MatchParams, shingle_arrays
from dedupe.anchors import anchor_sets
from dedupe.window import NO_TIME
from pipeline import commit, match, matcher_for, prepare_payloads, select_new
from record.story import RawItem
from storage import StorageRoot, load_window, read_stories
from storage.indexes import INDEX_KEY
from storage.window import ANCHORS_KEY, SIGNATURES, read_signatures

_FETCHED = datetime(2026, 3, 1, tzinfo=UTC)
_START = datetime(2026, 2, 2, 6, 0, tzinfo=UTC)

# Copy composed for these tests: the sentences of a report, a rewrite of it for the next
# cycle (a new lead, the same quotes and background in another order, some cut, some added),
# and a recurring report written from one template on two days.
_REPORT = [
    "Flood water broke through a levee on the Marne river before dawn on Monday, forcing the "
    "evacuation of about 2,400 residents of Varennes and two neighbouring villages.",
    "The regional prefect said rescue teams in boats had taken 180 people from the roofs of "
    "their homes and that no one was reported missing.",
    '"The water rose faster than anything we have seen in forty years," said Mireille '
    "Dantec, the mayor of Varennes, standing on the steps of the town hall.",
    "The levee, built in 1958, had been due for reinforcement next spring under a plan "
    "approved by the river authority last year.",
    "Engineers from the river authority said the breach was about thirty metres wide and "
    "that pumping could start only once the river fell below its banks.",
    "Schools in the three villages will stay closed for the rest of the week, and the "
    "railway line to Reims is suspended between Varennes and Saint-Loup.",
    "The national weather service kept its orange alert for the Marne valley and warned of "
    "more rain on Tuesday night.",
    "Farmers in the valley said several hundred hectares of winter wheat were under water "
    "and that the losses could not yet be counted.",
    "The interior minister is expected to visit the evacuation centre at the sports hall "
    "of Saint-Loup on Tuesday morning.",
    "Insurers said claims for flood damage could be filed from Wednesday through a "
    "dedicated telephone line.",
]
_REWRITE = [
    "Residents of Varennes began returning to their flooded streets on Tuesday as the "
    "Marne fell back below its banks, a day after a levee breach forced 2,400 people from "
    "their homes.",
    "Engineers from the river authority said the breach was about thirty metres wide and "
    "that pumping could start only once the river fell below its banks.",
    '"The water rose faster than anything we have seen in forty years," said Mireille '
    "Dantec, the mayor of Varennes, standing on the steps of the town hall.",
    "The regional prefect said rescue teams in boats had taken 180 people from the roofs of "
    "their homes and that no one was reported missing.",
    "Pumps brought in overnight from Chalons were working in the lower streets by midday, "
    "the fire service said.",
    "The levee, built in 1958, had been due for reinforcement next spring under a plan "
    "approved by the river authority last year.",
    "Schools in the three villages will stay closed for the rest of the week, and the "
    "railway line to Reims is suspended between Varennes and Saint-Loup.",
    "The interior minister, visiting the evacuation centre at the sports hall of Saint-Loup, "
    "promised state aid for the families whose homes were damaged.",
]


def _market(day: int, rng: random.Random) -> list[str]:
    index = rng.randint(5200, 5900)
    change = rng.randint(11, 95) / 10
    volume = rng.randint(300, 900)
    leader, laggard = rng.sample(["Alvaro", "Brisk", "Corvane", "Delmar", "Estrin"], 2)
    return [
        f"The benchmark index closed {change} points higher at {index} on day {day} of the "
        f"month, with {volume} million shares traded.",
        f"{leader} led the gainers after raising its forecast, while {laggard} fell the most on "
        "the board.",
        f"Bond yields were little changed and the currency ended at {rng.randint(101, 109)}.2 "
        "against the dollar in late trading.",
        "Traders said the market would look to the central bank's statement later in the week "
        "for a lead on interest rates.",
        f"Advancing issues outnumbered declining ones by {rng.randint(2, 5)} to 1, and "
        f"{rng.randint(20, 80)} stocks reached a new high for the year.",
    ]


def _ninjs(item_id: str, when: datetime, headline: str, paragraphs: list[str]) -> RawItem:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    item = {
        "uri": item_id,
        "type": "text",
        "version": "1",
        "pubstatus": "usable",
        "versioncreated": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "language": "en",
        "headline": headline,
        "body_html": f"<p>VARENNES, France (AP) _ {body[3:]}" if "Marne" in headline else body,
    }
    return RawItem("wire", item_id, json.dumps(item).encode(), _FETCHED, f"test:{item_id}", "ninjs")


def _raws() -> list[RawItem]:
    rng = random.Random(4)
    return [
        _ninjs("flood-am", _START, "Marne levee breaks, 2,400 evacuated", _REPORT),
        _ninjs(
            "flood-pm",
            _START + timedelta(hours=8),
            "Marne flood residents return as river falls",
            _REWRITE,
        ),
        _ninjs("market-1", _START + timedelta(hours=10), "Stocks close higher", _market(2, rng)),
        _ninjs("market-2", _START + timedelta(hours=34), "Stocks close higher", _market(3, rng)),
    ]


def _ingest(root: StorageRoot, batches: list[list[RawItem]], params: MatchParams) -> dict:
    for number, raws in enumerate(batches):
        prepared = prepare_payloads(raws, DEFAULT_MINHASH)
        new = select_new(root, prepared.batch)
        commit(root, f"run-{number}", match(root, new, DEFAULT_MINHASH, params), [], {})
    table = read_stories(root, ["item_id", "cluster_id", "dup_kind", "match_rule"])
    return {r["item_id"]: r for r in table.to_pylist()}


@pytest.mark.parametrize("split", [False, True])
def test_a_rewrite_is_linked_and_a_template_report_of_the_next_day_is_not(
    tmp_path: Path, split: bool
) -> None:
    raws = _raws()
    batches = [raws[:1] + raws[2:3], raws[1:2] + raws[3:]] if split else [raws]
    rows = _ingest(StorageRoot(str(tmp_path)), batches, DEFAULT_MATCH)
    assert rows["flood-pm"]["cluster_id"] == rows["flood-am"]["cluster_id"]
    assert str(rows["flood-pm"]["match_rule"]).startswith("model p ")
    assert rows["market-2"]["cluster_id"] != rows["market-1"]["cluster_id"]


def test_the_thresholds_alone_do_not_link_the_rewrite(tmp_path: Path) -> None:
    rows = _ingest(StorageRoot(str(tmp_path)), [_raws()], MatchParams(decision="thresholds"))
    assert rows["flood-pm"]["cluster_id"] != rows["flood-am"]["cluster_id"]


def test_the_window_holds_the_stored_anchors_and_times(tmp_path: Path) -> None:
    root = StorageRoot(str(tmp_path))
    text = RawItem(
        "desk", "dated", b" date 2026-02-02 A story that gives its date and no time of day, "
        b"about the opening of a bridge over the river. (afp)", _FETCHED, "test:dated", "text",
    )  # fmt: skip
    _ingest(root, [[*_raws(), text]], DEFAULT_MATCH)
    window = load_window(root, DEFAULT_MINHASH, _START.date(), _START.date() + timedelta(days=3))
    stored = read_signatures(root, DEFAULT_MINHASH, _START.date())
    assert stored is not None
    by_id = dict(zip(stored.column("story_id").to_pylist(), range(stored.num_rows), strict=True))
    shingles = shingle_arrays(stored.column("shingles"))
    # The anchor index (the part's stored one) finds each story by all of its anchors.
    assert window.anchor_index is not None
    for row, story_id in enumerate(window.story_ids.to_pylist()):
        if story_id in by_id:
            expected = anchor_sets([shingles[by_id[story_id]]])[0]
            if len(expected):
                (found,) = window.anchor_index.query_many([expected], len(expected))
                assert row in found.tolist()
    stories = read_stories(root, ["story_id", "item_id", "published_at"]).to_pylist()
    times = dict(zip(window.story_ids.to_pylist(), window.time_of.tolist(), strict=True))
    for story in stories:
        if story["item_id"] == "dated":
            assert times[story["story_id"]] == NO_TIME
        else:
            assert times[story["story_id"]] == int(story["published_at"].timestamp())


def test_signatures_written_before_anchors_are_read_without_them(tmp_path: Path) -> None:
    root = StorageRoot(str(tmp_path))
    raws = _raws()
    _ingest(root, [raws[:1]], DEFAULT_MATCH)
    # Rewrite the stored signatures as an older run wrote them: no anchors column, no key, no
    # stored index.
    for relpath in root.files(SIGNATURES):
        path = Path(root.path(relpath))
        table = pq.read_table(path)
        metadata = {k: v for k, v in (table.schema.metadata or {}).items()}
        metadata.pop(ANCHORS_KEY.encode())
        metadata.pop(INDEX_KEY.encode())
        pq.write_table(table.drop_columns(["anchors"]).replace_schema_metadata(metadata), path)
    day = _START.date()
    stored = read_signatures(root, DEFAULT_MINHASH, day)
    assert stored is not None and stored.column("anchors").null_count == stored.num_rows
    window = load_window(root, DEFAULT_MINHASH, day, day)
    assert len(window) == 1 and window.anchor_index is not None
    assert len(window.anchor_index) == 0
    # A copy is still proposed by LSH and linked.
    copy = _ninjs("flood-copy", _START + timedelta(hours=1), "Marne levee breaks", _REPORT[:-1])
    new = select_new(root, prepare_payloads([copy], DEFAULT_MINHASH).batch)
    matched = match(root, new, DEFAULT_MINHASH, DEFAULT_MATCH, matcher_for(root, new))
    assert matched.values("dup_kind") == ["near"]
