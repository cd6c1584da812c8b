"""End to end on the real sample: loader -> raw -> dbt build -> marts and GX suites (needs the main engineer's
loader and parser)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations import SUITES, run_suite
from tests.dbt.warehouse_fixtures import Dbt, query

loader = pytest.importorskip("ingestion.load.loader")
pytestmark = pytest.mark.slow
REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"


@pytest.fixture(scope="module")
def seed_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("seed")
    warehouse = work / "probation.duckdb"
    loader.sync_landing_folder(warehouse, REPORTS)
    outcome = Dbt(work).invoke(["build"], warehouse)
    assert outcome.success, outcome.failing()
    return warehouse


def test_seed_inspections(seed_warehouse: Path) -> None:
    assert query(seed_warehouse, """
        select inspection_id, published_month, overall_rating, score, max_score, n_standards_rated
        from marts.inspections order by inspection_id""") == [
        ("doncaster-2024-10", date(2024, 10, 1), "Inadequate", 3, 21, 7),
        ("dorset-2023-08", date(2023, 8, 1), "Inadequate", 3, 27, 9),
        ("portsmouth-and-the-isle-of-wight-2023-07", date(2023, 7, 1), "Requires improvement", 6, 27, 9),
    ]
    assert query(seed_warehouse, "select count(*) from marts.recommendations") == [(27,)]
    assert query(seed_warehouse, "select count(*) from marts.ratings where discretion_applied") == [(1,)]
    assert query(seed_warehouse, "select count(*) from marts.scores where not is_rated_standard") == [(2,)]


def test_seed_passes_every_gx_suite(seed_warehouse: Path) -> None:
    with duckdb.connect(str(seed_warehouse), read_only=True) as con:
        failed = {(s.table, s.check): r.offending_rows for s in SUITES if not (r := run_suite(s, con)).success}
    assert not failed
