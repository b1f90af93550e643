"""What the JSON wire formats (ninjs, AP Media API, dpa digitalwires) read alike: the payload,
an item's version and its timestamps."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from ingest.formats._dates import parse_timestamp
from ingest.formats.text import decode
from record.errors import ParseError

__all__ = ["json_timestamp", "json_version", "load_json"]

#: Makes the error of one bad item (``ItemError`` with the item's identity).
Fail = Callable[[str], Exception]


def load_json(data: bytes, encoding: str | None = None) -> Any:
    """The decoded JSON document of a payload, or ``ParseError`` saying why not."""
    try:
        return json.loads(decode(data, encoding))
    except json.JSONDecodeError as exc:
        raise ParseError(f"not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise ParseError("JSON nested too deeply") from exc


def json_version(value: Any, fail: Fail) -> int:
    """An item's version: an integer >= 0 (or its string); 1 where absent, as in every format."""
    if value is None or value == "":
        return 1
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise fail(f"version {value!r} is not an integer")
    try:
        version = int(value)
    except ValueError:
        raise fail(f"version {value!r} is not an integer") from None
    if version < 0:
        raise fail(f"version {value!r} is negative")
    return version


def json_timestamp(
    obj: Mapping[str, Any], fail: Fail, *keys: str, zone: str | None = None
) -> datetime | None:
    """The first of ``keys`` that ``obj`` holds, as an aware timestamp (None: none is set).

    An empty value falls through to the next key; a timestamp without an offset is in ``zone``.
    """
    for key in keys:
        value = obj.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            raise fail(f"{key} {value!r} is not a timestamp")
        try:
            return parse_timestamp(value, zone)
        except ValueError:
            raise fail(f"{key} {value!r} is not a timestamp") from None
    return None
