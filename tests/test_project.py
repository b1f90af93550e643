"""Project-wide promises: the README matches the code, the packages stay Prefect-free."""

from __future__ import annotations

import re
import subprocess
import sys

import dedupe
import ingest
import storage
from storage import STORY_DATASET_SCHEMA, field_docs
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
    code = "import sys, ingest, dedupe, storage; print('prefect' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert out.stdout.strip() == "False"


def test_exported_names_exist() -> None:
    for package in (ingest, dedupe, storage):
        exported = set(package.__all__)
        assert exported == {n for n in exported if hasattr(package, n)}
        assert len(exported) == len(package.__all__)
