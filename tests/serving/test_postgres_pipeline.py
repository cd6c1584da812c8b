"""The whole Dagster graph on the sample reports with PostgreSQL set: the real dbt marts, row for row."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from cli.dbt_manifest import prepare_manifest
from orchestration.assets.serving import POSTGRES, postgres_publish_line
from serving.postgres import current_postgres_version
from serving.publish import current_version
from tests.pipeline.conftest import _project
from tests.serving.conftest import PgDatabase
from tests.serving.test_postgres import assert_same_as_duckdb
from tests.serving.test_serving_assets import materialized

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def test_a_full_run_publishes_the_real_marts_to_postgres_with_their_contract_types(
    tmp_path: Path, pg_db: PgDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_manifest()
    monkeypatch.setenv("PROBATION_SERVING_POSTGRES_URL", pg_db.owner_url)
    with _project(tmp_path) as project:
        result = project.run()
        assert result.success
        assert POSTGRES in materialized(result)
        version = current_version(project.warehouse.parent)

    assert current_postgres_version(pg_db.owner_url) == version.id
    assert postgres_publish_line(result).startswith(f"postgres: published version {version.id} to postgresql://")
    assert_same_as_duckdb(pg_db.reader_url, version)  # every mart, every column, values and Python types
    with psycopg.connect(pg_db.reader_url) as reader:
        types = dict(
            reader.execute(
                "SELECT table_name || '.' || column_name, data_type FROM "
                "information_schema.columns WHERE table_schema = 'marts'"
            ).fetchall()
        )
    # The enforced dbt contract's types (dbt_project/models/marts/<mart>.yml), as PostgreSQL names them.
    assert types["inspections.score"] == types["ratings.domain"] == types["scores.pct_yes"] == "integer"
    assert types["inspections.published_month"] == types["pdus.latest_published_month"] == "date"
    assert types["inspections.score_is_derived"] == types["scores.is_lowest"] == "boolean"
    assert types["inspections.parsed_at"] == "timestamp without time zone"
    assert types["inspections.score_pct"] == "double precision"
