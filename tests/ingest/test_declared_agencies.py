"""Agencies a source declares in ``sources.toml``: recognised in that source's copy only."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import ConfigError, load_sources, prepare
from ingest.directory import read_directory
from ingest.normalize.agencies import Agency, declared_agencies
from ingest.normalize.datelines import Dateline, strip_dateline

# A story of ours, credited at the end by an agency no built-in registry lists, written as an
# ordinary capitalised word (so its shape alone does not make it an agency).
STORY = (
    "date 2026-11-18 Torvik - The harbour board approved the new ferry timetable on Tuesday.\n\n"
    "Crossings will run every forty minutes from March. (Lumen/kb)\n"
)


def _sources(tmp_path: Path, agencies: str) -> Path:
    for name in ("declaring", "plain"):
        (tmp_path / name).mkdir(exist_ok=True)
        (tmp_path / name / "story.txt").write_text(STORY, encoding="utf-8")
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "declaring"\nkind = "directory"\npath = "declaring"\n{agencies}\n'
        '[[source]]\nname = "plain"\nkind = "directory"\npath = "plain"\n',
        encoding="utf-8",
    )
    return path


def _stories(path: Path) -> dict[str, object]:
    out = {}
    for source in load_sources(path):
        items, _ = read_directory(source)
        stories, rejects = prepare(items)
        assert not rejects
        [out[source.name]] = stories
    return out


def test_a_declared_agency_is_a_credit_in_that_sources_copy_only(tmp_path: Path) -> None:
    path = _sources(tmp_path, 'agencies = [{ name = "lumen", aliases = ["lumen press"] }]')
    stories = _stories(path)
    declaring, plain = stories["declaring"], stories["plain"]
    assert declaring.agencies == ("lumen",)
    assert declaring.editors == ("kb",)
    assert declaring.body.endswith("from March.")
    # The source that declares nothing keeps the group as text.
    assert plain.agencies == ()
    assert plain.body.endswith("(Lumen/kb)")


def test_a_name_alone_declares_an_agency(tmp_path: Path) -> None:
    [source, _] = load_sources(_sources(tmp_path, 'agencies = ["Lumen"]'))
    assert source.agencies == (("lumen",),)


@pytest.mark.parametrize(
    "agencies",
    [
        'agencies = "lumen"',
        "agencies = [42]",
        'agencies = [{ name = "lumen", languages = ["en"] }]',
        'agencies = [{ name = "lumen", aliases = "lumen press" }]',
        'agencies = [{ name = "" }]',
    ],
)
def test_a_bad_agencies_value_names_file_source_and_field(tmp_path: Path, agencies: str) -> None:
    path = _sources(tmp_path, agencies)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    message = str(info.value)
    assert "agencies" in message and "declaring" in message and str(path) in message


def test_a_dateline_read_under_one_registry_is_not_remembered_under_another() -> None:
    # The dateline's answers are remembered per paragraph: keyed by the registry in force.
    paragraph = "Torvik (Lumen) - The harbour board approved the new ferry timetable on Tuesday."
    assert strip_dateline(paragraph)[1] == Dateline("Torvik (Lumen)", ())
    with declared_agencies([Agency("lumen")]):
        assert strip_dateline(paragraph)[1] == Dateline("Torvik", ("lumen",))
    assert strip_dateline(paragraph)[1] == Dateline("Torvik (Lumen)", ())
