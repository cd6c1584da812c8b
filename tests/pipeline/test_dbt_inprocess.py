"""dbt in the step's own process: the project parsed once per process and reparsed only when it changes,
results streamed node by node, a failed build named precisely, and the warehouse released afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from config.settings import DBT_PROJECT_DIR
from orchestration.dbt_inprocess import DbtBuildError, ParsedProject, stream_build
from tests.dbt.warehouse_fixtures import create_raw_warehouse, execute

pytestmark = pytest.mark.slow


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ParsedProject:
    """A copy of the dbt project (so that editing it disturbs nobody) and a fresh raw warehouse."""
    copy = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, copy, ignore=shutil.ignore_patterns("target", "logs"))
    warehouse = create_raw_warehouse(tmp_path / "probation.duckdb")
    monkeypatch.setenv("PROBATION_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return ParsedProject(copy, copy)


def test_the_project_is_parsed_once_and_again_only_after_it_changed(project: ParsedProject) -> None:
    first = project.manifest()
    assert project.manifest() is first  # reused: no second parse
    model = project.project_dir / "models" / "marts" / "pdus.sql"
    model.write_text(model.read_text() + "\n-- edited\n")
    assert project.manifest() is not first  # an edited model is picked up by the next build


def test_a_build_streams_every_node_and_leaves_the_warehouse_free(project: ParsedProject, tmp_path: Path) -> None:
    results = list(stream_build(project, ["--quiet"], {}))
    kinds = {r.resource_type for r in results}
    assert kinds == {"seed", "model", "test"}
    assert not [r.name for r in results if r.status in {"error", "fail"}]
    assert (project.build_target / "run_results.json").exists()
    assert not (project.project_dir / "target" / "manifest.json").exists()  # only `make manifest` writes it
    # dbt's DuckDB handle is closed: this process can open the file again, read-only or not.
    with duckdb.connect(str(tmp_path / "probation.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.inspections").fetchone()[0] > 0


def test_a_failing_test_fails_the_build_naming_it(project: ParsedProject, tmp_path: Path) -> None:
    # A rating outside the scale reaches the marts: the relationships test to the rating_scale seed fails.
    execute(tmp_path / "probation.duckdb", "update raw.standards set rating = 'Excellent'")
    seen = []
    with pytest.raises(DbtBuildError, match=r"relationships_ratings_rating[^;]*\(fail\)"):
        seen.extend(stream_build(project, ["--quiet"], {}))
    assert any(r.status == "fail" for r in seen)  # results before the failure were streamed
