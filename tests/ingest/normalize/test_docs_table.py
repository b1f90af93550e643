"""The marker table in docs/normalization.md says what the code does."""

from __future__ import annotations

import re

import pytest

from ingest.normalize import normalize_body
from tests.conftest import PROJECT

_DOC = PROJECT / "docs" / "normalization.md"


def _cell(text: str) -> str:
    text = text.strip()
    if text.startswith("`") and text.endswith("`"):
        text = text[1:-1]
    return text.replace(" ¶ ", "\n\n").replace("\\|", "|")


def _rows() -> list[list[str]]:
    rows: list[list[str]] = []
    in_table = False
    for line in _DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| form |"):
            in_table = True
            continue
        if in_table and line.startswith("|---"):
            continue
        if in_table and line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([_cell(c) for c in cells])
        elif in_table:
            break
    return rows


def _list(cell: str) -> tuple[str, ...]:
    return () if cell == "—" else tuple(part.strip() for part in cell.split(","))


ROWS = _rows()


def test_the_table_lists_every_form() -> None:
    assert len(ROWS) >= 40


@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_table_row(row: list[str]) -> None:
    _form, example, body, agencies, editors, dateline, copyright_line = row
    result = normalize_body(example)
    assert result.body == body
    assert result.agencies == _list(agencies)
    assert result.editors == _list(editors)
    assert result.dateline == (None if dateline == "—" else dateline)
    assert result.copyright == (None if copyright_line == "—" else copyright_line)
