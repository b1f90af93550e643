"""The stories dataset, the signatures window, rejects and runs, written to and read back from a
real folder with pyarrow, DuckDB, polars and pandas."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from dedupe import (
    DEFAULT_MATCH,
    DEFAULT_MINHASH,
    Match,
    Matcher,
    MinHashParams,
    Signer,
    estimate_jaccard,
    shingle_arrays,
    sign,
    signature_column,
    signature_matrix,
    with_matches,
)
from dedupe.anchors import anchor_sets
from ingest import ParamsMismatchError, RawItem, Story, prepare
from record.batch import StoryBatch
from record.schema import STORY_DATASET_SCHEMA, STORY_SCHEMA
from storage import (
    StorageRoot,
    load_window,
    quarantine_path,
    read_rejects,
    read_runs,
    read_stories,
    stamped,
    stored_among,
    write_rejects,
    write_run,
    write_signatures,
    write_stories,
)
from storage.indexes import INDEX_PREFIX
from tests.conftest import SAMPLES
from tests.storage.builders import make_stories, stored_indexes

RUN_ID = "run-20261124-0600"
INGESTED = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
FETCHED = datetime(2026, 11, 24, 5, 59, tzinfo=UTC)

BUDGET = (
    "Le gouvernement a présenté mardi son projet de budget pour 2027, qui prévoit une baisse des "
    "dépenses de fonctionnement de l'Etat et un gel des dotations aux collectivités locales."
    "\n\nLe texte sera débattu à l'Assemblée nationale à partir du 2 décembre, où l'opposition "
    "promet de déposer plusieurs centaines d'amendements."
)
TEXTS = {
    "budget_afp": ("2026-11-18", f"PARIS (AFP) - {BUDGET}\n\n© AFP"),
    "budget_partner": ("2026-11-19", f"{BUDGET} (afp/nxp)"),
    "storm": (
        "2026-11-19",
        "The storm brought winds of more than 120 kilometres an hour to the "
        "Cornish coast overnight, cutting power to thousands of homes. (Reuters)",
    ),
    "football": (
        "2026-11-22",
        "Servette a battu Lugano 3-1 samedi au Stade de Genève et "
        "conforte sa place en tête du championnat de Super League. (ats/nxp)",
    ),
}
ALL_DATES = (date(2026, 11, 1), date(2026, 11, 30))


@dataclasses.dataclass(frozen=True)
class Batch:
    signed: StoryBatch  # the stories with their signature and shingles columns
    matches: list[Match]

    @property
    def stories(self) -> list[Story]:
        return self.signed.stories()

    @property
    def shingles(self) -> list[np.ndarray]:
        return shingle_arrays(self.signed.column("shingles"))

    @property
    def signatures(self) -> np.ndarray:
        return signature_matrix(self.signed.column("signature"), DEFAULT_MINHASH.num_perm)

    def rows(self, stories: list[Story] | None = None) -> pa.Table:
        """The story rows of ``stories`` (default: all), matched and stamped, as storage takes."""
        by_id = {m.story_id: m for m in self.matches}
        chosen = self.stories if stories is None else stories
        matched = with_matches(StoryBatch.of(chosen), [by_id[s.story_id] for s in chosen])
        return stamped(matched, RUN_ID, INGESTED).table.select(STORY_DATASET_SCHEMA.names)


@pytest.fixture(scope="module")
def batch() -> Batch:
    raws = [
        RawItem(
            source="desk",
            item_id=item_id,
            data=f" date {day} {text}".encode(),
            fetched_at=FETCHED,
            location=f"/feeds/desk/{item_id}.txt",
        )
        for item_id, (day, text) in TEXTS.items()
    ]
    stories, rejects = prepare(raws)
    assert rejects == []
    stories.sort(key=lambda s: (s.published_at, s.item_id))
    signer = Signer()
    signed = sign(StoryBatch.of(stories), DEFAULT_MINHASH, signer)
    shingles = shingle_arrays(signed.column("shingles"))
    signatures = signature_matrix(signed.column("signature"), DEFAULT_MINHASH.num_perm)
    matcher = Matcher(signer)
    matches = [
        matcher.assign(s.story_id, s.content_hash, sh, sig)
        for s, sh, sig in zip(stories, shingles, signatures, strict=True)
    ]
    return Batch(signed, matches)


def _key(row: dict) -> tuple:
    return (
        row["story_id"],
        row["source"],
        row["item_id"],
        row["cluster_id"],
        row["dup_kind"],
        row["body"],
        tuple(row["agencies"]),
        row["story_date"],
    )


def _expected(batch: Batch) -> list[tuple]:
    return sorted(_key(r) for r in batch.rows().to_pylist())


# -- stories/ --------------------------------------------------------------------------------


def test_story_rows_carry_the_match(batch):
    rows = {r["item_id"]: r for r in batch.rows().to_pylist()}
    assert rows["budget_partner"]["dup_kind"] == "exact"
    assert rows["budget_partner"]["dup_of"] == rows["budget_afp"]["story_id"]
    assert rows["budget_partner"]["cluster_id"] == rows["budget_afp"]["story_id"]
    assert rows["budget_afp"]["dup_kind"] is None
    assert rows["budget_afp"]["agencies"] == ["afp"]
    assert rows["budget_afp"]["copyright"] == "© AFP"
    assert rows["budget_afp"]["dateline"] == "PARIS"
    assert rows["storm"]["language"] == "en"


def test_write_stories_partitions_by_story_date(tmp_path, batch):
    root = StorageRoot(tmp_path)

    written = write_stories(root, batch.rows())

    assert written == root.files("stories")
    assert [w.split("/")[1] for w in written] == [
        "story_date=2026-11-18",
        "story_date=2026-11-19",
        "story_date=2026-11-22",
    ]
    for relpath in written:
        schema = pq.read_schema(tmp_path / relpath)
        assert "story_date" not in schema.names
        assert schema.names == STORY_SCHEMA.names
        assert schema.field("body").metadata[b"doc"]
        day = date.fromisoformat(relpath.split("/")[1].split("=")[1])
        table = pq.read_table(tmp_path / relpath)
        published = table.column("published_at").to_pylist()
        assert {p.date() for p in published} == {day}


def test_pyarrow_reader_and_filters(tmp_path, batch):
    root = StorageRoot(tmp_path)
    write_stories(root, batch.rows())

    table = read_stories(root)
    assert sorted(_key(r) for r in table.to_pylist()) == _expected(batch)
    assert table.schema.field("story_date").type == pa.date32()
    ids = {s.story_id for s in batch.stories}
    assert stored_among(root, [*ids, "not-stored"]) == ids
    middle = read_stories(root, ["item_id"], date(2026, 11, 19), date(2026, 11, 19))
    assert sorted(middle.column("item_id").to_pylist()) == ["budget_partner", "storm"]
    assert read_stories(root, ["item_id"], date_from=date(2026, 11, 20)).num_rows == 1


def test_duckdb_reads_the_dataset(tmp_path, batch):
    write_stories(StorageRoot(tmp_path), batch.rows())
    relation = duckdb.sql(
        "select story_id, source, item_id, cluster_id, dup_kind, body, agencies, story_date "
        f"from read_parquet('{tmp_path}/stories/**/*.parquet', hive_partitioning = true)"
    )
    rows = [dict(zip(relation.columns, values, strict=True)) for values in relation.fetchall()]
    assert sorted(_key(r) for r in rows) == _expected(batch)
    assert all(type(r["story_date"]) is date for r in rows)
    [(count,)] = duckdb.sql(
        f"select count(*) from read_parquet('{tmp_path}/stories/**/*.parquet', "
        "hive_partitioning = true) where dup_kind = 'exact'"
    ).fetchall()
    assert count == 1


def test_polars_reads_the_dataset(tmp_path, batch):
    write_stories(StorageRoot(tmp_path), batch.rows())
    frame = pl.scan_parquet(f"{tmp_path}/stories/**/*.parquet", hive_partitioning=True).collect()
    assert frame.schema["story_date"] == pl.Date
    assert sorted(_key(r) for r in frame.to_dicts()) == _expected(batch)


def test_pandas_reads_the_same_rows(tmp_path, batch):
    write_stories(StorageRoot(tmp_path), batch.rows())
    frame = pd.read_parquet(tmp_path / "stories")
    rows = frame.to_dict("records")
    assert len(rows) == len(batch.stories)
    found = sorted((r["story_id"], r["item_id"], r["body"], str(r["story_date"])) for r in rows)
    assert found == sorted(
        (s.story_id, s.item_id, s.body, s.story_date.isoformat()) for s in batch.stories
    )


def test_pandas_read_as_documented_gives_story_date_as_a_date(tmp_path, batch):
    # A plain pd.read_parquet infers partition values as strings; the README gives pandas the
    # partition type, as this call does.
    write_stories(StorageRoot(tmp_path), batch.rows())
    hive = ds.partitioning(pa.schema([("story_date", pa.date32())]), flavor="hive")
    frame = pd.read_parquet(tmp_path / "stories", partitioning=hive)
    assert all(type(v) is date for v in frame["story_date"])
    assert sorted(frame["story_date"]) == sorted(s.story_date for s in batch.stories)


def test_writing_the_same_rows_twice_keeps_one_file_per_partition(tmp_path, batch):
    root = StorageRoot(tmp_path)
    first = write_stories(root, batch.rows())
    rows = batch.rows()
    again = write_stories(root, rows.take(list(reversed(range(rows.num_rows)))))

    assert first == again
    assert root.files("stories") == first
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        f.split("/")[-1] for f in first
    )
    [(count,)] = duckdb.sql(
        f"select count(*) - count(distinct story_id) from read_parquet("
        f"'{tmp_path}/stories/**/*.parquet', hive_partitioning = true)"
    ).fetchall()
    assert count == 0
    assert read_stories(root).num_rows == len(batch.stories)


# -- signatures/ and the window -----------------------------------------------------------------


# The window indexed from the parts' stored indexes, and from their values where a part has
# none (written before indexes were stored, or its index lost): the same window either way.
INDEXES = ["stored", "from-values"]


def _write(root: StorageRoot, batch, stored_index: str, stories=None) -> None:
    write_signatures(root, DEFAULT_MINHASH, batch.signed)
    write_stories(root, batch.rows(stories) if stories is not None else batch.rows())
    indexes = [f for f in (root.local_path / "signatures").rglob(f"{INDEX_PREFIX}*")]
    assert len(indexes) == len(root.files("signatures"))  # one beside each part
    if stored_index == "from-values":
        for f in indexes:
            f.unlink()


@pytest.mark.parametrize("index", INDEXES)
def test_signatures_round_trip_through_the_window(tmp_path, batch, index):
    root = StorageRoot(tmp_path)
    _write(root, batch, index)

    window = load_window(root, DEFAULT_MINHASH, *ALL_DATES)
    assert window.signatures is None  # on disk, read for the stories asked for
    members = window.members()

    by_id = {m.story_id: m for m in members}
    assert set(by_id) == {s.story_id for s in batch.stories}
    digests = dict(
        zip(window.story_ids.to_pylist(), window.content_hashes.to_pylist(), strict=True)
    )
    clusters = {m.story_id: m.cluster_id for m in batch.matches}
    for i, story in enumerate(batch.stories):
        member = by_id[story.story_id]
        assert member.cluster_id == clusters[story.story_id]
        assert digests[story.story_id] == story.content_hash
        assert member.signature.dtype == np.uint32
        assert member.shingles.dtype == np.uint32
        np.testing.assert_array_equal(member.signature, batch.signatures[i])
        np.testing.assert_array_equal(member.shingles, batch.shingles[i])


@pytest.mark.parametrize("index", INDEXES)
def test_window_members_match_like_the_originals(tmp_path, batch, index):
    root = StorageRoot(tmp_path)
    _write(root, batch, index)
    matcher = Matcher(Signer(), history=load_window(root, DEFAULT_MINHASH, *ALL_DATES))
    i = next(i for i, s in enumerate(batch.stories) if s.item_id == "storm")
    match = matcher.assign("storm-copy", "another-hash", batch.shingles[i], batch.signatures[i])
    assert match.dup_kind == "near"
    assert match.dup_of == batch.stories[i].story_id
    assert match.jaccard_estimate == estimate_jaccard(batch.signatures[i], batch.signatures[i])


def test_a_window_indexed_in_other_bands_refuses_a_matcher_of_other_bands(tmp_path, batch):
    root = StorageRoot(tmp_path)
    _write(root, batch, "stored")
    # The stored indexes are in the default bands: these are made from the values.
    window = load_window(root, DEFAULT_MINHASH, *ALL_DATES, lsh=(32, 4))
    assert window.band_index.bands == 32
    with pytest.raises(ValueError, match="32 bands of 4 rows"):
        Matcher(Signer(), history=window)


@pytest.mark.parametrize("index", INDEXES)
def test_window_skips_signatures_whose_story_is_not_stored(tmp_path, batch, index):
    root = StorageRoot(tmp_path)
    # All four signed, but the run died before storm was stored.
    stored = [s for s in batch.stories if s.item_id != "storm"]
    _write(root, batch, index, stories=stored)

    window = load_window(root, DEFAULT_MINHASH, *ALL_DATES)
    members = window.members()

    assert {m.story_id for m in members} == {s.story_id for s in stored}
    # The indexes answer window rows of stored stories only: storm proposes none of its own.
    storm = next(i for i, s in enumerate(batch.stories) if s.item_id == "storm")
    (found,) = window.band_index.query_many(batch.signatures[storm][None, :])
    ids = window.story_ids.to_pylist()
    assert all(0 <= r < len(window) for r in found)
    assert batch.stories[storm].story_id not in {ids[r] for r in found}


@pytest.mark.parametrize("index", INDEXES)
def test_a_story_signed_twice_is_one_row_of_the_window(tmp_path, batch, index):
    root = StorageRoot(tmp_path)
    write_signatures(root, DEFAULT_MINHASH, batch.signed)
    # A rerun after a crash signed one story again, in a part of its own (a part of other
    # stories than the first one of its date).
    days = batch.signed.values("story_date")
    shared = next(i for i, d in enumerate(days) if days.count(d) > 1)
    write_signatures(root, DEFAULT_MINHASH, batch.signed.take([shared]))
    rows = sum(pq.read_metadata(tmp_path / f).num_rows for f in root.files("signatures"))
    assert rows == len(batch.stories) + 1
    write_stories(root, batch.rows())
    if index == "from-values":
        for f in (tmp_path / "signatures").rglob(f"{INDEX_PREFIX}*"):
            f.unlink()

    window = load_window(root, DEFAULT_MINHASH, *ALL_DATES)

    assert sorted(window.story_ids.to_pylist()) == sorted(s.story_id for s in batch.stories)
    by_id = {m.story_id: m.signature for m in window.members()}
    for i, story in enumerate(batch.stories):
        np.testing.assert_array_equal(by_id[story.story_id], batch.signatures[i])


def test_window_is_empty_before_anything_is_stored(tmp_path, batch):
    root = StorageRoot(tmp_path)
    assert len(load_window(root, DEFAULT_MINHASH, *ALL_DATES)) == 0
    write_signatures(root, DEFAULT_MINHASH, batch.signed)
    assert len(load_window(root, DEFAULT_MINHASH, *ALL_DATES)) == 0


def test_window_skips_canceled_stories(tmp_path, batch):
    root = StorageRoot(tmp_path)
    killed = {"football"}
    stories = [
        dataclasses.replace(s, pubstatus="canceled") if s.item_id in killed else s
        for s in batch.stories
    ]
    write_signatures(root, DEFAULT_MINHASH, batch.signed)
    write_stories(root, batch.rows(stories))

    members = load_window(root, DEFAULT_MINHASH, *ALL_DATES).members()

    assert {m.story_id for m in members} == {
        s.story_id for s in batch.stories if s.item_id not in killed
    }


def test_a_rewritten_part_is_read_with_its_new_index_and_the_old_one_goes(tmp_path, batch):
    root = StorageRoot(tmp_path)
    _write(root, batch, "stored")
    # A rerun writes the same parts again from other values (as if signed otherwise): each
    # part's index file is replaced, and the window proposes what the new values propose.
    others = np.full_like(batch.signatures, 7)
    table = batch.signed.table
    again = table.set_column(
        table.schema.get_field_index("signature"), "signature", signature_column(others)
    )
    write_signatures(root, DEFAULT_MINHASH, StoryBatch(again))
    indexes = stored_indexes(root)
    assert len(indexes) == len(root.files("signatures")) and None not in indexes.values()
    window = load_window(root, DEFAULT_MINHASH, *ALL_DATES)
    (found,) = window.band_index.query_many(others[:1])
    assert len(found) == len(batch.stories)  # all alike now
    (old,) = window.band_index.query_many(batch.signatures[:1])
    assert len(old) == 0


def test_a_damaged_index_is_not_read_and_the_part_is_indexed_from_its_values(tmp_path, batch):
    root = StorageRoot(tmp_path)
    _write(root, batch, "stored")
    anchors = anchor_sets(batch.shingles)
    whole = load_window(root, DEFAULT_MINHASH, *ALL_DATES)
    expected = whole.band_index.query_many(batch.signatures)
    expected_anchors = whole.anchor_index.query_many(anchors, DEFAULT_MATCH.anchor_min_shared)
    assert all(len(e) for e in expected_anchors)  # each story shares its anchors with itself
    for f in (tmp_path / "signatures").rglob(f"{INDEX_PREFIX}*"):
        f.write_bytes(f.read_bytes()[:-4])  # a torn write
    assert set(stored_indexes(root).values()) == {None}
    window = load_window(root, DEFAULT_MINHASH, *ALL_DATES)
    for a, b in zip(window.band_index.query_many(batch.signatures), expected, strict=True):
        np.testing.assert_array_equal(a, b)
    found = window.anchor_index.query_many(anchors, DEFAULT_MATCH.anchor_min_shared)
    for a, b in zip(found, expected_anchors, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("window", "items"),
    [
        ((date(2026, 11, 19), date(2026, 11, 19)), {"budget_partner", "storm"}),
        ((date(2026, 11, 18), date(2026, 11, 21)), {"budget_afp", "budget_partner", "storm"}),
        ((date(2026, 11, 20), date(2026, 11, 30)), {"football"}),
        ((date(2026, 11, 23), date(2026, 11, 30)), set()),
    ],
)
def test_window_is_restricted_to_the_date_range(tmp_path, batch, window, items):
    root = StorageRoot(tmp_path)
    write_signatures(root, DEFAULT_MINHASH, batch.signed)
    write_stories(root, batch.rows())
    ids = {s.story_id: s.item_id for s in batch.stories}
    assert {ids[m.story_id] for m in load_window(root, DEFAULT_MINHASH, *window).members()} == items


@pytest.mark.parametrize(
    "other",
    [MinHashParams(num_perm=64), MinHashParams(seed=2), MinHashParams(shingle_size=4)],
    ids=["num_perm", "seed", "shingle_size"],
)
def test_window_refuses_other_minhash_params(tmp_path, batch, other):
    root = StorageRoot(tmp_path)
    write_signatures(root, DEFAULT_MINHASH, batch.signed)
    write_stories(root, batch.rows())
    with pytest.raises(ParamsMismatchError) as info:
        load_window(root, other, *ALL_DATES)
    assert "backfill" in str(info.value)


def test_signature_files_carry_their_params(tmp_path, batch):
    root = StorageRoot(tmp_path)
    params = MinHashParams(num_perm=64, seed=3)
    signer = Signer(params)
    written = write_signatures(root, params, sign(StoryBatch.of(batch.stories), params, signer))
    for relpath in written:
        metadata = {
            k.decode(): v.decode() for k, v in pq.read_schema(tmp_path / relpath).metadata.items()
        }
        assert MinHashParams.from_metadata(metadata) == params
    write_stories(root, batch.rows())
    assert len(load_window(root, params, *ALL_DATES)) == len(batch.stories)


# -- rejects/ and quarantine/ ---------------------------------------------------------------------


def test_rejects_keep_raw_bytes_in_quarantine(tmp_path):
    root = StorageRoot(tmp_path)
    bad = RawItem(
        source="wire-en",
        item_id="corrupt",
        # The sample corrupt transmission: bytes that no charset reads as text.
        data=(SAMPLES / "wire-en" / "corrupt_transmission.txt").read_bytes(),
        fetched_at=FETCHED,
        location="/feeds/wire-en/corrupt.txt",
    )
    _, rejects = prepare([bad])
    [reject] = rejects
    unreadable = dataclasses.replace(
        reject,
        item_id="locked",
        sha256=None,
        size=0,
        reason="unreadable: permission denied",
        location="/feeds/wire-en/locked.txt",
    )

    written = write_rejects(root, [reject, unreadable], RUN_ID, {bad.location: bad})
    assert written == write_rejects(root, [reject, unreadable], RUN_ID, {bad.location: bad})

    kept = quarantine_path(reject.sha256)
    assert kept == f"quarantine/{reject.sha256[:2]}/{reject.sha256}"
    assert (tmp_path / kept).read_bytes() == bad.data
    rows = sorted(read_rejects(root).to_pylist(), key=lambda r: r["item_id"])
    assert [r["item_id"] for r in rows] == ["corrupt", "locked"]
    corrupt, locked = rows
    assert corrupt["sha256"] == reject.sha256
    assert corrupt["size"] == len(bad.data)
    assert corrupt["quarantine_path"] == kept
    assert corrupt["reason"] == reject.reason
    assert corrupt["run_id"] == RUN_ID
    assert corrupt["fetched_at"] == FETCHED
    assert corrupt["reject_date"] == FETCHED.date()
    assert (locked["sha256"], locked["quarantine_path"]) == (None, None)


# -- runs/ -------------------------------------------------------------------------------------


def _run(run_id: str, started: datetime, **counts) -> dict:
    base = dict(read=4, new=4, already_stored=0, exact=1, near=0, containment=0, rejected=0)
    base.update(counts)
    return {
        "run_id": run_id,
        "flow": "ingest",
        "status": "completed",
        "started_at": started,
        "finished_at": started.replace(second=30),
        "seconds": 30.0,
        "parameters": json.dumps({"window_days": 7}),
        "per_source": json.dumps({"desk": base}),
        "error": None,
        **base,
    }


def test_runs_round_trip_oldest_first(tmp_path):
    root = StorageRoot(tmp_path)
    late = _run("run-b", datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    early = _run("run-a", datetime(2026, 11, 23, 6, 0, tzinfo=UTC), rejected=1)
    write_run(root, late)
    write_run(root, early)
    write_run(root, {**late, "status": "failed", "error": "disk full"})  # replaces run-b

    rows = read_runs(root).to_pylist()

    assert [r["run_id"] for r in rows] == ["run-a", "run-b"]
    assert rows[0]["rejected"] == 1
    assert rows[0]["started_at"] == early["started_at"]
    assert rows[0]["run_date"] == date(2026, 11, 23)
    assert json.loads(rows[0]["parameters"]) == {"window_days": 7}
    assert (rows[1]["status"], rows[1]["error"]) == ("failed", "disk full")


def test_a_batch_of_stories_keeps_their_fields_and_replaces_a_column_row_for_row():
    stories = make_stories(3)
    batch = StoryBatch.of(stories)
    assert batch.stories() == stories  # tuple fields come back as tuples
    renamed = batch.replaced({"content_hash": ["h0", "h1", "h2"]})
    assert renamed.values("content_hash") == ["h0", "h1", "h2"]
    assert renamed.values("story_id") == batch.values("story_id")
    assert renamed.table.schema == batch.table.schema
    with pytest.raises(ValueError, match="2 values for 3 rows"):
        batch.replaced({"content_hash": ["h0", "h1"]})
    with pytest.raises(ValueError, match="not in the batch"):
        batch.replaced({"nope": ["a", "b", "c"]})
