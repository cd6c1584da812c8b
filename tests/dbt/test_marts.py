"""The marts built by dbt from crafted raw rows mirroring the three seed reports."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.dbt.warehouse_fixtures import (
    DORSET,
    PORTSMOUTH,
    PORTSMOUTH_MD,
    RI,
    SEED_REPORTS,
    Built,
    Dbt,
    build_warehouse,
    query,
)

pytestmark = pytest.mark.slow


def test_one_inspection_per_pdu_and_month(built: Built) -> None:
    rows = query(
        built.warehouse,
        """
        select inspection_id, pdu_name, region, published_month, framework, overall_rating, score, max_score,
            round(score_pct, 2), n_standards_rated, source_format, file_present
        from marts.inspections order by inspection_id""",
    )
    assert rows == [
        (
            "doncaster-2024-10",
            "Doncaster",
            "Yorkshire and the Humber",
            date(2024, 10, 1),
            "pdu-2024",
            "Inadequate",
            3,
            21,
            14.29,
            7,
            "txt",
            False,
        ),
        (
            "dorset-2023-08",
            "Dorset",
            "South West",
            date(2023, 8, 1),
            "pdu-2023",
            "Inadequate",
            3,
            27,
            11.11,
            9,
            "txt",
            True,
        ),
        (
            "portsmouth-and-the-isle-of-wight-2023-07",
            "Portsmouth and the Isle of Wight",
            "South Central",
            date(2023, 7, 1),
            "pdu-2023",
            "Requires improvement",
            6,
            27,
            22.22,
            9,
            "txt",
            True,
        ),
    ]


def test_newest_parse_wins_and_history_is_ignored(built: Built) -> None:
    # The md copy of Portsmouth is older than the txt; the superseded Dorset version (score 4) is history only.
    assert query(
        built.warehouse,
        "select lead_inspector, content_sha256 from marts.inspections where pdu_name like 'Portsmouth%'",
    ) == [("HM Inspector", PORTSMOUTH.sha)]
    assert query(built.warehouse, "select score, content_sha256 from marts.inspections where pdu_name = 'Dorset'") == [
        (3, DORSET.sha)
    ]


def test_ratings_points_bands_and_discretion(built: Built) -> None:
    assert query(built.warehouse, "select count(*), sum(rating_points) from marts.ratings") == [(25, 12)]
    court = query(
        built.warehouse,
        """
        select rating, rating_points, lowest_pct_yes, band_rating, discretion_applied from marts.ratings
        where inspection_id = 'portsmouth-and-the-isle-of-wight-2023-07' and standard_code = '2.1'""",
    )
    assert court == [("Requires improvement", 1, 48, "Inadequate", True)]
    # Domain-1 standards have no percentages, so no band; 2024 codes lose their "P " prefix.
    assert query(
        built.warehouse,
        """
        select standard_code, lowest_pct_yes, band_rating from marts.ratings
        where inspection_id = 'doncaster-2024-10' order by standard_code""",
    )[:4] == [("1.1", None, None), ("1.2", None, None), ("1.3", None, None), ("2.1", 37, "Inadequate")]


def test_scores_include_outcomes_and_mark_lowest(built: Built) -> None:
    assert query(built.warehouse, "select count(*) from marts.scores") == [(40,)]
    assert query(
        built.warehouse,
        """
        select inspection_id, standard_code, pct_yes from marts.scores where not is_rated_standard
        order by 1""",
    ) == [("dorset-2023-08", "2.6", 38), ("portsmouth-and-the-isle-of-wight-2023-07", "2.6", 46)]
    # Doncaster reviewing: 44/44/44, ties are all lowest; Dorset assessment: only the 33.
    assert query(
        built.warehouse,
        """
        select count(*) filter (where is_lowest) from marts.scores
        where inspection_id = 'doncaster-2024-10' and standard_code = '2.4'""",
    ) == [(3,)]
    assert query(
        built.warehouse,
        """
        select pct_yes from marts.scores
        where inspection_id = 'dorset-2023-08' and standard_code = '2.2' and is_lowest""",
    ) == [(33,)]


def test_recommendations_findings_pdus_quarantine(built: Built) -> None:
    assert query(
        built.warehouse,
        """
        select inspection_id, count(*), max(rec_number), count(*) filter (where recipient_level = 'Region')
        from marts.recommendations group by 1 order by 1""",
    ) == [
        ("doncaster-2024-10", 6, 6, 0),
        ("dorset-2023-08", 13, 13, 4),
        ("portsmouth-and-the-isle-of-wight-2023-07", 8, 8, 2),
    ]
    assert query(built.warehouse, "select count(*), count(distinct kind) from marts.findings") == [(50, 2)]
    assert query(
        built.warehouse,
        "select pdu_name, inspections_count, latest_inspection_id, in_reference from marts.pdus order by 1",
    )[0] == ("Doncaster", 1, "doncaster-2024-10", True)
    assert query(built.warehouse, "select file_path from marts.quarantined_files") == [("youth-justice-doncaster.pdf",)]


def test_inspection_ids_are_slugs(built: Built) -> None:
    ids = [row[0] for row in query(built.warehouse, "select inspection_id from marts.inspections")]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*-\d{4}-\d{2}", i) for i in ids), ids


# docs/contract.md "Marts": exact names BI tools rely on (marts may add columns, never rename).
CONTRACT_COLUMNS = {
    "inspections": "inspection_id pdu_name region published_month fieldwork_start_date framework overall_rating "
    "score max_score score_pct n_standards_rated cases_inspected interviews lead_inspector chief_inspector "
    "source_file source_format content_sha256",
    "ratings": "inspection_id pdu_name standard_code standard_name domain rating rating_points lowest_pct_yes "
    "band_rating discretion_applied standard_key",
    "scores": "inspection_id pdu_name standard_code standard_name question_number question_text pct_yes is_lowest "
    "is_rated_standard standard_key theme",
    "recommendations": "inspection_id pdu_name rec_number recipient recipient_level text",
    "findings": "inspection_id standard_code kind text",
    "pdus": "pdu_name region inspections_count latest_inspection_id latest_overall_rating",
    # Analyst marts (docs/contract.md): their keys and headline measures.
    "pdu_history": "inspection_id pdu_name previous_inspection_id previous_overall_rating previous_score_pct "
    "score_pct_change overall_rating_change n_standards_up n_standards_down n_standards_same",
    "pdu_standard_history": "inspection_id standard_key previous_rating rating change",
    "latest_inspections": "pdu_name inspection_id region overall_rating score_pct inspections_count",
    "latest_ratings": "pdu_name standard_key rating",
    "latest_scores": "pdu_name standard_key theme pct_yes",
    "region_summary": "region pdus_inspected share_inadequate median_score_pct share_standards_inadequate "
    "median_keeping_safe_pct",
    "region_key_questions": "region standard_key theme median_pct_yes",
    "national_trend": "published_year published_quarter quarter_label inspections share_inadequate median_score_pct "
    "median_keeping_safe_pct",
    "national_trend_key_questions": "quarter_label standard_key theme median_pct_yes",
    "recommendation_themes": "inspection_id rec_number theme n_themes",
}


@pytest.mark.parametrize("table", sorted(CONTRACT_COLUMNS))
def test_marts_have_every_contract_column(built: Built, table: str) -> None:
    actual = {
        row[0]
        for row in query(
            built.warehouse,
            f"""
        select column_name from information_schema.columns
        where table_schema = 'marts' and table_name = '{table}'""",
        )
    }
    assert set(CONTRACT_COLUMNS[table].split()) <= actual


def test_contract_types(built: Built) -> None:
    types = dict(
        query(
            built.warehouse,
            """
        select table_name || '.' || column_name, data_type from information_schema.columns
        where table_schema = 'marts'""",
        )
    )
    assert types["inspections.published_month"] == "DATE"
    assert types["inspections.fieldwork_start_date"] == "DATE"
    assert types["inspections.score_pct"] == "DOUBLE"
    assert types["ratings.discretion_applied"] == "BOOLEAN"
    assert types["scores.is_lowest"] == "BOOLEAN"


def test_newer_format_wins_and_latest_inspection(tmp_path: Path, built: Built) -> None:
    """A second build: the md parse is now the newest, and Dorset has a second, later inspection."""
    newer_md = replace(PORTSMOUTH_MD, parsed_at=datetime(2025, 2, 1))
    # Dorset re-inspected: every standard Requires improvement (discretion where the band says otherwise).
    standards = tuple(replace(s, rating=RI, discretion=s.band not in (None, RI)) for s in DORSET.standards)
    dorset_2025 = replace(
        DORSET,
        file_path="dorset-2025-03.txt",
        sha="9" * 64,
        published="2025-03",
        overall=RI,
        score=9,
        standards=standards,
    )
    warehouse = build_warehouse(
        tmp_path / "b", Dbt(tmp_path / "b"), current=(*SEED_REPORTS, newer_md, dorset_2025), history=(), quarantined=()
    )
    assert query(
        warehouse, "select lead_inspector, source_format from marts.inspections where pdu_name like 'Portsmouth%'"
    ) == [("Older parse", "md")]
    assert query(
        warehouse,
        "select inspections_count, latest_inspection_id, latest_overall_rating "
        "from marts.pdus where pdu_name = 'Dorset'",
    ) == [(2, "dorset-2025-03", "Requires improvement")]
    assert query(warehouse, "select count(*) from marts.quarantined_files") == [(0,)]
