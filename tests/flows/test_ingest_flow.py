"""The ingest flow under Prefect's test harness, on stories composed here."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from pydantic import ValidationError

from flows.ingest import ingest_flow
from flows.params import IngestParameters
from ingest import ConfigError
from storage import StorageRoot, read_rejects, read_runs, read_stories

REPORT = (
    " date 2026-11-20 GENÈVE (ats) - Le Conseil d'Etat genevois a présenté mardi un plan de "
    "rénovation des écoles primaires du canton, qui prévoit la remise à neuf de quarante "
    "bâtiments d'ici à la fin de la décennie.\n\n"
    "Le projet, chiffré à 380 millions de francs, doit encore passer devant le Grand Conseil. "
    "Les partis de gauche ont salué un effort attendu depuis longtemps, tandis que la droite "
    "demande un calendrier plus précis des dépenses.\n\n"
    "Les premiers chantiers pourraient débuter à l'été prochain dans les communes de Meyrin "
    "et de Vernier, selon le département de l'instruction publique. (ats/nxp)"
)
OTHER = (
    " date 2026-11-21 The city council of Leeds approved on Thursday a new cycling plan that "
    "adds forty kilometres of protected lanes across the northern districts by 2029.\n\n"
    "Councillors said the plan would be funded by a regional transport grant and a levy on "
    "workplace parking, which business groups have opposed. (Reuters)"
)


def _sources(tmp_path: Path, files: dict[str, dict[str, str]]) -> Path:
    blocks = []
    for source, items in files.items():
        folder = tmp_path / "in" / source
        folder.mkdir(parents=True)
        for name, text in items.items():
            (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        blocks.append(
            f'[[source]]\nname = "{source}"\nkind = "directory"\npath = "in/{source}"\n'
            f'format = "text"\n'
        )
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


@pytest.fixture
def setup(tmp_path: Path) -> IngestParameters:
    copy = REPORT.replace("GENÈVE (ats) - ", "").replace("(ats/nxp)", "(ats/afp/nxp)")
    sources = _sources(
        tmp_path,
        {
            "desk": {"ecoles": REPORT, "leeds": OTHER},
            "partner": {"ecoles_copie": copy, "broken": "no date token here"},
        },
    )
    return IngestParameters(sources_file=str(sources), root=str(tmp_path / "data"))


def test_flow_writes_clusters_rejects_and_a_run_row(setup: IngestParameters) -> None:
    summary = ingest_flow(setup)
    assert summary.total.read == 3
    assert summary.total.new == 3
    assert summary.total.exact == 1
    assert summary.total.rejected == 1
    root = StorageRoot(setup.root)
    stories = read_stories(root).to_pylist()
    by_item = {s["item_id"]: s for s in stories}
    assert by_item["ecoles_copie"]["cluster_id"] == by_item["ecoles"]["cluster_id"]
    assert by_item["ecoles_copie"]["dup_kind"] == "exact"
    assert by_item["ecoles_copie"]["dup_of"] == by_item["ecoles"]["story_id"]
    assert by_item["leeds"]["cluster_id"] == by_item["leeds"]["story_id"]
    assert by_item["ecoles"]["dateline"] == "GENÈVE"
    rejects = read_rejects(root).to_pylist()
    assert [(r["source"], r["item_id"]) for r in rejects] == [("partner", "broken")]
    assert root.read_bytes(rejects[0]["quarantine_path"]) == b"no date token here"
    runs = read_runs(root).to_pylist()
    assert len(runs) == 1 and runs[0]["status"] == "completed"
    assert runs[0]["new"] == 3 and runs[0]["run_id"] == summary.run_id
    assert json.loads(runs[0]["per_source"])["partner"]["rejected"] == 1


def test_rerun_adds_nothing(setup: IngestParameters) -> None:
    first = ingest_flow(setup)
    second = ingest_flow(setup)
    assert first.total.new == 3
    assert second.total.new == 0
    assert second.total.already_stored == 3
    assert read_stories(StorageRoot(setup.root)).num_rows == 3
    assert len(read_runs(StorageRoot(setup.root))) == 2


def test_dry_run_writes_nothing(setup: IngestParameters) -> None:
    summary = ingest_flow(setup.model_copy(update={"dry_run": True}))
    assert summary.total.new == 3
    assert not Path(setup.root).exists()


def test_flow_leaves_a_summary_artifact(setup: IngestParameters) -> None:
    summary = ingest_flow(setup)

    async def artifacts() -> list[str]:
        async with get_client() as client:
            found = await client.read_artifacts()
            return [a.data for a in found if a.key == "wiredup-ingest-summary"]

    texts = asyncio.run(artifacts())
    assert any(summary.run_id in str(text) and "| partner |" in str(text) for text in texts)


def test_only_named_sources_are_read(setup: IngestParameters) -> None:
    summary = ingest_flow(setup.model_copy(update={"sources": ["desk"]}))
    assert set(summary.per_source) == {"desk"}
    assert summary.total.new == 2


def test_unknown_source_is_refused_naming_it(setup: IngestParameters) -> None:
    with pytest.raises(ConfigError, match="nowhere"):
        ingest_flow(setup.model_copy(update={"sources": ["nowhere"]}))
    assert not (Path(setup.root) / "stories").exists()


def test_bad_parameters_are_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError, match="near_threshold"):
        IngestParameters(near_threshold=1.5)
    with pytest.raises(ValidationError, match="window_days"):
        IngestParameters(window_days=-1)


def test_the_flow_steps_are_the_pipeline_steps_as_tasks(setup: IngestParameters) -> None:
    # The tasks wrap the pipeline's plain functions; .fn runs the logic without orchestration.
    import pipeline
    from dedupe import DEFAULT_MINHASH, signature_matrix
    from flows.ingest import STEPS
    from ingest import load_sources

    assert STEPS.read_source.fn is pipeline.read_source
    assert STEPS.prepare.fn is pipeline.prepare_payloads
    assert STEPS.match.fn is pipeline.match
    assert STEPS.commit.fn is pipeline.commit
    source = load_sources(setup.sources_file)[0]
    got = STEPS.read_source.fn(source, None, None, "run")
    prepared = STEPS.prepare.fn(got.raws, DEFAULT_MINHASH)
    assert prepared.batch.values("item_id") == ["ecoles", "leeds"]
    assert got.rejects == [] and prepared.rejects == []
    signatures = signature_matrix(prepared.batch.column("signature"), DEFAULT_MINHASH.num_perm)
    assert signatures.shape == (2, DEFAULT_MINHASH.num_perm)


def test_the_window_spans_runs(tmp_path: Path) -> None:
    # Run 1 stores the report; run 2, another flow run, gets the extended update and a brief:
    # both join the stored story's cluster through the window loaded from storage.
    update = REPORT.replace(" date 2026-11-20", " date 2026-11-21").replace(
        " (ats/nxp)",
        ".\n\nLe débat au Grand Conseil est prévu pour le mois de février, a précisé le "
        "département, qui espère une décision avant l'été. (ats/nxp)",
    )
    brief = " date 2026-11-22 " + REPORT.split("\n\n")[0].split(" - ", 1)[1] + " (ats)"
    sources = _sources(tmp_path, {"desk": {"ecoles": REPORT}})
    params = IngestParameters(sources_file=str(sources), root=str(tmp_path / "data"))
    first = ingest_flow(params)
    (tmp_path / "in" / "desk" / "ecoles_suite.txt").write_text(update, encoding="utf-8")
    (tmp_path / "in" / "desk" / "ecoles_bref.txt").write_text(brief, encoding="utf-8")
    second = ingest_flow(params)
    assert (first.total.new, second.total.new, second.total.already_stored) == (1, 2, 1)
    rows = {r["item_id"]: r for r in read_stories(StorageRoot(params.root)).to_pylist()}
    origin = rows["ecoles"]
    assert rows["ecoles_suite"]["cluster_id"] == origin["cluster_id"]
    assert rows["ecoles_suite"]["dup_kind"] == "near"
    assert rows["ecoles_bref"]["cluster_id"] == origin["cluster_id"]
    assert rows["ecoles_bref"]["dup_kind"] in {"containment", "near"}
    assert rows["ecoles_suite"]["run_id"] != origin["run_id"]
