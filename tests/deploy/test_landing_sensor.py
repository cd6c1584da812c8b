"""The landing-folder sensor's decisions, evaluated directly (the deployment tests run it under the daemon)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import DefaultScheduleStatus, DefaultSensorStatus, RunRequest, SkipReason, build_sensor_context

from orchestration import sensors
from orchestration.sensors import landing_folder_sensor
from tests.conftest import ROOT, SAMPLE_FILES


@pytest.fixture
def landing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROBATION_REPORTS_DIR", str(tmp_path))
    monkeypatch.setattr(sensors, "SETTLE_SECONDS", 0)
    (tmp_path / "dorset.txt").write_bytes(SAMPLE_FILES["dorset"].read_bytes())
    return tmp_path


def tick(cursor: str | None) -> tuple[RunRequest | SkipReason, str | None]:
    context = build_sensor_context(cursor=cursor)
    result = landing_folder_sensor(context)
    return result, context.cursor


def test_first_tick_notes_the_folder_then_each_change_asks_for_one_refresh(landing: Path) -> None:
    first, cursor = tick(None)
    assert isinstance(first, SkipReason) and "1 files" in first.skip_message

    same, same_cursor = tick(cursor)
    assert isinstance(same, SkipReason) and same_cursor == cursor

    new_report = landing / "doncaster.txt"
    new_report.write_bytes(SAMPLE_FILES["doncaster"].read_bytes())
    added, after_add = tick(cursor)
    assert isinstance(added, RunRequest) and after_add != cursor
    retried, _ = tick(cursor)  # the same tick evaluated again asks for the same run: Dagster drops the duplicate
    assert isinstance(retried, RunRequest) and retried.run_key == added.run_key

    stamp = new_report.stat()
    new_report.unlink()  # back to the first state: still a change from the last tick, with a new run key
    removed, after_remove = tick(after_add)
    assert isinstance(removed, RunRequest) and removed.run_key != added.run_key
    # ...and put back exactly as it was (same bytes and time): a refresh again, not a key Dagster already used
    new_report.write_bytes(SAMPLE_FILES["doncaster"].read_bytes())
    os.utime(new_report, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    back, _ = tick(after_remove)
    assert isinstance(back, RunRequest) and back.run_key not in {added.run_key, removed.run_key}


def test_a_rewritten_file_of_the_same_name_is_a_change_and_dot_files_are_not(landing: Path) -> None:
    _, cursor = tick(None)
    (landing / ".manifest.json").write_text("{}")  # the fetcher's bookkeeping, not a report
    hidden, _ = tick(cursor)
    assert isinstance(hidden, SkipReason)
    report = landing / "dorset.txt"
    report.write_bytes(report.read_bytes() + b"\n")
    changed, _ = tick(cursor)
    assert isinstance(changed, RunRequest)


def test_a_file_still_being_written_waits_for_the_next_tick(landing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = time.time() - 120
    os.utime(landing / "dorset.txt", (old, old))
    _, cursor = tick(None)
    monkeypatch.setattr(sensors, "SETTLE_SECONDS", 60)
    (landing / "partial.pdf").write_bytes(b"%PDF-1.4 half")
    waiting, still = tick(cursor)
    assert isinstance(waiting, SkipReason) and "partial.pdf" in waiting.skip_message and still == cursor
    os.utime(landing / "partial.pdf", (old, old))  # done: last written two minutes ago
    assert isinstance(tick(cursor)[0], RunRequest)


STATUS = (
    "from orchestration.schedules import weekly_refresh_schedule as s; from orchestration.sensors import "
    "landing_folder_sensor as l, new_reports_sensor as w; print(s.default_status.value, l.default_status.value, "
    "w.default_status.value, s.cron_schedule)"
)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, f"{DefaultScheduleStatus.STOPPED.value} {DefaultSensorStatus.STOPPED.value} STOPPED 0 6 * * 1"),
        (
            {"PROBATION_AUTOMATION": "on", "PROBATION_REFRESH_CRON": "30 5 * * *"},
            f"{DefaultScheduleStatus.RUNNING.value} {DefaultSensorStatus.RUNNING.value} STOPPED 30 5 * * *",
        ),
    ],
)
def test_automation_is_off_unless_the_deployment_turns_it_on(env: dict[str, str], expected: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in {"PROBATION_AUTOMATION", "PROBATION_REFRESH_CRON"}}
    done = subprocess.run(
        [sys.executable, "-c", STATUS], cwd=ROOT, env=clean | env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == expected, done.stderr[-2000:]
