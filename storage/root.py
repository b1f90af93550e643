"""The storage root: a local folder by default, any pyarrow filesystem URI otherwise.

Every write is atomic: bytes go to a temporary name that readers ignore (it starts with a dot
and does not end in ``.parquet``) and are then renamed into place, so a reader sees a whole file
or none. On an object store a single put is already atomic, so the object is written once.
"""

from __future__ import annotations

import io
import logging
import os
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ingest.errors import StorageError

__all__ = ["StorageRoot"]

log = logging.getLogger(__name__)

#: Compression of every Parquet file Wiredup writes.
PARQUET_COMPRESSION = "zstd"


class StorageRoot:
    """One place where the data and its state live together."""

    def __init__(self, uri: str | os.PathLike[str]) -> None:
        text = os.fspath(uri)
        self.uri = text
        if "://" in text and not text.startswith("file://"):
            try:
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

    def exists(self, relpath: str) -> bool:
        info = self.fs.get_file_info(self.path(relpath))
        return bool(info.type != pafs.FileType.NotFound)

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

    def read_bytes(self, relpath: str) -> bytes:
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
        """Root-relative paths of the visible files under ``relpath`` ending in ``suffix``."""
        selector = pafs.FileSelector(self.path(relpath), recursive=True, allow_not_found=True)
        base = self.path("").rstrip("/") + "/"
        out = []
        for info in self.fs.get_file_info(selector):
            if info.type != pafs.FileType.File or not info.path.endswith(suffix):
                continue
            if any(part.startswith((".", "_")) for part in info.path[len(base) :].split("/")):
                continue
            out.append(info.path[len(base) :])
        return sorted(out)

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
