"""``kind = "http"`` sources in ``sources.toml``: every field, and errors naming the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import KINDS, ConfigError, Source, load_sources


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_http_is_a_kind():
    assert "http" in KINDS


def test_http_source_with_every_field(tmp_path):
    conf = _write(
        tmp_path / "sources.toml",
        """
[[source]]
name = "wire-api"
kind = "http"
url = "https://api.example.org/v1/items"
format = "text"
auth = "env:WIRE_TOKEN"
auth_scheme = "header:X-Api-Key"
timeout_seconds = 45
max_bytes = 1048576
max_pages = 3

[[source]]
name = "plain"
kind = "http"
url = "http://wire.example.org/story.txt"
auth = "prefect-secret:wire-token"
""",
    )
    first, second = load_sources(conf)
    assert first == Source(
        name="wire-api",
        kind="http",
        format="text",
        url="https://api.example.org/v1/items",
        auth="env:WIRE_TOKEN",
        auth_scheme="header:X-Api-Key",
        timeout_seconds=45,
        max_bytes=1048576,
        max_pages=3,
    )
    assert (second.auth, second.auth_scheme, second.max_pages) == (
        "prefect-secret:wire-token",
        "bearer",
        10,
    )
    assert (second.timeout_seconds, second.max_bytes, second.path) == (None, None, None)


_HTTP = 'name = "wire"\nkind = "http"\nurl = "https://example.org/feed"\n'


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param('name = "wire"\nkind = "http"\n', "url", id="missing-url"),
        pytest.param('name = "wire"\nkind = "http"\nurl = "ftp://x/y"\n', "url", id="not-http"),
        pytest.param(
            'name = "wire"\nkind = "http"\nurl = "https://u:p@x.org/feed"\n',
            "url",
            id="credentials-in-url",
        ),
        pytest.param(_HTTP + 'auth = "s3cr3t-token"\n', "auth", id="auth-not-a-reference"),
        pytest.param(_HTTP + 'auth = "env:1BAD"\n', "auth", id="auth-bad-env-name"),
        pytest.param(_HTTP + 'auth = "prefect-secret:"\n', "auth", id="auth-empty-block"),
        pytest.param(
            _HTTP + 'auth = "env:T"\nauth_scheme = "digest"\n', "auth_scheme", id="scheme-unknown"
        ),
        pytest.param(
            _HTTP + 'auth = "env:T"\nauth_scheme = "header:X Key"\n',
            "auth_scheme",
            id="scheme-bad-header",
        ),
        pytest.param(_HTTP + 'auth_scheme = "basic"\n', "auth_scheme", id="scheme-without-auth"),
        pytest.param(_HTTP + "timeout_seconds = 0\n", "timeout_seconds", id="timeout-zero"),
        pytest.param(_HTTP + 'timeout_seconds = "30"\n', "timeout_seconds", id="timeout-string"),
        pytest.param(_HTTP + "max_bytes = 1.5\n", "max_bytes", id="max-bytes-float"),
        pytest.param(_HTTP + "max_pages = 0\n", "max_pages", id="max-pages-zero"),
        pytest.param(_HTTP + "max_pages = true\n", "max_pages", id="max-pages-bool"),
        pytest.param(_HTTP + 'path = "x"\n', "path", id="path-on-http"),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = "x"\nauth = "env:T"\n',
            "auth",
            id="auth-on-directory",
        ),
        pytest.param(
            'name = "wire"\nkind = "directory"\npath = "x"\nmax_pages = 2\n',
            "max_pages",
            id="max-pages-on-directory",
        ),
    ],
)
def test_error_names_file_source_and_field(tmp_path, body, field):
    conf = _write(tmp_path / "sources.toml", "[[source]]\n" + body)
    with pytest.raises(ConfigError) as info:
        load_sources(conf)
    assert (info.value.file, info.value.source, info.value.field) == (str(conf), "wire", field)
    assert repr(field) in str(info.value)


def test_a_secret_written_as_auth_is_not_echoed(tmp_path):
    conf = _write(tmp_path / "sources.toml", "[[source]]\n" + _HTTP + 'auth = "tok-CANARY-1"\n')
    with pytest.raises(ConfigError) as info:
        load_sources(conf)
    assert "CANARY" not in str(info.value)
