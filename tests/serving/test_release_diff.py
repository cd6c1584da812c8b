"""What changed between two versions, on the crafted marts: added, removed and changed rows, null keys."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from serving.publish import MART_TABLES, publish
from serving.release.diff import Change, diff_versions
from serving.release.package import CHANGES_MD, PACKAGE_DIR
from tests.serving.marts_data import add_inspection

LEEDS = "leeds-2024-12"


def execute(db: Path, *statements: str) -> None:
    with duckdb.connect(str(db)) as con:
        for sql in statements:
            con.execute(sql)


def test_added_removed_and_changed_rows(warehouse: Path, serving: Path) -> None:
    # A region_summary row of unknown region: its null key must still match across versions.
    execute(warehouse, "UPDATE marts.region_summary SET region = NULL WHERE region = 'South West'")
    first = publish(warehouse, serving, MART_TABLES, [])
    assert "The first version" in (first.path / PACKAGE_DIR / CHANGES_MD).read_text()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sql = "SELECT max(rec_number) FROM marts.recommendations WHERE inspection_id = 'dorset-2023-08'"
        last_rec = con.execute(sql).fetchone()[0]
    add_inspection(warehouse)  # Leeds: an inspection, its PDU and one recommendation
    execute(
        warehouse,
        "UPDATE marts.region_summary SET pdus_inspected = 7 WHERE region IS NULL",
        f"DELETE FROM marts.recommendations WHERE inspection_id = 'dorset-2023-08' AND rec_number = {last_rec}",
    )
    second = publish(warehouse, serving, MART_TABLES, [])

    dorset_rec = f"inspection_id=dorset-2023-08, rec_number={last_rec}"
    assert diff_versions(first, second) == [
        Change("inspection added", LEEDS, "inspections", f"inspection_id={LEEDS}"),
        # Leeds's recommendation is covered by "inspection added"; the PDU row has no inspection_id.
        Change("row removed", "dorset-2023-08", "recommendations", dorset_rec),
        Change("row added", None, "pdus", "pdu_name=Leeds"),
        Change("value changed", None, "region_summary", "region=null", "pdus_inspected", "1", "7"),
    ]
    assert diff_versions(second, first) == [
        Change("inspection removed", LEEDS, "inspections", f"inspection_id={LEEDS}"),
        Change("row added", "dorset-2023-08", "recommendations", dorset_rec),
        Change("row removed", None, "pdus", "pdu_name=Leeds"),
        Change("value changed", None, "region_summary", "region=null", "pdus_inspected", "7", "1"),
    ]
    assert diff_versions(second, second) == []
    changes = (second.path / PACKAGE_DIR / CHANGES_MD).read_text()
    assert f"Compared with version {first.id}." in changes
    assert "- inspection added: 1\n- row added: 1\n- row removed: 1\n- value changed: 1\n" in changes
    assert "| value changed |  | region_summary | region=null | pdus_inspected | 1 | 7 |" in changes


def test_a_dangling_current_version_does_not_stop_the_publish(warehouse: Path, serving: Path) -> None:
    first = publish(warehouse, serving, MART_TABLES, [])
    shutil.rmtree(first.path)  # `current` now points at nothing
    second = publish(warehouse, serving, MART_TABLES, [])
    changes = (second.path / PACKAGE_DIR / CHANGES_MD).read_text()
    assert "The version current before this one could not be read" in changes and "first version" not in changes
