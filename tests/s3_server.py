"""A real S3-compatible server (moto's server mode) on 127.0.0.1 for tests.

Not a mocked client: pyarrow's S3 filesystem signs and sends real HTTP requests to it. The
credentials are fixed test values; region and endpoint are explicit so that neither pyarrow
nor botocore ever looks for an instance metadata endpoint.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow.fs as pafs
import pytest

#: A secret that must never show in a log line, an error or a stored row.
CANARY_SECRET = "wiredup-canary-secret-7f3a9c"

# No IMDS lookups from anything that reads the AWS environment.
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


@dataclass(frozen=True)
class S3Server:
    """Where the loopback S3 server listens and the environment that points at it."""

    endpoint: str

    def environ(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": "wiredup-test-key",
            "AWS_SECRET_ACCESS_KEY": CANARY_SECRET,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL_S3": self.endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def new_bucket(self) -> str:
        """A fresh, empty bucket."""
        name = f"wiredup-{uuid.uuid4().hex[:12]}"
        fs = pafs.S3FileSystem(
            access_key="wiredup-test-key",
            secret_key=CANARY_SECRET,
            region="us-east-1",
            endpoint_override=self.endpoint.removeprefix("http://"),
            scheme="http",
            allow_bucket_creation=True,
        )
        fs.create_dir(name)
        return name


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_s3() -> Iterator[S3Server]:
    """Run the server for as long as the fixture built on this lives (see ``s3_fixture``)."""
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3Server(endpoint=f"http://127.0.0.1:{port}")
    finally:
        server.stop()


#: The fixture, for a test module to bind: ``s3_server = s3_fixture``.
s3_fixture = pytest.fixture(scope="module", name="s3_server")(serve_s3)
