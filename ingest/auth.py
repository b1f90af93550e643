"""Credentials by reference: ``sources.toml`` names where a secret lives, never the secret.

A source declares ``auth = "env:NAME"`` (an environment variable) or
``auth = "prefect-secret:BLOCK"`` (a Prefect Secret block), and ``auth_scheme`` says how the
secret is sent: ``bearer`` (the default, ``Authorization: Bearer <secret>``), ``basic`` (the
secret is ``user:password``) or ``header:<Name>`` (the secret as the value of that header).

Resolution happens at the edge: ``flows`` passes the environment mapping and a loader for
Prefect Secret blocks, since library code reads no environment and imports no Prefect. The
resolved value is wrapped in ``SecretValue``, whose ``repr`` and ``str`` never show it, so a
credential that ends up in a log line, a task parameter or an exception shows as ``'***'``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from record.errors import ConfigError

__all__ = [
    "AUTH_PREFIXES",
    "AUTH_SCHEMES",
    "Credentials",
    "SecretValue",
    "check_auth_ref",
    "check_auth_scheme",
    "resolve_credentials",
]

#: How ``auth`` names where the secret lives.
AUTH_PREFIXES = ("env:", "prefect-secret:")
#: The schemes ``auth_scheme`` accepts; ``header:<Name>`` takes any header name.
AUTH_SCHEMES = ("bearer", "basic", "header:<Name>")

_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class SecretValue:
    """A secret string that does not show itself: ``repr`` and ``str`` give ``'***'``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself; call it only where it goes on the wire."""
        return self._value

    def __repr__(self) -> str:
        return "SecretValue('***')"

    def __str__(self) -> str:
        return "***"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretValue) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Never pickled: a secret must not travel into result storage or a cache.
        raise TypeError("a SecretValue cannot be pickled")


@dataclass(frozen=True)
class Credentials:
    """A resolved secret and how to send it; its repr shows the scheme, never the secret."""

    scheme: str
    secret: SecretValue

    def headers(self) -> dict[str, str]:
        """The request headers that carry the secret."""
        value = self.secret.reveal()
        if self.scheme == "bearer":
            return {"Authorization": f"Bearer {value}"}
        if self.scheme == "basic":
            token = base64.b64encode(value.encode("utf-8")).decode("ascii")
            return {"Authorization": f"Basic {token}"}
        return {self.scheme.removeprefix("header:"): value}


def check_auth_ref(value: str, *, file: str | None, source: str) -> str:
    """Refuse an ``auth`` value that is not ``env:NAME`` or ``prefect-secret:BLOCK``."""
    prefix, _, name = value.partition(":")
    if f"{prefix}:" not in AUTH_PREFIXES or not name.strip():
        raise ConfigError(
            f"must name where the secret lives, 'env:NAME' or 'prefect-secret:BLOCK', "
            f"never the secret itself (got a value of {len(value)} characters)",
            file=file,
            source=source,
            field="auth",
        )
    if prefix == "env" and not _ENV_NAME.match(name):
        raise ConfigError(
            f"{name!r} is not an environment variable name", file=file, source=source, field="auth"
        )
    return value


def check_auth_scheme(value: str, *, file: str | None, source: str) -> str:
    """Refuse an ``auth_scheme`` other than bearer, basic or ``header:<Name>``."""
    if value in {"bearer", "basic"}:
        return value
    if value.startswith("header:") and _HEADER_NAME.match(value.removeprefix("header:")):
        return value
    raise ConfigError(
        f"must be one of {', '.join(AUTH_SCHEMES)}, got {value!r}",
        file=file,
        source=source,
        field="auth_scheme",
    )


def resolve_credentials(
    source: str,
    auth: str | None,
    scheme: str,
    *,
    environ: Mapping[str, str],
    load_secret: Callable[[str], str] | None = None,
) -> Credentials | None:
    """The credentials ``auth`` refers to, or ``None`` for a source without ``auth``.

    ``environ`` is the environment (``os.environ`` at the edge); ``load_secret`` loads a Prefect
    Secret block by name. A missing or empty secret raises ``ConfigError`` naming the reference,
    never a value.
    """
    if auth is None:
        return None
    prefix, _, name = auth.partition(":")
    if prefix == "env":
        value = environ.get(name)
        if not value:
            raise ConfigError(
                f"environment variable {name} is not set or empty", source=source, field="auth"
            )
    elif prefix == "prefect-secret":
        if load_secret is None:
            raise ConfigError(
                "Prefect Secret blocks are not available here", source=source, field="auth"
            )
        try:
            value = load_secret(name)
        except Exception as exc:  # the block store's own errors vary; none carries the value
            raise ConfigError(
                f"Prefect Secret block {name!r} cannot be loaded ({type(exc).__name__})",
                source=source,
                field="auth",
            ) from None
        if not isinstance(value, str) or not value:
            raise ConfigError(
                f"Prefect Secret block {name!r} holds no string", source=source, field="auth"
            )
    else:
        raise ConfigError(f"unknown reference {prefix!r}", source=source, field="auth")
    if scheme == "basic" and ":" not in value:
        raise ConfigError(
            f"auth_scheme basic needs the secret {auth} as 'user:password'",
            source=source,
            field="auth",
        )
    return Credentials(scheme=scheme, secret=SecretValue(value))
