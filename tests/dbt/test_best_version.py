"""When two files claim the same inspection, the marts keep the best one (issue 12): complete before
incomplete, then fewer parse warnings, then the newest parse; int_inspection_candidates says which file won
and why."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from tests.dbt.warehouse_fixtures import DONCASTER, DORSET, PORTSMOUTH, Dbt, build_warehouse, query

pytestmark = pytest.mark.slow

LATER = datetime(2025, 3, 1, 12, 0)


def _short_of_one_percentage(report):
    # Standard 2.3 read with 2 of its 3 key-question percentages (a page break lost one).
    standards = tuple(replace(s, pcts=s.pcts[:2]) if s.code.endswith("2.3") else s for s in report.standards)
    return replace(report, standards=standards)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("best")
    candidates = (
        # Dorset: the newer copy, without warnings, is incomplete; the older one, with a warning, is complete.
        DORSET,
        replace(_short_of_one_percentage(DORSET), file_path="dorset.pdf", sha="1" * 64, warnings=(), parsed_at=LATER),
        # Portsmouth: both complete; the newer one carries two warnings (e.g. bytes that were not UTF-8).
        PORTSMOUTH,
        replace(
            PORTSMOUTH,
            file_path="portsmouth-copy.txt",
            sha="2" * 64,
            parsed_at=LATER,
            lead_inspector="Copy",
            warnings=(("encoding", "3 byte(s) are not valid UTF-8"), ("isbn", "not found in the report")),
        ),
        # Doncaster: both complete with no warnings: the newest parse wins.
        DONCASTER,
        replace(DONCASTER, file_path="doncaster.html", sha="3" * 64, parsed_at=LATER, lead_inspector="Newer"),
    )
    return build_warehouse(work, Dbt(work), current=candidates, history=(), quarantined=())


def test_complete_beats_incomplete_even_when_newer_and_without_warnings(warehouse: Path) -> None:
    assert query(
        warehouse, "select file_path, n_parse_warnings from marts.inspections where inspection_id = 'dorset-2023-08'"
    ) == [(DORSET.file_path, 1)]
    assert query(
        warehouse,
        "select pct_yes from marts.scores where inspection_id = 'dorset-2023-08' "
        "and standard_code = '2.3' and question_number = 3",
    ) == [(33,)]


def test_fewer_warnings_beat_newer(warehouse: Path) -> None:
    assert query(
        warehouse, "select file_path, lead_inspector from marts.inspections where pdu_name like 'Portsmouth%'"
    ) == [(PORTSMOUTH.file_path, "HM Inspector")]


def test_newest_wins_among_equals(warehouse: Path) -> None:
    assert query(
        warehouse, "select file_path, lead_inspector from marts.inspections where inspection_id = 'doncaster-2024-10'"
    ) == [("doncaster.html", "Newer")]


def test_the_choice_is_visible_with_its_reason(warehouse: Path) -> None:
    rows = query(
        warehouse,
        """
        select inspection_id, file_path, is_complete, n_warnings, candidate_rank, choice
        from intermediate.int_inspection_candidates order by inspection_id, candidate_rank""",
    )
    assert rows == [
        (
            "doncaster-2024-10",
            "doncaster.html",
            True,
            0,
            1,
            "chosen: newest parse among equally complete versions with as many warnings",
        ),
        (
            "doncaster-2024-10",
            DONCASTER.file_path,
            True,
            0,
            2,
            "not chosen: doncaster.html is preferred (newest parse among equally complete versions with as many warnings)",
        ),
        ("dorset-2023-08", DORSET.file_path, True, 1, 1, "chosen: complete; the next best is incomplete"),
        (
            "dorset-2023-08",
            "dorset.pdf",
            False,
            0,
            2,
            f"not chosen: {DORSET.file_path} is preferred (complete; the next best is incomplete)",
        ),
        (
            "portsmouth-and-the-isle-of-wight-2023-07",
            PORTSMOUTH.file_path,
            True,
            0,
            1,
            "chosen: fewer parse warnings (0 against 2)",
        ),
        (
            "portsmouth-and-the-isle-of-wight-2023-07",
            "portsmouth-copy.txt",
            True,
            2,
            2,
            f"not chosen: {PORTSMOUTH.file_path} is preferred (fewer parse warnings (0 against 2))",
        ),
    ]
    assert query(
        warehouse,
        "select n_standards_short_of_percentages from intermediate.int_inspection_candidates where file_path = 'dorset.pdf'",
    ) == [(1,)]
