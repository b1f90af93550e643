"""Source cursors under the storage root: ``state/cursors/<source>.json``.

Each cursor is one small JSON file written atomically, so the data and the state that says how
far it got move together. The flow writes cursors only after the stories, rejects and run row
of the run are written: a run that fails to write leaves every cursor where it was, and the
next run fetches the same things again (storage skips the story ids it already holds).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

from record.cursor import Cursor
from record.errors import StorageError
from storage.root import StorageRoot

__all__ = ["CURSORS", "cursor_path", "read_cursor", "write_cursors"]

log = logging.getLogger(__name__)

CURSORS = "state/cursors"


def cursor_path(source: str) -> str:
    """The root-relative path of a source's cursor (source names hold no path separator)."""
    if not source or any(ch in source for ch in "/\\\x00") or source in {".", ".."}:
        raise ValueError(f"not a source name: {source!r}")
    return f"{CURSORS}/{source}.json"


def read_cursor(root: StorageRoot, source: str) -> Cursor | None:
    """The stored cursor of ``source``, or ``None`` when there is none.

    An unreadable cursor is logged and treated as absent: it costs one full fetch (whose
    stories are skipped as already stored), never a run.
    """
    relpath = cursor_path(source)
    if not root.exists(relpath):
        return None
    try:
        data = json.loads(root.read_bytes(relpath))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return Cursor.from_dict(data)
    except (StorageError, ValueError) as exc:
        log.warning("cursor of source %s ignored: %s: %s", source, root.display(relpath), exc)
        return None


def write_cursors(root: StorageRoot, cursors: Mapping[str, Cursor]) -> list[str]:
    """Write each source's cursor atomically; return the paths written."""
    written = []
    for source in sorted(cursors):
        relpath = cursor_path(source)
        text = json.dumps(cursors[source].to_dict(), indent=2, sort_keys=True) + "\n"
        root.write_bytes(relpath, text.encode("utf-8"))
        written.append(relpath)
    return written
