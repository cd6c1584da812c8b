"""Seeds a refresh need not reload: those whose warehouse table is exactly what the current seed would load.

dbt's cost is per node, and the 8 seeds with the 24 tests that read only them are 32 of the ~200 nodes of every
build, while the reference tables they load almost never change. A whole-project refresh therefore leaves out
each seed whose fingerprint (below) equals the one recorded in `intermediate.seed_state` when it was last
loaded and tested, and whose table still exists, together with the tests that read only such seeds. Tests
between a model and a seed still run: the model may have changed.

The state row is written here, after the seed loaded and every test on it passed; the seed's post-hook
(dbt_project/macros/seed_state.sql) deletes it in the load's own transaction, so any other load (a failed one,
`dbt seed` by hand) leaves no row and the next refresh reloads the seed. No Dagster import here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import duckdb

STATE_SCHEMA, STATE_TABLE = "intermediate", "seed_state"  # created by the seeds' post-hook
# Statuses of a test result that let its seed count as tested (a warning is carried over and keeps showing).
TESTED_STATUSES = frozenset({"pass", "warn"})
# Everything that turns a CSV into a table besides the seed's own node: dbt, its DuckDB adapter and DuckDB.
_LOADERS = ("dbt-core", "dbt-duckdb", "duckdb")


@dataclass(frozen=True)
class Seed:
    unique_id: str
    schema: str
    table: str
    selector: str  # dbt node selection of this seed alone
    fingerprint: str


@dataclass(frozen=True)
class Loaded:
    """When a seed's table was recorded as loaded and tested, and by which run."""

    at: datetime
    by: str


@dataclass
class SeedPlan:
    """The seeds of one build: those left out (with when they were loaded) and the tests left out with them."""

    seeds: dict[str, Seed] = field(default_factory=dict)
    tests: dict[str, set[str]] = field(default_factory=dict)  # seed -> tests whose parents include it, seeds only
    parents: dict[str, frozenset[str]] = field(default_factory=dict)  # those tests -> their parents
    unchanged: dict[str, Loaded] = field(default_factory=dict)  # seeds left out of this build

    def excluded_tests(self) -> set[str]:
        """Tests that read only unchanged seeds: the ones dbt leaves out with them (cautious indirect selection)."""
        skipped = set(self.unchanged)
        return {test for seed in skipped for test in self.tests[seed] if self.parents[test] <= skipped}

    def exclude_args(self) -> list[str]:
        return ["--exclude", *(self.seeds[seed].selector for seed in sorted(self.unchanged))] if self.unchanged else []

    def to_record(self, statuses: Mapping[str, str]) -> list[Seed]:
        """Seeds this build loaded whose tests on seeds all ran and passed: their state can be recorded."""
        return [
            seed
            for uid, seed in self.seeds.items()
            if statuses.get(uid) == "success" and all(statuses.get(t) in TESTED_STATUSES for t in self.tests[uid])
        ]


def plan_seeds(manifest: Any) -> SeedPlan:
    """Every seed of the parsed dbt manifest with its fingerprint, and the tests that read seeds only."""
    seeds = {uid: node for uid, node in manifest.nodes.items() if node.resource_type == "seed"}
    plan = SeedPlan(tests={uid: set() for uid in seeds})
    tests = {}
    for uid, node in manifest.nodes.items():
        parents = frozenset(node.depends_on.nodes) if node.resource_type == "test" else frozenset()
        if parents and parents <= seeds.keys():
            tests[uid] = node
            plan.parents[uid] = parents
            for parent in parents:
                plan.tests[parent].add(uid)
    common = [f"{name} {version(name)}" for name in _LOADERS] + _project_macros(manifest)
    for uid, node in seeds.items():
        parts = [*common, *_node_parts(node), _file_digest(Path(node.root_path) / node.original_file_path)]
        # A test added to or changed on the seed must run: it is part of what "unchanged" means.
        for test in sorted(plan.tests[uid]):
            parts += _node_parts(tests[test])
        plan.seeds[uid] = Seed(
            unique_id=uid,
            schema=node.schema,
            table=node.alias,
            selector=f"path:{node.original_file_path}",
            fingerprint=hashlib.sha256("\n".join(parts).encode()).hexdigest(),
        )
    return plan


def _project_macros(manifest: Any) -> list[str]:
    # The project's macros may change how a seed loads (its schema, its post-hook); dbt's own are versioned above.
    project = manifest.metadata.project_name
    return sorted(
        f"{m.unique_id} {hashlib.md5(m.macro_sql.encode()).hexdigest()}"
        for m in manifest.macros.values()
        if m.package_name == project
    )


def _node_parts(node: Any) -> list[str]:
    metadata = node.test_metadata.to_dict() if getattr(node, "test_metadata", None) else None
    columns = {name: column.data_type for name, column in node.columns.items()}
    # relation_name carries the warehouse (dbt-duckdb names the database after the file), schema and table.
    return [
        node.unique_id,
        str(node.relation_name),
        node.raw_code,
        json.dumps([node.config.to_dict(), columns, metadata], sort_keys=True, default=str),
    ]


def _file_digest(path: Path) -> str:
    # The file's own bytes: dbt's checksum of a seed over 1 MiB is its path, which would miss an edit.
    return hashlib.sha256(path.read_bytes()).hexdigest()


def find_unchanged(plan: SeedPlan, con: duckdb.DuckDBPyConnection) -> None:
    """Fill plan.unchanged: the seeds whose recorded fingerprint is the current one and whose table exists."""
    plan.unchanged = {}
    if not _state_exists(con):
        return
    rows = con.execute(f"SELECT seed, fingerprint, loaded_at, loaded_by FROM {STATE_SCHEMA}.{STATE_TABLE}").fetchall()
    tables = set(con.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall())
    for uid, fingerprint, loaded_at, loaded_by in rows:
        seed = plan.seeds.get(uid)
        if seed is not None and seed.fingerprint == fingerprint and (seed.schema, seed.table) in tables:
            plan.unchanged[uid] = Loaded(loaded_at, loaded_by)


def record_loaded(con: duckdb.DuckDBPyConnection, seeds: list[Seed], run_id: str) -> int:
    """Write the state rows of seeds that loaded and passed their tests in this build; returns how many."""
    # The post-hook creates the table with the first load; without it no seed loaded: nothing to record.
    if not seeds or not _state_exists(con):
        return 0
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute("BEGIN")
    con.executemany(f"DELETE FROM {STATE_SCHEMA}.{STATE_TABLE} WHERE seed = ?", [[s.unique_id] for s in seeds])
    con.executemany(
        f"INSERT INTO {STATE_SCHEMA}.{STATE_TABLE} (seed, fingerprint, loaded_at, loaded_by) VALUES (?, ?, ?, ?)",
        [[s.unique_id, s.fingerprint, loaded_at, run_id] for s in seeds],
    )
    con.execute("COMMIT")
    return len(seeds)


def _state_exists(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [STATE_SCHEMA, STATE_TABLE],
    ).fetchone()[0]
    return found > 0
