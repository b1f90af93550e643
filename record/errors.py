"""The error tree shared by every Wiredup package.

It sits at the bottom of the import graph (``record``): every package raises these. Whether an
error is worth retrying is its type: a ``TransientError`` may succeed later (the HTTP client
retries those itself, within the source's deadline), a ``TerminalError`` never will::

    WiredupError
    ├── TransientError            worth retrying: the same call may succeed later
    │   └── FetchTransientError   connect errors, timeouts, 429, 5xx
    └── TerminalError             retrying gives the same answer
        ├── ConfigError           sources.toml or a parameter is wrong (names file, source, field)
        ├── FetchTerminalError    401, 403, 404, a refused response
        ├── ParseError            a payload that no parser can read (the item is quarantined)
        └── StorageError          the storage root cannot be written or holds foreign state
            └── ParamsMismatchError  stored signatures were made with other MinHash parameters

Errors of lower libraries are translated at the boundary with ``raise X(...) from exc``.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "FetchTerminalError",
    "FetchTransientError",
    "ParamsMismatchError",
    "ParseError",
    "StorageError",
    "TerminalError",
    "TransientError",
    "WiredupError",
]


class WiredupError(Exception):
    """Base of every error Wiredup raises on purpose."""


class TransientError(WiredupError):
    """A failure that may go away if the same work is tried again."""


class TerminalError(WiredupError):
    """A failure that a retry would only repeat."""


class ConfigError(TerminalError):
    """A configuration error; the message names the file, the source and the field."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        source: str | None = None,
        field: str | None = None,
    ) -> None:
        where = ", ".join(
            part
            for part in (
                f"file {file}" if file else "",
                f"source {source!r}" if source else "",
                f"field {field!r}" if field else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.file = file
        self.source = source
        self.field = field


class FetchTransientError(TransientError):
    """A fetch failed in a way worth retrying (connect error, timeout, 429, 5xx)."""


class FetchTerminalError(TerminalError):
    """A fetch failed in a way a retry would repeat (401, 403, 404, a refused payload)."""


class ParseError(TerminalError):
    """A payload or item could not be parsed; it goes to ``rejects/`` with this message."""


class StorageError(TerminalError):
    """The storage root could not be read or written as expected."""


class ParamsMismatchError(StorageError):
    """Stored signatures were made with MinHash parameters other than the ones in use."""
