"""raw.report_file_versions (ingestion/load/file_history.py): every content a landing path has held, written by
the real loader at every sync, and filled once from the raw tables of a warehouse loaded before it existed."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from ingestion.load.file_history import files_on_last_good
from ingestion.load.loader import sync_landing_folder

REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"
DONCASTER = "doncaster-2024-10.txt"
MISSPELT = ("| P 2.4 | Reviewing | Inadequate |", "| P 2.4 | Reviewing | Inadequte |")


def _history(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT file_path, content_sha256, status, first_seen_at, held_since, last_seen_at "
            "FROM raw.report_file_versions ORDER BY file_path, first_seen_at"
        ).fetchall()


def _current_sha(warehouse: Path, path: str) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT content_sha256 FROM raw.report_files WHERE file_path = ?", [path]).fetchone()[0]


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    return Path(shutil.copytree(REPORTS, tmp_path / "reports"))


def _misspell(landing: Path) -> None:
    path = landing / DONCASTER
    path.write_text(path.read_text().replace(*MISSPELT))


def test_each_content_a_path_holds_is_recorded_and_a_return_starts_a_new_stretch(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "probation.duckdb"
    sync_landing_folder(warehouse, landing, workers=1)
    good = _current_sha(warehouse, DONCASTER)
    _misspell(landing)
    sync_landing_folder(warehouse, landing, workers=1)
    bad = _current_sha(warehouse, DONCASTER)
    sync_landing_folder(warehouse, landing, workers=1)  # unchanged: the same stretch goes on
    shutil.copyfile(REPORTS / DONCASTER, landing / DONCASTER)
    sync_landing_folder(warehouse, landing, workers=1)  # back to the first content

    rows = {(path, sha): rest for path, sha, *rest in _history(warehouse) if path == DONCASTER}
    assert set(rows) == {(DONCASTER, good), (DONCASTER, bad)}
    good_status, good_first, good_since, good_last = rows[(DONCASTER, good)]
    bad_status, bad_first, bad_since, bad_last = rows[(DONCASTER, bad)]
    assert (good_status, bad_status) == ("parsed", "quarantined")
    assert good_first < bad_first == bad_since < bad_last < good_since == good_last
    # The other two files were held all along: one stretch, from the first sync.
    others = [row for row in _history(warehouse) if row[0] != DONCASTER]
    assert len(others) == 2 and all(first == since < last for _, _, _, first, since, last in others)


def test_a_warehouse_loaded_before_the_history_gets_it_from_its_raw_tables(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "probation.duckdb"
    sync_landing_folder(warehouse, landing, workers=1)
    _misspell(landing)
    sync_landing_folder(warehouse, landing, workers=1)
    with duckdb.connect(str(warehouse)) as con:
        assert files_on_last_good(con) == [(DONCASTER, con.execute("SELECT reason FROM raw.quarantine").fetchone()[0])]
        con.execute("DROP TABLE raw.report_file_versions")  # as loaded by the loader before it existed

    sync_landing_folder(warehouse, landing, workers=1)  # nothing new: the schema setup fills the history
    rows = _history(warehouse)
    assert sorted((path, status) for path, _, status, *_ in rows) == [
        (DONCASTER, "parsed"),
        (DONCASTER, "quarantined"),
        ("dorset-2023-08.txt", "parsed"),
        ("portsmouth-and-the-isle-of-wight-2023-07.txt", "parsed"),
    ]
    with duckdb.connect(str(warehouse)) as con:
        assert [path for path, _ in files_on_last_good(con)] == [DONCASTER]
    # Once filled, it is never filled again: the next sync only records what it scans.
    sync_landing_folder(warehouse, landing, workers=1)
    assert len(_history(warehouse)) == 4
