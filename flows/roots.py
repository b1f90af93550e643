"""Opening the storage root at the edge: credentials come from the environment, by reference.

A root URI names a place (``data``, ``s3://bucket/prefix``) and never holds a secret. For an
``s3://`` root the filesystem is built here from the standard AWS variables of the process
that runs the flow (a worker's environment, a Kubernetes secret, a CI secret store):

- ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN`` (optional): the key.
  Without them pyarrow's default chain applies (profile, instance role).
- ``AWS_REGION`` or ``AWS_DEFAULT_REGION``: the bucket's region.
- ``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL``: an S3-compatible server (MinIO, Ceph, moto),
  e.g. ``http://127.0.0.1:9000``; its scheme decides http or https.

The values go straight into ``pyarrow.fs.S3FileSystem``; none is logged, and the root shows
only its URI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import pyarrow.fs as pafs

from flows.workdir import check_relative_path
from record.errors import ConfigError
from storage import StorageRoot

__all__ = ["open_root", "s3_filesystem"]


def s3_filesystem(environ: Mapping[str, str]) -> pafs.S3FileSystem:
    """An S3 filesystem configured from ``environ`` (see the module docstring)."""
    options: dict[str, object] = {}
    key, secret = environ.get("AWS_ACCESS_KEY_ID"), environ.get("AWS_SECRET_ACCESS_KEY")
    if bool(key) != bool(secret):
        raise ConfigError(
            "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither",
            field="root",
        )
    if key and secret:
        options["access_key"] = key
        options["secret_key"] = secret
        if environ.get("AWS_SESSION_TOKEN"):
            options["session_token"] = environ["AWS_SESSION_TOKEN"]
    region = environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION")
    if region:
        options["region"] = region
    endpoint = environ.get("AWS_ENDPOINT_URL_S3") or environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in {"http", "https"} or not parts.netloc or "@" in parts.netloc:
            raise ConfigError(
                "AWS_ENDPOINT_URL(_S3) must be http(s)://host[:port], without credentials",
                field="root",
            )
        options["endpoint_override"] = parts.netloc
        options["scheme"] = parts.scheme
    return pafs.S3FileSystem(**options)


def open_root(uri: str, environ: Mapping[str, str] | None = None) -> StorageRoot:
    """The storage root at ``uri``, with an object store's filesystem built from ``environ``.

    Every flow opens its root here first, so a deployment's run that would resolve a relative
    root in a folder other than its project's stops here, before it reads or writes anything
    (see ``flows.workdir``).
    """
    env = os.environ if environ is None else environ
    if uri.startswith("s3://"):
        return StorageRoot(uri, filesystem=s3_filesystem(env))
    check_relative_path(uri, field="root")
    return StorageRoot(uri)
