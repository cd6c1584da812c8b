"""docs/contract.md stays true: the marts' columns and types as dbt builds them, the parse JSON's fields."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import duckdb
import pytest
from pydantic import BaseModel

from ingestion.model import InspectionReport
from serving.publish import MART_TABLES
from tests.dbt.warehouse_fixtures import shared_build

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "contract.md"
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+?) \| .+ \|$")


def documented_tables(text: str) -> dict[str, list[tuple[str, str]]]:
    """`### `marts.<table>`` sections and the (column, type) rows of their tables."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        if heading := re.match(r"^### `marts\.(\w+)`$", line):
            current = tables.setdefault(heading.group(1), [])
        elif line.startswith("## "):
            current = None
        elif current is not None and (row := ROW.match(line)):
            current.append((row.group(1), row.group(2).strip()))
    return tables


def documented_json_fields(text: str) -> set[str]:
    section = text.split("## `inspections parse` JSON", 1)[1]
    return {row.group(1) for line in section.splitlines() if (row := ROW.match(line))}


def model_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Dotted paths of a pydantic model's fields; `[]` marks a list of objects."""
    paths = set()
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        paths.add(path)
        annotation = info.annotation
        if typing.get_origin(annotation) is list:
            annotation, path = typing.get_args(annotation)[0], f"{path}[]"
        # `X | None`: the model among the union's members
        nested = [
            a for a in (annotation, *typing.get_args(annotation)) if isinstance(a, type) and issubclass(a, BaseModel)
        ]
        for inner in nested:
            paths |= model_fields(inner, f"{path}.")
    return paths


@pytest.mark.slow
def test_contract_lists_exactly_the_published_marts_columns_and_types() -> None:
    documented = documented_tables(CONTRACT.read_text())
    assert sorted(documented) == sorted(MART_TABLES)
    with duckdb.connect(str(shared_build().warehouse), read_only=True) as con:
        for table in MART_TABLES:
            built = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
            assert documented[table] == built, f"docs/contract.md disagrees with marts.{table} as built"


def test_contract_lists_exactly_the_parse_json_fields() -> None:
    assert documented_json_fields(CONTRACT.read_text()) == model_fields(InspectionReport)


def test_the_parser_finds_a_missing_column() -> None:
    # The check itself: a section with a column left out no longer matches.
    text = "### `marts.pdus`\n\n| column | type | meaning |\n|---|---|---|\n| `pdu_name` | VARCHAR | Name. |\n"
    assert documented_tables(text) == {"pdus": [("pdu_name", "VARCHAR")]}
