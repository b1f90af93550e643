"""Project-wide promises: the README matches the code, the packages stay Prefect-free."""

from __future__ import annotations

import re
import subprocess
import sys

import dedupe
import ingest
import pipeline
import record
import storage
from record.schema import STORY_DATASET_SCHEMA, field_docs
from tests.conftest import PROJECT


def test_readme_schema_table_matches_the_declared_schema() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The `stories/` schema", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (yes|no) \| (.+) \|$", section, re.MULTILINE)
    documented = {
        name: (type_.strip(), nullable == "yes", doc.strip()) for name, type_, nullable, doc in rows
    }
    declared = {
        f.name: (str(f.type), f.nullable, field_docs(STORY_DATASET_SCHEMA)[f.name])
        for f in STORY_DATASET_SCHEMA
    }
    assert documented == declared


def test_every_design_field_is_in_the_schema() -> None:
    design = {
        "story_id",
        "source",
        "item_id",
        "version",
        "cluster_id",
        "dup_kind",
        "dup_of",
        "similarity",
        "headline",
        "body",
        "agencies",
        "editors",
        "dateline",
        "published_at",
        "story_date",
        "language",
        "content_hash",
        "pubstatus",
        "embargo_until",
        "run_id",
        "ingested_at",
    }
    assert design <= set(STORY_DATASET_SCHEMA.names)
    assert all(field_docs(STORY_DATASET_SCHEMA).values())


def test_library_packages_do_not_import_prefect() -> None:
    code = "import sys, ingest, dedupe, storage, pipeline, record; print('prefect' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert out.stdout.strip() == "False"


def test_exported_names_exist() -> None:
    for package in (ingest, dedupe, storage, pipeline, record):
        exported = set(package.__all__)
        assert exported == {n for n in exported if hasattr(package, n)}
        assert len(exported) == len(package.__all__)


def _loaded_by(package: str) -> set[str]:
    code = f"import sys, {package}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    return set(out.stdout.split())


PARSERS_AND_CLIENT = {"httpx", "httpcore", "feedparser", "selectolax", "lxml", "ftfy", "py3langid"}


def test_storage_and_dedupe_load_neither_the_parsers_nor_the_http_client() -> None:
    for package in ("storage", "dedupe", "record"):
        loaded = _loaded_by(package)
        top = {name.split(".")[0] for name in loaded}
        assert not top & PARSERS_AND_CLIENT, (package, sorted(top & PARSERS_AND_CLIENT))
        assert "ingest" not in top, package


def test_each_stage_owns_its_columns_of_the_story_record() -> None:
    from dataclasses import fields

    from dedupe import Match
    from record.schema import DEDUPE, INGEST, MATCH, STAGES, STORAGE, columns_of, field_stage
    from record.story import Story

    assert {f.name for f in fields(Story)} == {f.name for f in columns_of(INGEST)}
    assert [f.name for f in columns_of(DEDUPE)] == ["signature", "shingles"]
    # Match.rule is stored as match_rule; every other match field under its own name.
    assert {f.name for f in fields(Match)} - {"story_id", "rule"} | {"match_rule"} == {
        f.name for f in columns_of(MATCH)
    }
    assert [f.name for f in columns_of(STORAGE)] == ["run_id", "ingested_at"]
    assert all(field_stage(f) in STAGES for f in STORY_DATASET_SCHEMA)


def test_a_stage_adds_only_its_own_columns() -> None:
    import pytest

    from record.batch import StoryBatch

    batch = StoryBatch.empty()
    with pytest.raises(ValueError, match="stage 'storage' adds"):
        batch.with_columns("storage", {"run_id": [], "cluster_id": []})
    stamped = batch.with_columns("storage", {"run_id": [], "ingested_at": []})
    assert stamped.names[-2:] == ["run_id", "ingested_at"]
