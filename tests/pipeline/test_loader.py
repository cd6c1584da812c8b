"""Landing folder -> raw tables: idempotence, quarantine, changed and removed files (real DuckDB)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.load.loader import sync_landing_folder
from ingestion.load.raw_tables import PER_VERSION_TABLES
from tests.conftest import SAMPLE_FILES


def _counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in (*PER_VERSION_TABLES, "quarantine")
        }


def _query(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_first_sync_loads_every_report(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    assert (summary.scanned, summary.parsed, summary.quarantined) == (3, 3, [])
    counts = _counts(db)
    assert counts["reports"] == 3 and counts["standards"] == 9 + 9 + 7
    assert counts["key_questions"] == 13 + 1 + 13 + 1 + 12  # rated questions plus two Outcomes questions
    assert counts["recommendations"] == 13 + 8 + 6


def test_second_sync_parses_nothing_and_duplicates_nothing(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "wh.duckdb"
    sync_landing_folder(db, landing)
    before = (_counts(db), _query(db, "SELECT content_sha256, parsed_at FROM raw.reports ORDER BY 1"))
    summary = sync_landing_folder(db, landing)
    assert (summary.parsed, summary.unchanged) == (0, 3)
    assert (_counts(db), _query(db, "SELECT content_sha256, parsed_at FROM raw.reports ORDER BY 1")) == before


def test_broken_file_is_quarantined_and_the_rest_loads(tmp_path: Path, landing: Path) -> None:
    (landing / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    (landing / "empty.txt").write_text("")
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    assert summary.parsed == 3
    reasons = dict(_query(db, "SELECT file_path, reason FROM raw.quarantine"))
    assert set(reasons) == {"broken.pdf", "empty.txt"}
    assert reasons["empty.txt"] == "empty file"
    assert _query(db, "SELECT status FROM raw.report_files WHERE file_path = 'broken.pdf'") == [("quarantined",)]


def test_changed_file_replaces_its_current_version_and_keeps_history(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "wh.duckdb"
    sync_landing_folder(db, landing)
    dorset = landing / SAMPLE_FILES["dorset"].name
    dorset.write_text(dorset.read_text(encoding="utf-8").replace("\t57%", "\t58%"), encoding="utf-8")
    summary = sync_landing_folder(db, landing)
    assert (summary.parsed, summary.unchanged) == (1, 2)
    current = _query(
        db,
        "SELECT k.pct_yes FROM raw.key_questions k JOIN raw.report_files f USING (content_sha256) "
        "WHERE f.file_path = 'dorset-2023-08.txt' AND k.standard_code = '2.1'",
    )
    assert current == [(58,)]
    assert _counts(db)["reports"] == 4  # the earlier version stays in raw history


def test_removed_file_keeps_its_data(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "wh.duckdb"
    sync_landing_folder(db, landing)
    (landing / SAMPLE_FILES["doncaster"].name).unlink()
    summary = sync_landing_folder(db, landing)
    assert summary.missing == 1
    assert _counts(db)["reports"] == 3
    assert _query(db, "SELECT present FROM raw.report_files WHERE file_path = 'doncaster-2024-10.txt'") == [(False,)]


def test_hidden_files_and_history_are_ignored(tmp_path: Path, landing: Path) -> None:
    (landing / ".history").mkdir()
    shutil.copy(SAMPLE_FILES["dorset"], landing / ".history" / "old.txt")
    (landing / ".fetch-manifest.json").write_text("{}")
    summary = sync_landing_folder(tmp_path / "wh.duckdb", landing)
    assert summary.scanned == 3


def test_a_sync_that_dies_half_way_leaves_the_previous_state(
    tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingestion.load import raw_writes

    db = tmp_path / "wh.duckdb"
    sync_landing_folder(db, landing)
    before = (_counts(db), _query(db, "SELECT * FROM raw.report_files ORDER BY 1"))
    dorset = landing / SAMPLE_FILES["dorset"].name
    dorset.write_text(dorset.read_text(encoding="utf-8").replace("\t57%", "\t58%"), encoding="utf-8")
    monkeypatch.setattr(raw_writes, "FLUSH_EVERY", 1)  # write the new version's rows before the crash
    real_insert = raw_writes.insert_rows

    def insert_then_die(con, table, rows):  # noqa: ANN001, ANN202 - test double
        real_insert(con, table, rows)
        if table == "report_files":
            raise OSError("disk full")

    monkeypatch.setattr(raw_writes, "insert_rows", insert_then_die)
    with pytest.raises(OSError, match="disk full"):
        sync_landing_folder(db, landing)
    assert (_counts(db), _query(db, "SELECT * FROM raw.report_files ORDER BY 1")) == before


def test_a_report_breaking_a_domain_rule_is_quarantined_with_the_rule(tmp_path: Path, landing: Path) -> None:
    dorset = landing / SAMPLE_FILES["dorset"].name
    dorset.write_text(dorset.read_text(encoding="utf-8").replace("3/27", "5/27"), encoding="utf-8")
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    assert summary.parsed == 2
    [(file, reason)] = _query(db, "SELECT file_path, reason FROM raw.quarantine")
    assert file == dorset.name
    assert reason.startswith("breaks a domain rule: score: printed score 5 differs from the sum")


def test_an_incomplete_parse_is_quarantined_with_what_is_missing(tmp_path: Path, landing: Path) -> None:
    dorset = landing / SAMPLE_FILES["dorset"].name
    text = dorset.read_text(encoding="utf-8")
    dorset.write_text(text.replace("Does assessment focus sufficiently on keeping other people safe?\t33%", ""))
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    assert summary.parsed == 2
    assert _query(db, "SELECT file_path, reason FROM raw.quarantine") == [
        (dorset.name, "incomplete parse: standard 2.2: 2 of 3 key-question percentages")
    ]
    assert _query(db, "SELECT count(*) FROM raw.reports") == [(2,)]
