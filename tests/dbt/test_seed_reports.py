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
    assert query(
        seed_warehouse,
        """
        select inspection_id, published_month, overall_rating, score, max_score, n_standards_rated
        from marts.inspections order by inspection_id""",
    ) == [
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


def test_seed_every_standard_has_a_key_and_every_question_a_theme(seed_warehouse: Path) -> None:
    assert query(seed_warehouse, "select count(*) from marts.ratings where standard_key is null") == [(0,)]
    assert query(seed_warehouse, "select count(*) from marts.scores where standard_key is null or theme is null") == [
        (0,)
    ]
    # Both frameworks ask the same five kinds of question: 2023 (two reports) and 2024 (one).
    assert dict(query(seed_warehouse, "select theme, count(*) from marts.scores group by theme")) == {
        "engagement": 2 * 4 + 4,
        "desistance": 2 * 4 + 4,
        "keeping_safe": 2 * 4 + 4,
        "court_work": 2,
        "outcomes": 2,
    }


# The README lists these ("Recommendation themes of the sample reports"): keep both in step.
SEED_RECOMMENDATION_THEMES = {
    "risk_of_harm": 10,
    "interventions_and_services": 9,
    "staffing_and_workloads": 9,
    "management_oversight_and_qa": 7,
    "domestic_abuse": 4,
    "child_safeguarding": 3,
    "ict_and_facilities": 1,
    "victims": 1,
}


def test_seed_recommendation_themes(seed_warehouse: Path) -> None:
    counts = dict(query(seed_warehouse, "select theme, count(*) from marts.recommendation_themes group by theme"))
    assert counts == SEED_RECOMMENDATION_THEMES
    assert "other" not in counts  # every one of the 27 recommendations matched at least one keyword pattern
    assert query(
        seed_warehouse, "select count(distinct (inspection_id, rec_number)) from marts.recommendation_themes"
    ) == [(27,)]
