"""A whole run with hostile files beside the good reports (issue 12): a 50 MB text file, a page nested
10,000 elements deep, a copy of a report with a byte that is not UTF-8 and a link out of the landing
folder. The bad files are quarantined or skipped with their reasons, the good reports are published
with their text intact, and the best copy of the damaged report's inspection is kept."""

from __future__ import annotations

import time

import duckdb
import pytest

from ingestion.extract.limits import DEFAULT_TIME_BUDGET_S
from tests.conftest import SAMPLE_FILES
from tests.pipeline.conftest import Project

pytestmark = pytest.mark.slow

LINE = b"The inspection found that the unit should improve its work.\n"


def _write_hostile_files(project: Project) -> None:
    landing = project.landing
    with (landing / "big.txt").open("wb") as out:  # 50 MB of one paragraph, written in the test's tmp dir
        block = LINE * 20_000
        while out.tell() < 50_000_000:
            out.write(block)
        out.truncate(50_000_000)
    paragraph = "<p>" + LINE.decode() * 5 + "</p>"
    (landing / "deep.html").write_text(f"<html><body>{'<div>' * 10_000}{paragraph}{'</div>' * 10_000}</body></html>")
    # A later copy of Dorset with one Windows apostrophe byte pasted in: readable, but with a warning.
    good = SAMPLE_FILES["dorset"].read_bytes()
    at = good.index(b"Strengths:")
    (landing / "dorset-copy.txt").write_bytes(good[:at] + b"Staff\x92s view. " + good[at:])
    (landing / "passwd.txt").symlink_to("/etc/passwd")


def test_hostile_files_are_quarantined_and_the_good_reports_published(project: Project) -> None:
    _write_hostile_files(project)
    started = time.monotonic()
    result = project.run()
    elapsed = time.monotonic() - started
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    reasons = dict(project.query("SELECT file_path, reason FROM raw.quarantine"))
    assert reasons["big.txt"] == "file is 50.0 MB, over the 32 MB limit per file (PROBATION_MAX_FILE_MB)"
    assert "RecursionError" not in reasons["deep.html"] and "parser error" not in reasons["deep.html"]
    assert set(reasons) == {"big.txt", "deep.html"}  # the link out was never read
    assert "passwd.txt" not in {path for (path,) in project.query("SELECT file_path FROM raw.report_files")}
    # Both bad files were dealt with well inside one file's budget, the whole run included.
    assert elapsed < DEFAULT_TIME_BUDGET_S * 2

    keys = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "serving/marts" in keys
    with duckdb.connect(str(project.warehouse.parent / "marts.duckdb"), read_only=True) as served:
        assert served.execute("SELECT count(*) FROM inspections").fetchone() == (3,)
        assert served.execute("SELECT file_path FROM inspections WHERE pdu_name = 'Dorset'").fetchone() == (
            SAMPLE_FILES["dorset"].name,
        )
        findings = " ".join(text for (text,) in served.execute("SELECT text FROM findings").fetchall())
    assert "â€" not in findings and "\ufffd" not in findings

    choice = project.query(
        "SELECT file_path, choice FROM intermediate.int_inspection_candidates WHERE inspection_id = 'dorset-2023-08'"
        " ORDER BY candidate_rank"
    )
    assert choice[0][0] == SAMPLE_FILES["dorset"].name and choice[0][1].startswith("chosen: fewer parse warnings")
    assert choice[1][0] == "dorset-copy.txt" and choice[1][1].startswith("not chosen: dorset-2023-08.txt is preferred")
    warnings = project.query(
        "SELECT w.message FROM raw.parse_warnings AS w JOIN raw.report_files AS f USING (content_sha256)"
        " WHERE f.file_path = 'dorset-copy.txt' AND w.field = 'encoding'"
    )
    assert warnings == [("1 byte(s) are not valid UTF-8: read as Windows-1252 characters, the rest as UTF-8",)]
