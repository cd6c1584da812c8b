"""The analyst marts (harmonised standards, themes, re-inspections, regions, national trend) on crafted reports:
the three seed reports plus a re-inspection of Dorset under the 2024 framework, values worked out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.dbt.warehouse_fixtures import (
    DORSET_2025,
    GOOD,
    INAD,
    RI,
    SEED_REPORTS,
    Dbt,
    build_warehouse,
    copy_warehouse,
    execute,
    query,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("analyst")
    return build_warehouse(work, Dbt(work), current=(*SEED_REPORTS, DORSET_2025), history=(), quarantined=())


def test_standard_key_joins_the_frameworks(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select standard_key, list(distinct framework || ' ' || standard_code order by framework || ' ' || standard_code)
        from marts.ratings group by standard_key order by standard_key""",
    )
    assert dict(rows) == {
        "assessment": ["pdu-2023 2.2", "pdu-2024 2.1"],
        "court_work": ["pdu-2023 2.1"],
        "implementation_and_delivery": ["pdu-2023 2.4", "pdu-2024 2.3"],
        "information_and_facilities": ["pdu-2023 1.4"],
        "leadership": ["pdu-2023 1.1", "pdu-2024 1.1"],
        "planning": ["pdu-2023 2.3", "pdu-2024 2.2"],
        "reviewing": ["pdu-2023 2.5", "pdu-2024 2.4"],
        "services": ["pdu-2023 1.3", "pdu-2024 1.3"],
        "staffing": ["pdu-2023 1.2", "pdu-2024 1.2"],
    }


def test_every_key_question_has_its_theme(warehouse: Path) -> None:
    # Court work's one question and the unrated Outcomes question have their own theme; every case-supervision
    # standard asks engagement, desistance, keeping other people safe, in that order.
    rows = query(warehouse, "select standard_key, question_number, theme from marts.scores")
    expected = {"court_work": ["court_work"], "outcomes": ["outcomes"]}
    for key, number, theme in rows:
        assert theme == expected.get(key, ["engagement", "desistance", "keeping_safe"])[number - 1], (key, number)


