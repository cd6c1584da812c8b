"""One real deployment shared by the module's tests: `make deploy` on a local PostgreSQL it creates, a private
landing folder, warehouse and Dagster home, and a fake website for the schedule's fetch (no internet)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from config.ports import free_port
from serving.publish import PublishedVersion, current_version
from tests.conftest import ROOT, SAMPLE_FILES
from tests.fetch.site import Site
from tests.serving.pg_server import ServerUnavailable, find_bin_dir

LOCATION = {"repositoryLocationName": "orchestration.definitions", "repositoryName": "__repository__"}
RUN_FIELDS = "runId status startTime endTime tags { key value }"
MAKE = ["make", "--no-print-directory", "-o", ".venv/.installed"]  # never reinstall the shared environment


@dataclass
class Deployment:
    root: Path
    landing: Path
    warehouse: Path
    home: Path
    port: int
    env: dict[str, str]
    started: float = 0.0
    startup_seconds: float = 0.0
    runs_seen: set[str] = field(default_factory=set)

    def make(self, target: str, timeout: float = 400) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*MAKE, target, f"DAGSTER_HOME={self.home}"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        response = requests.post(
            f"http://127.0.0.1:{self.port}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
        )
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    def runs(self) -> list[dict]:
        data = self.graphql(f"{{ runsOrError {{ ... on Runs {{ results {{ {RUN_FIELDS} }} }} }} }}")
        runs = data["runsOrError"]["results"]
        self.runs_seen |= {run["runId"] for run in runs}
        return runs

    def run(self, run_id: str) -> dict:
        data = self.graphql(
            f'{{ runOrError(runId: "{run_id}") {{ __typename ... on Run {{ {RUN_FIELDS} '
            "stepStats { stepKey status } } } }"
        )
        return data["runOrError"]

    def launch(self, job: str = "refresh_all") -> str:
        """A run through the webserver's GraphQL, as the UI's launchpad launches one: it joins the queue."""
        data = self.graphql(
            "mutation($p: ExecutionParams!) { launchRun(executionParams: $p) { __typename "
            "... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }",
            {"p": {"selector": {**LOCATION, "jobName": job}, "runConfigData": {}}},
        )
        result = data["launchRun"]
        assert result["__typename"] == "LaunchRunSuccess", result
        self.runs_seen.add(result["run"]["runId"])
        return result["run"]["runId"]

    def engine_messages(self, run_id: str) -> list[str]:
        data = self.graphql(
            f'{{ logsForRun(runId: "{run_id}") {{ ... on EventConnection {{ events {{ __typename '
            "... on MessageEvent { message } } } } }"
        )
        return [e["message"] for e in data["logsForRun"]["events"] if e["__typename"] == "EngineEvent"]

    def stop_schedule(self, name: str) -> str:
        data = self.graphql(
            "query($s: ScheduleSelector!) { scheduleOrError(scheduleSelector: $s) { ... on Schedule "
            "{ scheduleState { id status } } } }",
            {"s": {**LOCATION, "scheduleName": name}},
        )
        state = data["scheduleOrError"]["scheduleState"]
        if state["status"] == "STOPPED":
            return "STOPPED"
        state_id = state["id"]
        stopped = self.graphql(
            "mutation($id: String) { stopRunningSchedule(id: $id) { __typename "
            "... on ScheduleStateResult { scheduleState { status } } } }",
            {"id": state_id},
        )
        return stopped["stopRunningSchedule"]["scheduleState"]["status"]

    def stop_sensor(self, name: str) -> str:
        data = self.graphql(
            "query($s: SensorSelector!) { sensorOrError(sensorSelector: $s) { ... on Sensor "
            "{ sensorState { id status } } } }",
            {"s": {**LOCATION, "sensorName": name}},
        )
        state = data["sensorOrError"]["sensorState"]
        if state["status"] == "STOPPED":
            return "STOPPED"
        state_id = state["id"]
        stopped = self.graphql(
            "mutation($id: String) { stopSensor(id: $id) { __typename "
            "... on StopSensorMutationResult { instigationState { status } } } }",
            {"id": state_id},
        )
        return stopped["stopSensor"]["instigationState"]["status"]

    def pause_automation(self) -> None:
        """For tests that launch runs themselves: neither the schedule nor the sensor adds runs meanwhile."""
        assert self.stop_schedule("weekly_refresh_schedule") == "STOPPED"
        assert self.stop_sensor("landing_folder_sensor") == "STOPPED"

    def serving(self) -> PublishedVersion | None:
        return current_version(self.warehouse.parent)

    def state(self) -> str:
        """For failure messages: the runs and the end of the daemon's log."""
        runs = [(r["runId"][:8], r["status"], _tags(r).get("dagster/sensor_name")) for r in self.runs()]
        log = (self.home / "service-logs" / "daemon.log").read_text(errors="replace")
        lines = [line for line in log.splitlines() if "won't launch more" not in line]
        return f"runs: {runs}\ndaemon log:\n" + "\n".join(lines[-25:])


def wait_for(
    what: str, check: Callable[[], object], timeout: float, every: float = 1.0, state: Callable[[], object] = str
) -> object:
    """Poll `check` until it returns something truthy; fail naming `what` and `state()` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(every)
    pytest.fail(f"not within {timeout:.0f}s: {what}\n{state()}")


def _tags(run: dict) -> dict[str, str]:
    return {tag["key"]: tag["value"] for tag in run["tags"]}


def _start_prerequisites() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    try:
        find_bin_dir()
    except ServerUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    _start_prerequisites()
    # Not pytest's tmp folder: as root the cluster runs as `postgres`, who must be able to enter every folder above.
    root = Path(tempfile.mkdtemp(prefix="probation-deploy-"))
    root.chmod(0o755)
    landing = root / "reports"
    landing.mkdir()
    for name in ("dorset", "portsmouth"):
        shutil.copy(SAMPLE_FILES[name], landing / SAMPLE_FILES[name].name)
    with Site() as site:  # an empty listing: the schedule's fetch finds nothing new and the run goes on
        env = {k: v for k, v in os.environ.items() if k not in {"DAGSTER_POSTGRES_URL", "DEPLOY_AUTOMATION"}}
        deployment = Deployment(
            root=root,
            landing=landing,
            warehouse=root / "warehouse" / "probation.duckdb",
            home=root / "dagster_home",
            port=free_port(),
            env=env,
        )
        env |= {
            "PROBATION_REPORTS_DIR": str(landing),
            "PROBATION_WAREHOUSE": str(deployment.warehouse),
            "PROBATION_FETCH": "0",
            "PROBATION_LISTING_URL": site.listing_url,
            "PROBATION_REFRESH_CRON": "* * * * *",  # due within a minute; the schedule test stops it
            "DEPLOY_PORT": str(deployment.port),
            "DEPLOY_CODE_PORT": str(free_port()),
        }
        started = time.monotonic()
        done = deployment.make("deploy")
        deployment.startup_seconds = time.monotonic() - started
        deployment.started = time.time()
        try:
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
            yield deployment
        finally:
            deployment.make("deploy-stop", timeout=120)  # a no-op when the last test stopped it
            _kill_sessions_of(deployment.home)
            shutil.rmtree(root, ignore_errors=True)


def _kill_sessions_of(home: Path) -> None:
    """Whatever a failed test left behind: every process in the sessions make deploy started."""
    for pid_file in (home / "pids").glob("*.pid"):
        with contextlib.suppress(ValueError, OSError):
            os.killpg(int(pid_file.read_text()), signal.SIGKILL)
