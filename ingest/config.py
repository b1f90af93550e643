"""``sources.toml`` to typed ``Source`` values, resolved once at the edge.

Each ``[[source]]`` table declares one source. A mistake raises ``ConfigError`` naming the file,
the source and the field, before any work starts.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ingest.auth import check_auth_ref, check_auth_scheme
from record.errors import ConfigError

__all__ = ["FORMATS", "KINDS", "Source", "load_sources"]

KINDS = ("directory", "http")
#: Formats a parser exists for; ``None`` on a source means "detect from content".
FORMATS = (
    "text", "rss", "ninjs", "newsml-g2", "nitf", "newsml-1.2", "anpa", "iptc7901", "ap-media",
    "dpa-digitalwires", "email",
)  # fmt: skip

_KNOWN_FIELDS = {
    "name",
    "kind",
    "url",
    "path",
    "format",
    "auth",
    "auth_scheme",
    "encoding",
    "timezone",
    "agencies",
    "pattern",
    "enabled",
    "timeout_seconds",
    "max_bytes",
    "max_pages",
}
#: Fields that only mean something for one kind; elsewhere they are refused, not ignored.
_KIND_FIELDS = {
    "directory": {"path", "pattern"},
    "http": {"url", "auth", "auth_scheme", "timeout_seconds", "max_bytes", "max_pages"},
}


@dataclass(frozen=True)
class Source:
    """One declared source. ``auth`` names where the secret lives, never the secret itself.

    The HTTP bounds left ``None`` take the defaults of ``ingest.http``.
    """

    name: str
    kind: str
    format: str | None = None
    path: Path | None = None
    url: str | None = None
    auth: str | None = None
    encoding: str | None = None
    pattern: str = "*"
    enabled: bool = True
    auth_scheme: str = "bearer"
    timeout_seconds: float | None = None
    max_bytes: int | None = None
    max_pages: int = 10
    #: IANA zone (``Europe/Zurich``) of the source's timestamps that carry no offset; else UTC.
    timezone: str | None = None
    #: Agencies recognised in this source's copy beside the built-in registry: each the
    #: canonical name, then its other spellings.
    agencies: tuple[tuple[str, ...], ...] = ()


def _agencies(value: Any, *, file: str, source: str) -> tuple[tuple[str, ...], ...]:
    """A source's ``agencies``: names (``"nova"``) or tables (``{ name = "nova", aliases =
    ["agenzia nova"] }``), each as the canonical name then its other spellings."""
    if value is None:
        return ()

    def fail(why: str) -> ConfigError:
        return ConfigError(why, file=file, source=source, field="agencies")

    if not isinstance(value, list):
        raise fail("must be a list of agency names or { name, aliases } tables")
    out: list[tuple[str, ...]] = []
    for entry in value:
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            raise fail(f"entry {entry!r} is neither a name nor a {{ name, aliases }} table")
        unknown = sorted(set(entry) - {"name", "aliases"})
        if unknown:
            raise fail(f"unknown key(s) {', '.join(unknown)} (an agency has name and aliases)")
        name, aliases = entry.get("name"), entry.get("aliases", [])
        if not isinstance(aliases, list):
            raise fail(f"aliases of {name!r} must be a list of strings")
        spellings = [name, *aliases]
        if not all(isinstance(s, str) and s.strip() and len(s) <= 60 for s in spellings):
            raise fail(f"agency {name!r}: every name and alias is a non-empty string (<= 60)")
        out.append(tuple(" ".join(s.casefold().split()) for s in spellings))
    return tuple(out)


def _field(
    table: dict[str, Any],
    key: str,
    kind: type,
    *,
    file: str,
    source: str | None,
    required: bool = False,
) -> Any:
    value = table.get(key)
    if value is None:
        if required:
            raise ConfigError("is required", file=file, source=source, field=key)
        return None
    if not isinstance(value, kind):
        raise ConfigError(
            f"must be a {kind.__name__}, got {type(value).__name__}",
            file=file,
            source=source,
            field=key,
        )
    return value


def _number(
    table: dict[str, Any],
    key: str,
    *,
    integer: bool,
    low: float,
    high: float,
    file: str,
    source: str,
) -> Any:
    value: Any = table.get(key)
    if value is None:
        return None
    # TOML booleans are ints to Python; a bound of ``true`` is a mistake, not 1.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (integer and not isinstance(value, int))
    ):
        wanted = "an integer" if integer else "a number"
        raise ConfigError(
            f"must be {wanted}, got {type(value).__name__}", file=file, source=source, field=key
        )
    if not low <= float(value) <= high:
        raise ConfigError(
            f"must be between {low:g} and {high:g}, got {value!r}",
            file=file,
            source=source,
            field=key,
        )
    return value


def _source(table: dict[str, Any], index: int, base: Path, file: str) -> Source:
    label = table.get("name") if isinstance(table.get("name"), str) else f"#{index + 1}"
    name = _field(table, "name", str, file=file, source=label, required=True)
    if not name.strip() or any(ch in name for ch in "/\\\x00") or name in {".", ".."}:
        raise ConfigError(
            "must be a non-empty name without path separators",
            file=file,
            source=label,
            field="name",
        )
    unknown = sorted(set(table) - _KNOWN_FIELDS)
    if unknown:
        raise ConfigError(
            f"unknown field (known: {', '.join(sorted(_KNOWN_FIELDS))})",
            file=file,
            source=name,
            field=unknown[0],
        )
    kind = _field(table, "kind", str, file=file, source=name, required=True)
    if kind not in KINDS:
        raise ConfigError(
            f"must be one of {', '.join(KINDS)}, got {kind!r}", file=file, source=name, field="kind"
        )
    for other, fields in _KIND_FIELDS.items():
        misplaced = sorted(f for f in fields & set(table) if other != kind)
        if misplaced:
            raise ConfigError(
                f"only applies to kind {other!r}", file=file, source=name, field=misplaced[0]
            )
    fmt = _field(table, "format", str, file=file, source=name)
    if fmt is not None and fmt not in FORMATS:
        raise ConfigError(
            f"must be one of {', '.join(FORMATS)}, got {fmt!r}",
            file=file,
            source=name,
            field="format",
        )
    encoding = _field(table, "encoding", str, file=file, source=name)
    if encoding is not None:
        try:
            "".encode(encoding)
        except LookupError as exc:
            raise ConfigError(
                f"unknown encoding {encoding!r}", file=file, source=name, field="encoding"
            ) from exc
    timezone = _field(table, "timezone", str, file=file, source=name)
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"unknown IANA time zone {timezone!r} (such as 'Europe/Zurich' or 'UTC')",
                file=file,
                source=name,
                field="timezone",
            ) from exc
    agencies = _agencies(table.get("agencies"), file=file, source=name)
    path: Path | None = None
    url: str | None = None
    if kind == "directory":
        raw_path = _field(table, "path", str, file=file, source=name, required=True)
        path = (base / raw_path).resolve()
    else:
        url = _field(table, "url", str, file=file, source=name, required=True)
        if not url.startswith(("http://", "https://")):
            raise ConfigError(
                "must start with http:// or https://", file=file, source=name, field="url"
            )
        if "@" in url.split("://", 1)[1].split("/", 1)[0]:
            # A user:password in the URL would end up in every log line that names the URL.
            raise ConfigError(
                "must not carry credentials; name them with 'auth'",
                file=file,
                source=name,
                field="url",
            )
    enabled = _field(table, "enabled", bool, file=file, source=name)
    auth = _field(table, "auth", str, file=file, source=name)
    if auth is not None:
        check_auth_ref(auth, file=file, source=name)
    scheme = _field(table, "auth_scheme", str, file=file, source=name) or "bearer"
    check_auth_scheme(scheme, file=file, source=name)
    if "auth_scheme" in table and auth is None:
        raise ConfigError(
            "needs 'auth' to say where the secret lives",
            file=file,
            source=name,
            field="auth_scheme",
        )
    max_pages = _number(
        table, "max_pages", integer=True, low=1, high=10_000, file=file, source=name
    )
    return Source(
        name=name,
        kind=kind,
        format=fmt,
        path=path,
        url=url,
        auth=auth,
        encoding=encoding,
        timezone=timezone,
        agencies=agencies,
        pattern=_field(table, "pattern", str, file=file, source=name) or "*",
        enabled=True if enabled is None else enabled,
        auth_scheme=scheme,
        timeout_seconds=_number(
            table, "timeout_seconds", integer=False, low=0.001, high=3600, file=file, source=name
        ),
        max_bytes=_number(
            table, "max_bytes", integer=True, low=1, high=2**34, file=file, source=name
        ),
        max_pages=10 if max_pages is None else max_pages,
    )


def load_sources(file: str | Path) -> list[Source]:
    """Read and check a ``sources.toml``; relative paths resolve against its folder."""
    path = Path(file)
    label = str(path)
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("no such file", file=label) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc}", file=label) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"is not valid TOML: {exc}", file=label) from exc
    tables = document.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError("must hold [[source]] tables", file=label, field="source")
    if not tables:
        raise ConfigError("declares no [[source]]", file=label)
    sources = [_source(t, i, path.parent.resolve(), label) for i, t in enumerate(tables)]
    seen: set[str] = set()
    for source in sources:
        if source.name in seen:
            raise ConfigError("is declared twice", file=label, source=source.name, field="name")
        seen.add(source.name)
    return sources
