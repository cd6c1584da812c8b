"""Table Schemas of the published marts, generated from the dbt contracts and docs/contract.md.

The published data gives the columns and their types (dbt's enforced contracts make them the contract's), the
dbt model files the tests that hold on it, docs/contract.md the meaning users read. A test becomes a Table Schema constraint only when a failed evaluation would
have stopped the publish (severity error): a warning-level test may fail on published data, and a constraint
it implied would make a valid release fail validation.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from config.settings import DBT_PROJECT_DIR, PROJECT_ROOT

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
CONTRACT_DOC = PROJECT_ROOT / "docs" / "contract.md"

# Range tests of the project (dbt_project/macros/tests) -> inclusive bounds.
RANGE_TESTS = {"pct_within_0_100": (0, 100), "share_within_0_1": (0, 1)}
# Every column holding a published rating takes its values from the rating_scale seed, tested or not.
RATING_COLUMN = re.compile(r"^(.+_)?rating$")
RATING_SEED = ("rating_scale", "rating")
# Row keys of the marts whose contract has no uniqueness test (what identifies their rows by construction).
KEYS_NOT_TESTED = {
    "findings": ["inspection_id", "standard_code", "kind", "position"],
    "latest_scores": ["pdu_name", "standard_code", "question_number"],
}
# Key columns the contract lets be null: region_summary and region_key_questions group the inspections of
# unknown region under a null region. Frictionless rejects a primary key with null cells, so those marts'
# keys identify rows for the diff only; every other key is declared as the Table Schema's primary key.
NULLABLE_KEY_COLUMNS = {"region"}
_REF = re.compile(r"^ref\('([A-Za-z0-9_]+)'\)$")


@dataclass
class Column:
    name: str
    description: str = ""
    tests: list[tuple[str, dict]] = field(default_factory=list)  # (test name, arguments) of error-severity tests


@dataclass
class Mart:
    name: str
    description: str
    columns: list[Column]
    unique_combinations: list[list[str]]


def contract_marts() -> dict[str, Mart]:
    """Every mart of the dbt project with an enforced contract, by name (read again when a file changed)."""
    return _contract_marts(_stamp(sorted(MARTS_DIR.glob("*.yml"))))


def contract_meanings() -> dict[str, dict[str, str]]:
    """docs/contract.md: mart -> column -> meaning, from the table under each `### marts.<name>` heading."""
    return _contract_meanings(_stamp([CONTRACT_DOC]))


def _stamp(paths: list[Path]) -> tuple[tuple[Path, int], ...]:
    # A long-running process (`make dev`) publishes many times: a cache keyed on the files' state stays true.
    return tuple((path, path.stat().st_mtime_ns) for path in paths)


@lru_cache(maxsize=4)
def _contract_marts(files: tuple[tuple[Path, int], ...]) -> dict[str, Mart]:
    marts = {}
    for path, _ in files:
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            columns = [Column(c["name"], c.get("description", "").strip(), _tests(c)) for c in model.get("columns", [])]
            combos = [args["columns"] for name, args in _tests(model) if name == "unique_combination"]
            marts[model["name"]] = Mart(model["name"], model.get("description", "").strip(), columns, combos)
    return marts


def _tests(node: dict) -> list[tuple[str, dict]]:
    tests = []
    for test in node.get("data_tests") or []:
        name, spec = (test, {}) if isinstance(test, str) else next(iter(test.items()))
        spec = spec or {}
        if str(spec.get("config", {}).get("severity", "error")).lower() == "warn":
            continue
        tests.append((name, spec.get("arguments", {}) or {}))
    return tests


@lru_cache(maxsize=4)
def _contract_meanings(files: tuple[tuple[Path, int], ...]) -> dict[str, dict[str, str]]:
    meanings: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in CONTRACT_DOC.read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"^###\s+`marts\.([A-Za-z0-9_]+)`", line):
            current = meanings.setdefault(heading.group(1), {})
        elif line.startswith("#"):
            current = None
        elif current is not None and (row := re.match(r"^\|\s*`([A-Za-z0-9_]+)`\s*\|[^|]*\|(.*)\|\s*$", line)):
            current[row.group(1)] = row.group(2).strip()
    return meanings


def row_key(table: str, columns: list[str]) -> list[str]:
    """The columns that identify a row of a mart with these columns.

    The contract's uniqueness test, else KEYS_NOT_TESTED; a table without either (or without those columns)
    is keyed by all its columns, so a changed row shows as one removed and one added.
    """
    mart = contract_marts().get(table)
    key: list[str] = []
    if mart is not None:
        unique = [c.name for c in mart.columns if any(name == "unique" for name, _ in c.tests)]
        key = list(mart.unique_combinations[0]) if mart.unique_combinations else unique[:1]
    key = key or KEYS_NOT_TESTED.get(table, [])
    return key if key and set(key) <= set(columns) else list(columns)


def table_schema(table: str, columns: list[tuple[str, str]], published: list[str]) -> dict:
    """The Table Schema of one mart as published: `columns` are its (name, DuckDB type) in the data.

    Fields follow the data (what the CSV holds); the contract adds meanings and constraints. Under dbt's
    enforced contracts the two agree (tests/docs/test_contract.py); a column the contract does not know
    gets its type only. Foreign keys only point at marts in `published` (the package's resources).
    """
    mart = contract_marts().get(table, Mart(table, "", [], []))
    by_name = {c.name: c for c in mart.columns}
    meanings = contract_meanings().get(table, {})
    fields = [
        _field(by_name.get(name, Column(name)), field_type(duckdb_type), meanings.get(name))
        for name, duckdb_type in columns
    ]
    schema: dict = {"fields": fields, "missingValues": [""]}
    names = [name for name, _ in columns]
    key = row_key(table, names)
    if key != names and not NULLABLE_KEY_COLUMNS & set(key):
        schema["primaryKey"] = key
    foreign = [
        {"fields": [column.name], "reference": {"resource": target, "fields": [args["field"]]}}
        for column in mart.columns
        for name, args in column.tests
        if name == "relationships" and column.name in names and (target := _ref(args)) in published and target != table
    ]
    if foreign:
        schema["foreignKeys"] = foreign
    return schema


INTEGER_TYPES = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT"}
NATIVE_TYPES = {
    **dict.fromkeys(INTEGER_TYPES, "integer"),
    **dict.fromkeys(["FLOAT", "DOUBLE", "DECIMAL"], "number"),
    "VARCHAR": "string",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIME": "time",
    "TIMESTAMP": "datetime",
    "TIMESTAMP WITH TIME ZONE": "datetime",  # written in UTC with a Z (package.py)
}


def field_type(duckdb_type: str) -> str:
    """The Table Schema type of a DuckDB column; "string" (DuckDB's text of the value) where none matches.

    The marts hold the native types only; the serving copy accepts more (intervals, lists, UUIDs, blobs),
    and a column the Table Schema cannot type must not stop a publish: its CSV cells are text, and the
    Parquet resource keeps the exact type.
    """
    return NATIVE_TYPES.get(duckdb_type.upper().split("(")[0].strip(), "string")


def _field(column: Column, field_type: str, meaning: str | None) -> dict:
    result = {"name": column.name, "type": field_type, "description": meaning or column.description}
    constraints: dict = {}
    for name, args in column.tests:
        if name == "not_null":
            constraints["required"] = True
        elif name == "unique":
            constraints["unique"] = True
        elif name == "accepted_values":
            constraints["enum"] = list(args["values"])
        elif name in RANGE_TESTS:
            constraints["minimum"], constraints["maximum"] = RANGE_TESTS[name]
        elif name == "relationships" and (seed := _ref(args)) and (SEEDS_DIR / f"{seed}.csv").is_file():
            # A reference seed is not part of the package: its values become the allowed values.
            constraints["enum"] = seed_values(seed, args["field"], field_type)
    if "enum" not in constraints and field_type == "string" and RATING_COLUMN.match(column.name):
        constraints["enum"] = seed_values(*RATING_SEED, "string")
    if constraints:
        result["constraints"] = constraints
    return result


def _ref(args: dict) -> str | None:
    match = _REF.match(str(args.get("to", "")).strip())
    return match.group(1) if match else None


def seed_values(seed: str, column: str, field_type: str) -> list:
    with (SEEDS_DIR / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        values = sorted({row[column] for row in csv.DictReader(handle) if row[column] != ""})
    return [int(v) for v in values] if field_type == "integer" else values


def contract_files() -> list[Path]:
    """The files the schemas are generated from (recorded in the package for provenance)."""
    return [*sorted(MARTS_DIR.glob("*.yml")), CONTRACT_DOC]
