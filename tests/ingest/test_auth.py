"""Credentials by reference: resolution from an explicit environment or a secret loader."""

from __future__ import annotations

import base64
import pickle

import pytest

from ingest.auth import Credentials, SecretValue, resolve_credentials
from record.errors import ConfigError

TOKEN = "CANARY-7f3a9e-auth-test"


def test_secret_value_never_shows_itself():
    secret = SecretValue(TOKEN)
    assert TOKEN not in repr(secret) and TOKEN not in str(secret)
    assert TOKEN not in f"{secret} {secret!r}"
    creds = Credentials("bearer", secret)
    assert TOKEN not in repr(creds) and TOKEN not in str(creds)
    assert secret.reveal() == TOKEN
    with pytest.raises(TypeError, match="pickled"):
        pickle.dumps(secret)


def test_env_reference_resolves_from_the_mapping_given():
    creds = resolve_credentials("wire", "env:WIRE_TOKEN", "bearer", environ={"WIRE_TOKEN": TOKEN})
    assert creds is not None
    assert creds.headers() == {"Authorization": f"Bearer {TOKEN}"}


def test_basic_and_header_schemes():
    basic = resolve_credentials("w", "env:T", "basic", environ={"T": "user:pa:ss"})
    assert basic is not None
    expected = base64.b64encode(b"user:pa:ss").decode()
    assert basic.headers() == {"Authorization": f"Basic {expected}"}
    header = resolve_credentials("w", "env:T", "header:X-Api-Key", environ={"T": TOKEN})
    assert header is not None and header.headers() == {"X-Api-Key": TOKEN}


def test_prefect_secret_reference_uses_the_injected_loader():
    asked: list[str] = []

    def load(name: str) -> str:
        asked.append(name)
        return TOKEN

    creds = resolve_credentials(
        "w", "prefect-secret:wire-token", "bearer", environ={}, load_secret=load
    )
    assert asked == ["wire-token"]
    assert creds is not None and creds.secret.reveal() == TOKEN


def test_no_auth_is_no_credentials():
    assert resolve_credentials("w", None, "bearer", environ={}) is None


@pytest.mark.parametrize(
    ("auth", "scheme", "environ", "loader", "words"),
    [
        ("env:MISSING", "bearer", {}, None, "MISSING is not set"),
        ("env:EMPTY", "bearer", {"EMPTY": ""}, None, "EMPTY is not set or empty"),
        ("env:T", "basic", {"T": "no-colon-" + TOKEN}, None, "user:password"),
        ("prefect-secret:b", "bearer", {}, None, "not available"),
    ],
)
def test_resolution_errors_name_the_reference_never_the_value(auth, scheme, environ, loader, words):
    with pytest.raises(ConfigError, match=words) as info:
        resolve_credentials("wire", auth, scheme, environ=environ, load_secret=loader)
    assert info.value.field == "auth" and info.value.source == "wire"
    assert TOKEN not in str(info.value)


def test_a_failing_secret_loader_is_a_config_error_without_its_message():
    def load(name: str) -> str:
        raise ValueError(f"block {name} broke: {TOKEN}")

    with pytest.raises(ConfigError, match="cannot be loaded") as info:
        resolve_credentials("w", "prefect-secret:b", "bearer", environ={}, load_secret=load)
    assert TOKEN not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__
