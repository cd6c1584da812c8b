"""The loader's file discovery and limits (issue 12): links out of the landing folder are never read,
over-size and over-budget files are quarantined with that reason, the good reports still load."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.extract.limits import MAX_FILE_MB_ENV, TIME_BUDGET_ENV
from ingestion.load.loader import landing_files, sync_landing_folder
from tests.conftest import SAMPLE_FILES


def _quarantine(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT file_path, reason FROM raw.quarantine").fetchall())


def _statuses(db: Path) -> dict[str, str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return dict(con.execute("SELECT file_path, status FROM raw.report_files").fetchall())


def test_links_out_of_the_landing_folder_are_skipped_with_a_reason(tmp_path: Path, landing: Path) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("An inspection of probation services in: Secret PDU\n" * 10)
    (landing / "x.txt").symlink_to(secret)
    (landing / "passwd.txt").symlink_to("/etc/passwd")
    (landing / "linked-folder").symlink_to(secret.parent, target_is_directory=True)
    inside = landing / "sub"
    inside.mkdir()
    (inside / "alias.txt").symlink_to(landing / "dorset-2023-08.txt")  # inside the folder: read as usual
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    assert dict(summary.skipped) == {
        "passwd.txt": "symbolic link to /etc/passwd, outside the landing folder: not read",
        "x.txt": f"symbolic link to {secret}, outside the landing folder: not read",
    }
    assert (summary.scanned, summary.parsed, summary.quarantined) == (4, 3, [])
    assert set(_statuses(db)) == {*(p.name for p in SAMPLE_FILES.values()), "sub/alias.txt"}
    assert "x.txt" not in {p.name for p in landing_files(landing)}


def test_over_size_file_is_quarantined_unread_and_the_rest_loads(
    tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_FILE_MB_ENV, "1")
    (landing / "huge.txt").write_bytes(b"The inspection found that the unit should improve its work.\n" * 30_000)
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    assert summary.parsed == 3
    assert _quarantine(db) == {"huge.txt": "file is 1.8 MB, over the 1 MB limit per file (PROBATION_MAX_FILE_MB)"}
    assert _statuses(db)["huge.txt"] == "quarantined"
    # Unchanged and limits unchanged: not read again.
    assert sync_landing_folder(db, landing).unchanged == 4
    # A raised limit reads it again: now it fails for what it is, not for its size.
    monkeypatch.setenv(MAX_FILE_MB_ENV, "5")
    again = sync_landing_folder(db, landing)
    assert [file for file, _ in again.quarantined] == ["huge.txt"]
    assert "no report title" in _quarantine(db)["huge.txt"]


def test_over_budget_file_is_quarantined_with_the_budget_reason(
    tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = "<div>" * 10_000 + "<p>The inspection found that the unit should improve its work.</p>" + "</div>" * 10_000
    (landing / "deep.html").write_text(f"<html><body>{deep * 5}</body></html>")
    monkeypatch.setenv(TIME_BUDGET_ENV, "0.000001")
    db = tmp_path / "wh.duckdb"
    summary = sync_landing_folder(db, landing)
    reasons = dict(summary.quarantined)
    assert (
        reasons["deep.html"]
        == "HTML extraction exceeded its 1e-06s time budget per file (PROBATION_FILE_TIME_BUDGET_S)"
    )
    assert _quarantine(db)["deep.html"] == reasons["deep.html"]


def test_a_file_swapped_for_a_link_after_the_scan_is_not_read(tmp_path: Path, landing: Path) -> None:
    from ingestion.extract.limits import file_limits
    from ingestion.load.loader import _read_landing_file

    path = landing / "dorset-2023-08.txt"
    assert _read_landing_file(path, landing.resolve(), file_limits())[0] == path.read_bytes()
    path.unlink()
    path.symlink_to("/etc/passwd")  # between the scan and the read
    with pytest.raises(OSError, match="outside the landing folder"):
        _read_landing_file(path, landing.resolve(), file_limits())


def test_a_broken_link_is_no_report_file_and_not_fatal(tmp_path: Path, landing: Path) -> None:
    (landing / "dangling.txt").symlink_to(landing / "gone.txt")
    summary = sync_landing_folder(tmp_path / "wh.duckdb", landing)
    assert summary.parsed == 3 and summary.skipped == []  # a broken link is no report file
