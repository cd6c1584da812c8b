from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.dbt.warehouse_fixtures import Built, shared_build


@pytest.fixture(scope="session")
def built() -> Built:
    """The crafted sample through `dbt build` (shared with tests/dbt when both run in one process)."""
    return shared_build()


@pytest.fixture
def broken(built: Built, tmp_path: Path):
    """broken(*sql) -> a copy of the built warehouse with the statements applied."""

    def make(*statements: str) -> Path:
        copy = built.copy(tmp_path)
        with duckdb.connect(str(copy)) as con:
            for statement in statements:
                con.execute(statement)
        return copy

    return make


@pytest.fixture(scope="session")
def published(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built sample published once as the current serving version (the cross-version suites' baseline)."""
    from serving.publish import CURRENT, DB_NAME, MART_TABLES, publish

    serving = tmp_path_factory.mktemp("serving")
    publish(built.warehouse, serving, MART_TABLES, [])
    return serving / CURRENT / DB_NAME
