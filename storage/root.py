"""The storage root: a local folder by default, any pyarrow filesystem URI otherwise.

Every write is atomic: bytes go to a temporary name that readers ignore (it starts with a dot
and does not end in ``.parquet``) and are then renamed into place, so a reader sees a whole file
or none. On an object store a single put is already atomic, so the object is written once.

Object stores (``s3://bucket/prefix``): the URI names the place, never a credential. Whoever
opens the root (the flows, through ``flows.roots.open_root``) builds the filesystem with its
credentials and passes it in as ``filesystem``; this module reads no environment variable.

Compaction tombstones: a partition folder may hold ``_compaction-<merged part>.json`` files
(see ``storage.compaction``). ``files()`` honours them: once the merged part they name is
listed, the parts they supersede are left out, so Wiredup's own readers see every row once
while old parts are being deleted on a store that has no rename.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import time
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from record.errors import StorageError

__all__ = ["StorageRoot"]

log = logging.getLogger(__name__)

#: Compression of every Parquet file Wiredup writes.
PARQUET_COMPRESSION = "zstd"
#: Name prefix of the compaction notes in a partition folder (``storage.compaction``).
TOMBSTONE_PREFIX = "_compaction-"
#: Names of temporary files: a file's (``.name.tmp-<pid>-<hex>``) and the lock's
#: (``.lock.<token>.tmp`` / ``.stale``).
_TEMPORARY = re.compile(r"\.tmp-\d+-[0-9a-f]+$|^\.lock\.[0-9a-f]+\.(tmp|stale)$")


class StorageRoot:
    """One place where the data and its state live together."""

    def __init__(
        self, uri: str | os.PathLike[str], filesystem: pafs.FileSystem | None = None
    ) -> None:
        """Open the root at ``uri``: a folder, ``file://...`` or ``s3://bucket/prefix``.

        ``filesystem`` is the already configured filesystem of a remote URI (endpoint,
        region, credentials); without it pyarrow resolves the URI with its own defaults.
        """
        text = os.fspath(uri)
        self.uri = text
        if "://" in text and not text.startswith("file://"):
            scheme, _, rest = text.partition("://")
            if "@" in rest.split("/", 1)[0]:
                # user:secret@host would put a credential in every message that shows the URI.
                raise StorageError(
                    f"storage root {scheme}://…: credentials do not belong in the URI; "
                    "give them by reference (see docs/storage.md)"
                )
            try:
                if filesystem is not None:
                    self.fs, self._base = filesystem, rest.rstrip("/")
                else:
                    self.fs, self._base = pafs.FileSystem.from_uri(text)
            except (pa.ArrowInvalid, OSError) as exc:
                raise StorageError(f"storage root {text!r} cannot be opened: {exc}") from exc
            self.local_path: Path | None = None
        else:
            path = Path(text.removeprefix("file://")).resolve()
            self.fs = pafs.LocalFileSystem()
            self._base = path.as_posix()
            self.local_path = path

    def __repr__(self) -> str:
        return f"StorageRoot({self.uri!r})"

    def path(self, relpath: str) -> str:
        """The filesystem path of ``relpath`` under the root."""
        return f"{self._base.rstrip('/')}/{relpath.lstrip('/')}" if relpath else self._base

    def display(self, relpath: str = "") -> str:
        """A path or URI to show a person."""
        if self.local_path is not None:
            return str(self.local_path / relpath) if relpath else str(self.local_path)
        return f"{self.uri.rstrip('/')}/{relpath}" if relpath else self.uri

    @property
    def is_local(self) -> bool:
        """Whether the root is a local folder (rename is atomic there; not on object stores)."""
        return self.local_path is not None

    def exists(self, relpath: str) -> bool:
        """Whether a file (or folder) is at ``relpath``."""
        try:
            info = self.fs.get_file_info(self.path(relpath))
        except OSError as exc:
            raise StorageError(f"cannot look at {self.display(relpath)}: {exc}") from exc
        return bool(info.type != pafs.FileType.NotFound)

    def delete(self, relpath: str) -> None:
        """Delete the file at ``relpath`` (nothing if it is already gone)."""
        try:
            self.fs.delete_file(self.path(relpath))
        except FileNotFoundError:
            return
        except OSError as exc:
            if self.exists(relpath):
                raise StorageError(f"cannot delete {self.display(relpath)}: {exc}") from exc

    def write_bytes(self, relpath: str, data: bytes) -> None:
        """Write ``data`` at ``relpath`` atomically (replacing what was there)."""
        target = self.path(relpath)
        try:
            if self.local_path is not None:
                self._write_local(Path(target), data)
            else:
                with self.fs.open_output_stream(target) as out:
                    out.write(data)
        except OSError as exc:
            raise StorageError(f"cannot write {self.display(relpath)}: {exc}") from exc

    @staticmethod
    def _write_local(target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            with open(temp, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        # The rename is durable only once the directory entry is on disk.
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def leftover_temporaries(self, min_age_seconds: float) -> list[str]:
        """Temporary files of writes that never finished, at least ``min_age_seconds`` old.

        A writer killed between writing its temporary file and renaming it leaves the file
        behind (readers never see it: its name starts with a dot). Only a local root has them;
        an object store writes each file in one put.
        """
        if self.local_path is None or not self.local_path.exists():
            return []
        now = time.time()
        out = []
        for folder, _, names in os.walk(self.local_path):
            for name in names:
                if not (name.startswith(".") and _TEMPORARY.search(name)):
                    continue
                path = Path(folder) / name
                try:
                    age = now - path.stat().st_mtime
                except FileNotFoundError:
                    continue
                if age >= min_age_seconds:
                    out.append(path.relative_to(self.local_path).as_posix())
        return sorted(out)

    def read_bytes(self, relpath: str) -> bytes:
        """The whole content of the file at ``relpath``."""
        try:
            with self.fs.open_input_stream(self.path(relpath)) as src:
                return bytes(src.read())
        except (FileNotFoundError, OSError) as exc:
            raise StorageError(f"cannot read {self.display(relpath)}: {exc}") from exc

    def write_parquet(
        self,
        relpath: str,
        table: pa.Table,
        metadata: dict[str, str] | None = None,
        row_group_size: int | None = None,
        compression: str | dict[str, str] = PARQUET_COMPRESSION,
        use_dictionary: bool = True,
    ) -> None:
        """Write ``table`` as one Parquet file (zstd unless told) at ``relpath``, atomically."""
        if metadata:
            table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
        buffer = io.BytesIO()
        pq.write_table(
            table,
            buffer,
            compression=compression,
            row_group_size=row_group_size,
            use_dictionary=use_dictionary,
        )
        self.write_bytes(relpath, buffer.getvalue())

    def files(self, relpath: str, suffix: str = ".parquet") -> list[str]:
        """Root-relative paths of the visible files under ``relpath`` ending in ``suffix``.

        Parts superseded by a compaction whose merged part is listed are left out.
        """
        selector = pafs.FileSelector(self.path(relpath), recursive=True, allow_not_found=True)
        base = self.path("").rstrip("/") + "/"
        try:
            infos = self.fs.get_file_info(selector)
        except OSError as exc:
            raise StorageError(f"cannot list {self.display(relpath)}: {exc}") from exc
        out = []
        tombstones = []
        for info in infos:
            if info.type != pafs.FileType.File:
                continue
            rel = info.path[len(base) :]
            parts = rel.split("/")
            if parts[-1].startswith(TOMBSTONE_PREFIX) and parts[-1].endswith(".json"):
                tombstones.append(rel)
            if not info.path.endswith(suffix):
                continue
            if any(part.startswith((".", "_")) for part in parts):
                continue
            out.append(rel)
        if tombstones:
            out = self._without_superseded(out, tombstones)
        return sorted(out)

    def _without_superseded(self, files: list[str], tombstones: list[str]) -> list[str]:
        listed = set(files)
        hidden: set[str] = set()
        for relpath in tombstones:
            folder = relpath.rsplit("/", 1)[0]
            try:
                note = json.loads(self.read_bytes(relpath))
            except (StorageError, ValueError):
                # Deleted since the listing: its old parts were deleted before it.
                continue
            if f"{folder}/{note['merged']}" in listed:
                hidden.update(f"{folder}/{name}" for name in note["superseded"])
        return [f for f in files if f not in hidden]

    def dataset(
        self, relpath: str, schema: pa.Schema, partition: pa.Schema | None = None
    ) -> ds.Dataset:
        """A pyarrow dataset over ``relpath`` (empty when nothing was written yet)."""
        files = [self.path(f) for f in self.files(relpath)]
        partitioning = ds.partitioning(partition, flavor="hive") if partition is not None else None
        return ds.dataset(
            files,
            schema=schema,
            format="parquet",
            filesystem=self.fs,
            partitioning=partitioning,
            partition_base_dir=self.path(relpath),
        )
