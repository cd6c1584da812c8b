"""Dagster wiring of serving/postgres: its own asset after the serving copy, never in the way of the rest."""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg
import pytest
from dagster import DagsterInstance, materialize

from orchestration.assets.serving import DASHBOARD, POSTGRES, SERVING_COPY, postgres_copy, postgres_publish_line
from orchestration.resources import RESOURCES
from serving.postgres import current_postgres_version, publish_to_postgres, redact
from serving.publish import PublishedVersion, PublishError, current_version
from tests.serving.conftest import PgDatabase
from tests.serving.marts_data import add_inspection
from tests.serving.test_serving_assets import ALL, materialized, metadata_of

URL = "PROBATION_SERVING_POSTGRES_URL"
GRAPH = [*ALL, postgres_copy]


@pytest.fixture
def env(warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    monkeypatch.delenv(URL, raising=False)
    return warehouse.parent


@pytest.mark.postgres
def test_each_run_publishes_the_new_serving_version_to_postgres(
    env: Path, warehouse: Path, pg_db: PgDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(URL, pg_db.owner_url)
    for expected_inspections in (3, 4):
        if expected_inspections == 4:
            add_inspection(warehouse)  # a changed report between the two runs
        result = materialize(GRAPH, resources=RESOURCES, instance=DagsterInstance.ephemeral())
        assert result.success
        version = current_version(env)
        meta = metadata_of(result, POSTGRES)
        assert meta["version_id"].value == version.id == current_postgres_version(pg_db.owner_url)
        assert meta["row_counts"].value == version.row_counts
        assert meta["row_counts"].value["inspections"] == expected_inspections
        assert meta["switch_lock_ms"].value < 1000
        assert "password" not in meta["database"].value and "probation_owner@127.0.0.1" in meta["database"].value
        with psycopg.connect(pg_db.reader_url) as reader:
            assert reader.execute("SELECT count(*) FROM marts.inspections").fetchone()[0] == expected_inspections
        line = postgres_publish_line(result)
        assert line == f"postgres: published version {version.id} to {meta['database'].value} (schema marts)"


def test_a_database_that_is_down_fails_only_its_own_asset(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(URL, "postgresql://probation:secret@127.0.0.1:1/probation")  # nothing listens on port 1
    result = materialize(GRAPH, resources=RESOURCES, instance=DagsterInstance.ephemeral(), raise_on_error=False)

    assert not result.success
    assert {SERVING_COPY, DASHBOARD} <= materialized(result)  # the DuckDB copy and the dashboard are published
    assert POSTGRES not in materialized(result)
    assert [e.step_key for e in result.get_step_failure_events()] == [postgres_copy.op.name]
    line = postgres_publish_line(result)
    assert line.startswith("postgres: NOT published: ") and "127.0.0.1:1" in line and "secret" not in line


def test_without_the_setting_nothing_is_materialised_or_printed(env: Path) -> None:
    instance = DagsterInstance.ephemeral()
    result = materialize(GRAPH, resources=RESOURCES, instance=instance)

    assert result.success
    assert POSTGRES not in materialized(result) and {SERVING_COPY, DASHBOARD} <= materialized(result)
    assert postgres_publish_line(result) is None
    # `make run` shows INFO and above: the skipped step adds no line to it.
    logged = [e for e in instance.all_logs(result.run_id) if e.step_key == postgres_copy.op.name]
    assert logged and all(e.level < logging.INFO for e in logged)


def test_the_connection_string_is_shown_without_its_password() -> None:
    assert (
        redact("postgresql://probation:secret@db.example.org:5433/probation")
        == "postgresql://probation@db.example.org:5433/probation"
    )
    assert redact("host=db user=probation password=secret dbname=marts") == "postgresql://probation@db/marts"
    with pytest.raises(PublishError, match="not a PostgreSQL connection string") as caught:
        publish_to_postgres("not a url secret", PublishedVersion("v", "", Path("."), {"t": 0}))
    assert "secret" not in str(caught.value) and caught.value.__cause__ is None
