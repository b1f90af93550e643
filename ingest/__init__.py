"""Ingest: sources to normalized stories. Plain Python: nothing here imports Prefect."""

from ingest.config import FORMATS, KINDS, Source, load_sources
from ingest.directory import read_directory
from ingest.errors import (
    ConfigError,
    FetchTerminalError,
    FetchTransientError,
    ParamsMismatchError,
    ParseError,
    StorageError,
    TerminalError,
    TransientError,
    WiredupError,
    is_transient,
)
from ingest.formats import detect_format, parse
from ingest.normalize import content_hash, normalize, normalize_body
from ingest.prepare import prepare
from ingest.story import ParsedItem, RawItem, Reject, Story, make_story_id, sha256_hex

__all__ = [
    "FORMATS",
    "KINDS",
    "ConfigError",
    "FetchTerminalError",
    "FetchTransientError",
    "ParamsMismatchError",
    "ParseError",
    "ParsedItem",
    "RawItem",
    "Reject",
    "Source",
    "StorageError",
    "Story",
    "TerminalError",
    "TransientError",
    "WiredupError",
    "content_hash",
    "detect_format",
    "is_transient",
    "load_sources",
    "make_story_id",
    "normalize",
    "normalize_body",
    "parse",
    "prepare",
    "read_directory",
    "sha256_hex",
]
