"""``sources.toml`` to ``Source``: the happy path, and errors that name file, source and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import KINDS, ConfigError, Source, load_sources


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    return info.value


def test_happy_path_resolves_relative_paths_against_the_toml_folder(tmp_path, monkeypatch):
    conf = _write(
        tmp_path / "conf" / "sources.toml",
        """
[[source]]
name = "agence-fr"
kind = "directory"
path = "../feeds/fr"
pattern = "*.txt"
format = "text"
encoding = "latin-1"

[[source]]
name = "partner"
kind = "directory"
path = "partner"
enabled = false
""",
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the working directory must not matter

    sources = load_sources(conf)

    assert [s.name for s in sources] == ["agence-fr", "partner"]
    first, second = sources
    assert first == Source(
        name="agence-fr",
        kind="directory",
        format="text",
        path=(tmp_path / "feeds" / "fr").resolve(),
        encoding="latin-1",
        pattern="*.txt",
        enabled=True,
    )
    assert second.path == (tmp_path / "conf" / "partner").resolve()
    assert second.path.is_absolute()
    # Defaults for what the table leaves out.
    assert (second.format, second.pattern, second.enabled, second.url) == (None, "*", False, None)


def test_unknown_kind_error_lists_the_known_kinds(tmp_path):
    conf = _write(tmp_path / "sources.toml", '[[source]]\nname = "w"\nkind = "ftp"\npath = "x"\n')
    message = str(_error(conf))
    assert "'ftp'" in message
    assert all(kind in message for kind in KINDS)


@pytest.mark.parametrize(
    ("body", "source", "field"),
    [
        pytest.param('kind = "directory"\npath = "x"\n', "#1", "name", id="missing-name"),
        pytest.param(
            'name = "a/b"\nkind = "directory"\npath = "x"\n',
            "a/b",
            "name",
            id="name-with-separator",
        ),
        pytest.param(
            'name = "wire"\nkind = "ftp"\npath = "x"\n', "wire", "kind", id="unknown-kind"
        ),
        pytest.param('name = "wire"\npath = "x"\n', "wire", "kind", id="missing-kind"),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = "x"\npth = "y"\n',
            "wire",
            "pth",
            id="unknown-field",
        ),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = "x"\nformat = "teletype"\n',
            "wire",
            "format",
            id="bad-format",
        ),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = "x"\nencoding = "latin-42"\n',
            "wire",
            "encoding",
            id="unknown-encoding",
        ),
        pytest.param('name = "wire"\nkind = "directory"\n', "wire", "path", id="missing-path"),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = 3\n', "wire", "path", id="path-not-a-string"
        ),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = "x"\nenabled = "yes"\n',
            "wire",
            "enabled",
            id="enabled-not-a-bool",
        ),
    ],
)
def test_source_error_names_file_source_and_field(tmp_path, body, source, field):
    conf = _write(tmp_path / "sources.toml", "[[source]]\n" + body)

    error = _error(conf)

    assert (error.file, error.source, error.field) == (str(conf), source, field)
    message = str(error)
    assert str(conf) in message
    assert repr(source) in message
    assert repr(field) in message


def test_error_names_the_right_source_among_several(tmp_path):
    conf = _write(
        tmp_path / "sources.toml",
        '[[source]]\nname = "good"\nkind = "directory"\npath = "a"\n\n'
        '[[source]]\nname = "bad"\nkind = "directory"\npath = "b"\nformat = "teletype"\n',
    )
    error = _error(conf)
    assert (error.source, error.field) == ("bad", "format")
    assert "'teletype'" in str(error)


def test_duplicate_name(tmp_path):
    conf = _write(
        tmp_path / "sources.toml",
        '[[source]]\nname = "wire"\nkind = "directory"\npath = "a"\n\n'
        '[[source]]\nname = "wire"\nkind = "directory"\npath = "b"\n',
    )
    error = _error(conf)
    assert (error.file, error.source, error.field) == (str(conf), "wire", "name")
    assert "twice" in str(error)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        pytest.param(b'[[source]\nname = "x"\n', "not valid TOML", id="bad-toml"),
        pytest.param(
            '# d\xe9p\xeaches\n[[source]]\nname = "x"\n'.encode("latin-1"),
            "cannot be read",
            id="not-utf8",
        ),
        pytest.param(b"title = 'no sources'\n", "no [[source]]", id="no-source"),
        pytest.param(b'[source]\nname = "x"\n', "[[source]]", id="source-not-an-array"),
    ],
)
def test_file_level_error_names_the_file(tmp_path, data, words):
    conf = tmp_path / "sources.toml"
    conf.write_bytes(data)
    error = _error(conf)
    assert error.file == str(conf)
    assert str(conf) in str(error)
    assert words in str(error)


def test_missing_file(tmp_path):
    conf = tmp_path / "nowhere" / "sources.toml"
    error = _error(conf)
    assert error.file == str(conf)
    assert "no such file" in str(error)