def test_first_inspections_have_nulls_not_zeros(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select inspection_id, inspection_number, previous_inspection_id, previous_score_pct, score_pct_change,
            overall_rating_change, n_standards_compared
        from marts.pdu_history where inspection_id <> 'dorset-2025-03' order by inspection_id""",
    )
    assert [r[0] for r in rows] == ["doncaster-2024-10", "dorset-2023-08", "portsmouth-and-the-isle-of-wight-2023-07"]
    assert all(r[1:] == (1, None, None, None, None, None) for r in rows)


def test_reinspection_links_and_changes(warehouse: Path) -> None:
    [row] = query(
        warehouse,
        """
        select inspection_number, previous_inspection_id, previous_published_month, previous_framework,
            previous_overall_rating, round(previous_score_pct, 2), round(score_pct_change, 2), overall_rating_change,
            months_since_previous, n_standards_compared, n_standards_up, n_standards_down, n_standards_same
        from marts.pdu_history where inspection_id = 'dorset-2025-03'""",
    )
    assert row == (2, "dorset-2023-08", date(2023, 8, 1), "pdu-2023", INAD, 11.11, 22.22, "up", 19, 7, 4, 0, 3)
    changes = query(
        warehouse,
        """
        select standard_key, previous_standard_code, standard_code, previous_rating, rating, change
        from marts.pdu_standard_history where inspection_id = 'dorset-2025-03' order by standard_key""",
    )
    assert changes == [
        ("assessment", "2.2", "2.1", INAD, RI, "up"),  # the same standard under two codes
        ("implementation_and_delivery", "2.4", "2.3", INAD, GOOD, "up"),
        ("leadership", "1.1", "1.1", INAD, GOOD, "up"),
        ("planning", "2.3", "2.2", INAD, INAD, "same"),
        ("reviewing", "2.5", "2.4", INAD, RI, "up"),
        ("services", "1.3", "1.3", INAD, INAD, "same"),
        ("staffing", "1.2", "1.2", RI, RI, "same"),
    ]


def test_latest_per_pdu_counts_each_pdu_once(warehouse: Path) -> None:
    assert query(
        warehouse,
        "select pdu_name, inspection_id, inspections_count from marts.latest_inspections where pdu_name = 'Dorset'",
    ) == [("Dorset", "dorset-2025-03", 2)]
    assert query(warehouse, "select count(*), count(distinct pdu_name) from marts.latest_inspections") == [(3, 3)]
    assert query(warehouse, "select distinct inspection_id from marts.latest_ratings where pdu_name = 'Dorset'") == [
        ("dorset-2025-03",)
    ]
    [row] = query(
        warehouse,
        """
        select pdus_inspected, inspections_total, latest_published_month, n_requires_improvement,
            share_requires_improvement, share_inadequate, round(median_score_pct, 2), standards_rated,
            standards_inadequate, round(share_standards_inadequate, 4), median_keeping_safe_pct
        from marts.region_summary where region = 'South West'""",
    )
    # Latest Dorset only: 2 Inadequate standards of 7; keeping-safe 55, 70, 66, 64 -> median (64 + 66) / 2.
    assert row == (1, 2, date(2025, 3, 1), 1, 1.0, 0.0, 33.33, 7, 2, 0.2857, 65.0)


def test_national_trend_by_publication_quarter(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select quarter_label, quarter_start, inspections, pdus_inspected, n_inadequate, n_requires_improvement,
            share_inadequate, round(median_score_pct, 2), round(min_score_pct, 2), round(max_score_pct, 2),
            standards_rated, standards_inadequate, median_keeping_safe_pct
        from marts.national_trend order by quarter_start""",
    )
    assert rows == [
        # Portsmouth (July) and Dorset (August) 2023; keeping-safe 20 27 32 33 33 37 39 46.
        ("2023-Q3", date(2023, 7, 1), 2, 2, 1, 1, 0.5, 16.67, 11.11, 22.22, 18, 10, 33.0),
        ("2024-Q4", date(2024, 10, 1), 1, 1, 1, 0, 1.0, 14.29, 14.29, 14.29, 7, 4, 40.5),
        ("2025-Q1", date(2025, 1, 1), 1, 1, 0, 1, 0.0, 33.33, 33.33, 33.33, 7, 2, 65.0),
    ]
    assert query(
        warehouse,
        """
        select median_pct_yes, n_percentages from marts.national_trend_key_questions
        where quarter_label = '2023-Q3' and standard_key = 'reviewing' and theme = 'keeping_safe'""",
    ) == [(33.0, 2)]


def test_untagged_recommendations_fall_in_other(warehouse: Path) -> None:
    # The crafted texts are "recommendation N": no keyword, so every one is `other`, once.
    assert query(
        warehouse,
        "select count(*), count(distinct (inspection_id, rec_number)), min(theme), max(theme), "
        "max(n_themes) from marts.recommendation_themes",
    ) == [(29, 29, "other", "other", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "Was the weather fine on the day of the inspection?",  # no theme
        "Does planning focus on engagement and on desistance?",  # two themes
    ],
)
def test_unknown_or_ambiguous_question_gets_no_theme_and_warns(warehouse: Path, tmp_path: Path, text: str) -> None:
    copy = copy_warehouse(warehouse, tmp_path / "copy")
    execute(
        copy,
        f"update raw.key_questions set text = '{text}' "
        f"where content_sha256 = '{DORSET_2025.sha}' and standard_code = 'P 2.2' and number = 1",
        # A new parse of the version, as the loader writes one: the incremental marts rebuild it.
        f"update raw.reports set parsed_at = parsed_at + interval 1 minute where content_sha256 = '{DORSET_2025.sha}'",
    )
    dbt = Dbt(tmp_path)
    assert dbt.invoke(["run", "--select", "int_current_inspections", "scores"], copy).success
    assert query(
        copy,
        "select theme from marts.scores where inspection_id = 'dorset-2025-03' "
        "and standard_code = '2.2' order by question_number",
    ) == [(None,), ("desistance",), ("keeping_safe",)]
    name = "key_question_has_one_theme"
    assert dbt.invoke(["test", "--select", name], copy).statuses[name] == "warn"
