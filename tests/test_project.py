"""Project-wide promises: the README matches the code, the packages stay Prefect-free."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions

import dedupe
import ingest
import pipeline
import record
import report
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
    assert [f.name for f in columns_of(DEDUPE)] == ["signature", "shingles", "anchors"]
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


PACKAGES = ("flows", "ingest", "dedupe", "storage", "report", "pipeline", "record")


def _top_level_imports(package: str) -> dict[str, str]:
    """Top-level module name -> one file of ``package`` that imports it (lazy imports too)."""
    found: dict[str, str] = {}
    for path in sorted((PROJECT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(PROJECT)))
    return found


def _distribution(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~;\s]", requirement, maxsplit=1)[0]).lower()


def test_every_third_party_import_is_declared_in_pyproject() -> None:
    # `pip install .` alone must give a working install: whatever the packages import is a
    # declared dependency, not something that happens to come along with prefect.
    declared = {
        _distribution(r)
        for r in tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "dependencies"
        ]
    }
    pinned = {
        _distribution(line)
        for line in (PROJECT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    distributions = packages_distributions()
    imported: dict[str, str] = {}
    for package in PACKAGES:
        imported.update(_top_level_imports(package))
    third_party = {
        name: where
        for name, where in imported.items()
        if name not in sys.stdlib_module_names and name not in PACKAGES and name != "__future__"
    }
    assert {"prefect", "httpx", "selectolax", "httpcore", "jinja2"} <= set(third_party)
    missing = []
    for name, where in sorted(third_party.items()):
        names = {_distribution(d) for d in distributions.get(name, [])}
        assert names, f"{name} (imported by {where}) belongs to no installed distribution"
        if not names & declared:
            missing.append(f"{name} ({', '.join(sorted(names))}, imported by {where})")
        assert names & pinned, f"{name} is not pinned in requirements.txt"
    assert not missing, "not declared in pyproject.toml: " + "; ".join(missing)


def test_report_is_plain_python_with_a_small_surface() -> None:
    code = "import sys, report; print('prefect' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert out.stdout.strip() == "False"
    assert sorted(report.__all__) == ["REPORT_PATH", "TOP_REPORTS", "render_report", "write_report"]
    assert all(hasattr(report, name) for name in report.__all__)
    # The page is a template file shipped with the package.
    assert (PROJECT / "report" / "templates" / "report.html.j2").is_file()
    assert not (PROJECT / "storage" / "report.py").exists()


def test_readme_layout_lists_every_module() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("Layout, every module", 1)[1].split("\n## ", 1)[0]
    bullets = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^- `([\w/]+)/`:(.*?)(?=^- |\Z)", section, re.MULTILINE | re.DOTALL)
    }
    for package in (*PACKAGES, "ingest/formats", "ingest/normalize", "bench"):
        modules = sorted(p.name for p in (PROJECT / package).glob("*.py") if p.stem != "__init__")
        listed = bullets.get(package, "")
        missing = [m for m in modules if f"`{m}`" not in listed]
        assert not missing, f"README layout misses {package}/: {', '.join(missing)}"


def test_sources_reference_covers_every_field_kind_and_format() -> None:
    from ingest.auth import AUTH_PREFIXES
    from ingest.config import _KNOWN_FIELDS, FORMATS, KINDS

    doc = (PROJECT / "docs" / "sources.md").read_text(encoding="utf-8")
    table = {m for m in re.findall(r"^\| `(\w+)` \|", doc, re.MULTILINE)}
    assert table >= _KNOWN_FIELDS, sorted(_KNOWN_FIELDS - table)
    for word in (*KINDS, *FORMATS, *AUTH_PREFIXES, "bearer", "basic", "header:<Name>"):
        assert f"`{word}" in doc, word
    assert "docs/sources.md" in (PROJECT / "sources.toml").read_text(encoding="utf-8")
