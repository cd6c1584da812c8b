"""Issue 21: the deployment runs unattended. A real `make deploy` (PostgreSQL, code server, webserver,
daemon), shared by these tests in file order: the schedule's run, then the sensor's, then runs launched
through GraphQL, then `make deploy-stop`. Every wait is bounded and names what did not happen."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import threading
import time

import psutil
import psycopg
import pytest

from tests.conftest import SAMPLE_FILES
from tests.deploy.conftest import Deployment, _tags, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

SCHEDULE = "weekly_refresh_schedule"
SENSOR = "landing_folder_sensor"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}
# Bounds, not measurements (docs/deploy.md has those): wide enough for a machine shared by several test sessions.
SENSOR_REQUEST_SECONDS = 60
SERVED_SECONDS = 300


def _finished(deployment: Deployment, run_id: str, timeout: float) -> dict:
    return wait_for(
        f"run {run_id} finished",
        lambda: (run := deployment.run(run_id))["status"] in FINISHED and run,
        timeout,
        state=deployment.state,
    )


def test_the_schedule_fires_under_the_daemon_and_its_run_refreshes_and_publishes(deployment: Deployment) -> None:
    assert deployment.serving() is None  # nothing published before the schedule's run

    def schedule_run() -> dict | None:
        runs = [r for r in deployment.runs() if _tags(r).get("dagster/schedule_name") == SCHEDULE]
        return runs[-1] if runs else None  # newest first: the first tick's run is last

    run = wait_for(f"a run of {SCHEDULE}", schedule_run, 150, state=deployment.state)
    # Stopped the way docs/deploy.md tells operators to pause refreshes; no more runs every minute.
    assert deployment.stop_schedule(SCHEDULE) == "STOPPED"
    run = _finished(deployment, run["runId"], 300)
    assert run["status"] == "SUCCESS", run
    assert _tags(run)["probation/warehouse"] == str(deployment.warehouse)
    served = deployment.serving()
    assert served is not None and served.row_counts["inspections"] == 2, served


def test_a_report_copied_into_the_landing_folder_is_served_with_no_action(deployment: Deployment) -> None:
    before = deployment.serving()
    assert before is not None and before.row_counts["inspections"] == 2
    shutil.copy(SAMPLE_FILES["doncaster"], deployment.landing / SAMPLE_FILES["doncaster"].name)
    copied = time.monotonic()

    def sensor_runs() -> list[dict]:
        return [r for r in deployment.runs() if _tags(r).get("dagster/sensor_name") == SENSOR]

    # The sensor's part: it lists the folder every 5 s and waits 2 s for a copy to settle; creating the run
    # (Dagster plans all the job's steps) takes seconds more, tens on a loaded machine.
    wait_for("the sensor requested a refresh", sensor_runs, SENSOR_REQUEST_SECONDS, state=deployment.state)
    requested = time.monotonic() - copied
    wait_for(
        "the new report in the serving copy",
        lambda: (now := deployment.serving()) is not None and now.row_counts["inspections"] == 3,
        SERVED_SECONDS,
        state=deployment.state,
    )
    print(f"\nsensor: run requested {requested:.0f}s, report served {time.monotonic() - copied:.0f}s after the copy")
    [run] = sensor_runs()  # one change, one refresh
    assert _finished(deployment, run["runId"], 120)["status"] == "SUCCESS"  # its last steps follow the publish
    assert deployment.stop_sensor(SENSOR) == "STOPPED"  # the next tests change the folder themselves


def _launch_two_at_once(deployment: Deployment) -> list[str]:
    ids: list[str] = []
    threads = [threading.Thread(target=lambda: ids.append(deployment.launch())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 2
    return ids


def _never_overlap(runs: list[dict]) -> None:
    first, second = sorted(runs, key=lambda r: r["startTime"])
    assert first["endTime"] <= second["startTime"], (first, second)


def test_two_runs_launched_at_once_run_one_after_the_other(deployment: Deployment) -> None:
    deployment.pause_automation()
    ids = _launch_two_at_once(deployment)
    seen_waiting = set()

    def both_finished() -> bool:
        statuses = {run_id: deployment.run(run_id)["status"] for run_id in ids}
        if "STARTED" in statuses.values() and "QUEUED" in statuses.values():
            seen_waiting.add(next(run_id for run_id, status in statuses.items() if status == "QUEUED"))
        return all(status in FINISHED for status in statuses.values())

    wait_for("both launched runs finished", both_finished, 400, every=0.5)
    runs = [deployment.run(run_id) for run_id in ids]
    assert [r["status"] for r in runs] == ["SUCCESS", "SUCCESS"], runs
    assert seen_waiting, "never saw one run waiting in the queue while the other ran"
    _never_overlap(runs)


def _worker_pid(deployment: Deployment, run_id: str) -> int | None:
    for message in deployment.engine_messages(run_id):
        if found := re.fullmatch(r"Started process for run \(pid: (\d+)\)\.", message):
            return int(found.group(1))
    return None


def test_a_killed_run_worker_fails_its_run_and_the_next_queued_run_succeeds(deployment: Deployment) -> None:
    deployment.pause_automation()
    last_good = deployment.serving()
    dorset = deployment.landing / SAMPLE_FILES["dorset"].name
    dorset.write_bytes(dorset.read_bytes() + b"\n")  # new content: the runs below rebuild the marts with dbt
    first, second = _launch_two_at_once(deployment)
    first, second = wait_for(
        "one of the runs started",
        lambda: next(
            ((a, b) for a, b in ((first, second), (second, first)) if deployment.run(a)["status"] == "STARTED"),
            None,
        ),
        120,
        every=0.5,
    )
    in_dbt = wait_for(
        "the dbt step running",
        lambda: any(
            s["stepKey"] == "dbt_models" and s["status"] == "IN_PROGRESS" for s in deployment.run(first)["stepStats"]
        ),
        180,
        every=0.5,
    )
    assert in_dbt and deployment.run(second)["status"] == "QUEUED"
    pid = _worker_pid(deployment, first)
    assert pid is not None and psutil.pid_exists(pid)
    os.kill(pid, signal.SIGKILL)

    killed = _finished(deployment, first, 120)
    assert killed["status"] == "FAILURE", killed
    assert deployment.serving() == last_good  # nothing half-built reached the serving copy
    after = _finished(deployment, second, 400)
    assert after["status"] == "SUCCESS", after
    _never_overlap([killed, after])
    served = deployment.serving()
    # the next run published the changed report
    assert served is not None and (last_good is None or served.id != last_good.id)


def test_the_webserver_on_postgresql_lists_every_run(deployment: Deployment) -> None:
    listed = {run["runId"] for run in deployment.runs()}
    assert deployment.runs_seen and deployment.runs_seen <= listed  # every run the tests saw or launched
    url = (deployment.home / "postgres.url").read_text().strip()
    with psycopg.connect(url) as con:
        stored = {row[0] for row in con.execute("SELECT run_id FROM runs")}
    assert stored == listed  # the instance's runs live in PostgreSQL, and the webserver reads them there


def _started_processes(deployment: Deployment) -> list[psutil.Process]:
    """Every process of the sessions make deploy started (orphans included), and the PostgreSQL server's."""
    sessions = {int(p.read_text()) for p in (deployment.home / "pids").glob("*.pid")}
    assert len(sessions) == 3, sessions
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) in sessions or str(deployment.home) in " ".join(process.cmdline()):
                found += [process, *process.children(recursive=True)]  # the server's own workers, too
        except (psutil.Error, ProcessLookupError):
            continue
    return found


def test_make_deploy_stop_leaves_no_process_behind(deployment: Deployment) -> None:
    started = _started_processes(deployment)
    names = " ".join(" ".join(p.cmdline()) for p in started)
    assert "postgres" in names and "code-server" in names and "dagster-daemon" in names, names
    done = deployment.make("deploy-stop", timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    alive = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert alive == [], [" ".join(p.cmdline()) for p in alive]
    assert _still_listening(deployment.port) is False


def _still_listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0
