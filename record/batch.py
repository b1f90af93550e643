"""``StoryBatch``: the stories of one batch as one Arrow table, the record between stages.

Row ``i`` is one story in every column. ``ingest`` makes a batch from normalized stories; each
later stage returns a new batch with the columns it owns added (``with_columns`` checks that a
stage adds only its own, with their declared types), and storage writes the columns it is
given. Nothing travels as parallel lists zipped by position.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from record.schema import INGEST, STORY_DATASET_SCHEMA, columns_of, field_stage, signature_fields
from record.story import Story, make_story_id

__all__ = ["StoryBatch"]

#: The columns a batch starts with: what ingest fills, the partition column included.
INGEST_SCHEMA = pa.schema(columns_of(INGEST))


@dataclass(frozen=True)
class StoryBatch:
    """Stories with the columns the stages have added so far."""

    table: pa.Table

    @classmethod
    def of(cls, stories: Sequence[Story]) -> StoryBatch:
        """The batch of normalized stories: the ingest columns, from the ``Story`` fields."""
        columns = {}
        for f in INGEST_SCHEMA:
            values = map(operator.attrgetter(f.name), stories)
            # The tuple fields become list columns; the others go to Arrow as they are.
            if pa.types.is_list(f.type):
                listed = [None if v is None else list(v) for v in values]
            else:
                listed = list(values)
            columns[f.name] = pa.array(listed, type=f.type, from_pandas=False)
        return cls(pa.Table.from_pydict(columns, schema=INGEST_SCHEMA))

    @classmethod
    def empty(cls) -> StoryBatch:
        return cls.of([])

    @classmethod
    def concat(cls, batches: Sequence[StoryBatch]) -> StoryBatch:
        """The batches one after the other (all with the same columns)."""
        if not batches:
            return cls.empty()
        return cls(pa.concat_tables([b.table for b in batches]).combine_chunks())

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @property
    def names(self) -> list[str]:
        return list(self.table.column_names)

    def column(self, name: str) -> pa.Array:
        """One column as a single array."""
        return self.table.column(name).combine_chunks()

    def values(self, name: str) -> list[Any]:
        """One column as Python values."""
        return list(self.table.column(name).to_pylist())

    def take(self, rows: Sequence[int]) -> StoryBatch:
        """The stories at ``rows``, in that order."""
        return StoryBatch(self.table.take(pa.array(list(rows), type=pa.int64())))

    def revised(self, revisions: Mapping[int, tuple[int, str]]) -> StoryBatch:
        """This batch with rows ``revisions`` made revisions: row -> (revision, revision_of).

        Each such row gets the story_id of its revision (``make_story_id``), its revision
        number and the story_id it revises; the other rows are unchanged.
        """
        if not revisions:
            return self
        ids = self.values("story_id")
        numbers = self.values("revision")
        of = self.values("revision_of")
        sources, items, versions = (self.values(n) for n in ("source", "item_id", "version"))
        for row, (revision, previous) in revisions.items():
            if revision < 1:
                raise ValueError(f"row {row}: a revision is numbered from 1, got {revision}")
            ids[row] = make_story_id(sources[row], items[row], versions[row], revision)
            numbers[row], of[row] = revision, previous
        return self.replaced({"story_id": ids, "revision": numbers, "revision_of": of})

    def replaced(self, columns: Mapping[str, Sequence[Any]]) -> StoryBatch:
        """This batch with the values of some of its columns replaced, one value a row."""
        table = self.table
        for name, values in columns.items():
            at = table.schema.get_field_index(name)
            if at < 0:
                raise ValueError(f"column {name!r} is not in the batch")
            if len(values) != table.num_rows:
                raise ValueError(f"column {name!r}: {len(values)} values for {table.num_rows} rows")
            field = table.schema.field(at)
            table = table.set_column(at, field, pa.array(values, type=field.type))
        return StoryBatch(table)

    def with_columns(
        self, stage: str, columns: Mapping[str, pa.Array | Sequence[Any]]
    ) -> StoryBatch:
        """This batch with ``stage``'s columns added: exactly its own, in record order."""
        declared = {f.name: f for f in _stage_fields(stage, columns)}
        if set(columns) != set(declared):
            raise ValueError(
                f"stage {stage!r} adds {sorted(declared)}, was given {sorted(columns)}"
            )
        table = self.table
        for name, field in declared.items():
            if name in table.column_names:
                raise ValueError(f"column {name!r} is in the batch already")
            value = columns[name]
            array = value if isinstance(value, pa.Array) else pa.array(value, type=field.type)
            if len(array) != table.num_rows:
                raise ValueError(f"column {name!r}: {len(array)} values for {table.num_rows} rows")
            table = table.append_column(field, array.cast(field.type))
        return StoryBatch(table)

    def stories(self) -> list[Story]:
        """The ingest columns as ``Story`` values (what normalization made)."""
        names = [f.name for f in dataclasses.fields(Story)]
        rows = self.table.select(names).to_pylist()
        return [Story(**{k: _tuple(v) for k, v in row.items()}) for row in rows]


def _stage_fields(stage: str, columns: Mapping[str, Any]) -> list[pa.Field]:
    if stage == "dedupe" and "signature" in columns:
        value = columns["signature"]
        width = value.type.list_size if isinstance(value, pa.Array) else len(value[0])
        return list(signature_fields(width))
    return [f for f in STORY_DATASET_SCHEMA if field_stage(f) == stage]


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
