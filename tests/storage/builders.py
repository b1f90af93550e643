"""Real stories written the way the ingest flow writes them, one part per call."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pyarrow.fs as pafs
import pyarrow.parquet as pq

from dedupe import DEFAULT_MINHASH, match_order, sign
from ingest import RawItem, Story, prepare
from pipeline import commit, match
from record import StoryBatch
from storage import SIGNATURES, StorageRoot
from storage.indexes import INDEX_KEY, INDEX_PREFIX, PartIndex, read_index
from storage.window import default_lsh

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
DATES = (date(2026, 11, 1), date(2026, 11, 30))
_PLACES = ["Genève", "Lausanne", "Sion", "Berne", "Bâle", "Zurich", "Lugano", "Coire", "Fribourg"]


def make_stories(count: int, day: int = 20) -> list[Story]:
    """``count`` distinct stories of 2026-11-``day`` (their texts share little)."""
    raws = []
    for i in range(count):
        place = _PLACES[i % len(_PLACES)]
        text = (
            f" date 2026-11-{day:02d} Le conseil communal de {place} a voté le point {i} "
            f"de l'ordre du jour numéro {i * 7919 % 1000}, séance {i}, budget {i * 31} francs, "
            f"rapporteur {i * 13} et commission {i * 17}. (ats/nxp)"
        )
        raws.append(RawItem("wire", f"item-{day}-{i:03d}", text.encode(), NOW, f"/w/{i}.txt"))
    stories, rejects = prepare(raws)
    assert rejects == []
    return stories


def store(root: StorageRoot, stories: list[Story], run_id: str = "run-1") -> None:
    """What a run does with new stories: sign, match against the window, commit."""
    batch = sign(StoryBatch.of(stories), DEFAULT_MINHASH)
    matched = match(root, batch.take(match_order(batch)))
    commit(root, run_id, matched, [], {}, DEFAULT_MINHASH, NOW)


def stored_indexes(root: StorageRoot) -> dict[str, PartIndex | None]:
    """Each signatures part and the stored index it is read with (None: made from values),
    after checking that no index file lies beside the parts but theirs."""
    selector = pafs.FileSelector(root.path(SIGNATURES), recursive=True, allow_not_found=True)
    base = root.path("").rstrip("/") + "/"
    index_files = sorted(
        i.path[len(base) :]
        for i in root.fs.get_file_info(selector)
        if i.path.rsplit("/", 1)[-1].startswith(INDEX_PREFIX)
    )
    out: dict[str, PartIndex | None] = {}
    named = []
    for part in root.files(SIGNATURES):
        with root.fs.open_input_file(root.path(part)) as src:
            file = pq.ParquetFile(src)
            metadata = file.schema_arrow.metadata
            rows = file.metadata.num_rows
        out[part] = read_index(root, part, metadata, rows, default_lsh(DEFAULT_MINHASH))
        entry = json.loads(metadata[INDEX_KEY.encode()]) if INDEX_KEY.encode() in metadata else {}
        if entry:
            named.append(f"{part.rsplit('/', 1)[0]}/{entry['file']}")
    assert index_files == sorted(named), "an index file that no part names"
    return out
