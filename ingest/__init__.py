"""Ingest: sources to normalized stories. Plain Python: nothing here imports Prefect."""

from ingest.auth import Credentials, SecretValue, resolve_credentials
from ingest.config import FORMATS, KINDS, Source, load_sources
from ingest.directory import read_directory
from ingest.fetch import SourceRead, read_http
from ingest.formats import detect_format, parse
from ingest.http import FetchPolicy, FetchResult, HttpSettings, fetch, make_client
from ingest.normalize import content_hash, normalize, normalize_body
from ingest.prepare import prepare
from record.cursor import Cursor
from record.errors import (
    ConfigError,
    FetchTerminalError,
    FetchTransientError,
    ParamsMismatchError,
    ParseError,
    StorageError,
    TerminalError,
    TransientError,
    WiredupError,
)
from record.story import ParsedItem, RawItem, Reject, Story, make_story_id, sha256_hex

__all__ = [
    "FORMATS",
    "KINDS",
    "ConfigError",
    "Credentials",
    "Cursor",
    "FetchPolicy",
    "FetchResult",
    "FetchTerminalError",
    "FetchTransientError",
    "HttpSettings",
    "ParamsMismatchError",
    "ParseError",
    "ParsedItem",
    "RawItem",
    "Reject",
    "SecretValue",
    "Source",
    "SourceRead",
    "StorageError",
    "Story",
    "TerminalError",
    "TransientError",
    "WiredupError",
    "content_hash",
    "detect_format",
    "fetch",
    "load_sources",
    "make_client",
    "make_story_id",
    "normalize",
    "normalize_body",
    "parse",
    "prepare",
    "read_directory",
    "read_http",
    "resolve_credentials",
    "sha256_hex",
]
