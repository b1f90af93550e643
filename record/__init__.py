"""The record: what crosses Wiredup's stages, at the bottom of the import graph.

Raw payloads, parsed items, normalized stories and rejects (``record.story``); the story
record with each column documented once and owned by one stage (``record.schema``), and its
batch form (``record.batch``); source cursors (``record.cursor``); the word rule
(``record.words``); the error tree (``record.errors``). It imports no other Wiredup package.
"""

from record.batch import StoryBatch
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
from record.schema import STORY_DATASET_SCHEMA, STORY_SCHEMA, columns_of, field_docs
from record.story import ParsedItem, RawItem, Reject, Story, make_story_id, sha256_hex
from record.words import words

__all__ = [
    "STORY_DATASET_SCHEMA",
    "STORY_SCHEMA",
    "ConfigError",
    "Cursor",
    "FetchTerminalError",
    "FetchTransientError",
    "ParamsMismatchError",
    "ParseError",
    "ParsedItem",
    "RawItem",
    "Reject",
    "StorageError",
    "Story",
    "StoryBatch",
    "TerminalError",
    "TransientError",
    "WiredupError",
    "columns_of",
    "field_docs",
    "make_story_id",
    "sha256_hex",
    "words",
]
