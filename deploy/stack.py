"""`make deploy` / `make deploy-stop`: the Dagster deployment's three processes, in the background.

    python -m deploy.stack start   # PostgreSQL (local, unless DAGSTER_POSTGRES_URL names one), code server,
                                   # webserver, daemon; returns once the webserver serves the loaded code location
    python -m deploy.stack stop    # stops all of them (and their children), then the local PostgreSQL
    python -m deploy.stack fail-runs-left-in-progress   # what start does before starting (for systemd units)

Each process runs in a session of its own, so that stopping its process group also stops what it started
(the code server's gRPC process and the run workers under it). Pids go to $DAGSTER_HOME/pids, logs to
$DAGSTER_HOME/service-logs. docs/deploy.md says what to run instead under systemd.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cli.dev import group_members, stop_group
from config.settings import PROJECT_ROOT, environment
from deploy.local_postgres import LocalPostgres, PostgresError

DEPLOY_DIR = PROJECT_ROOT / "deploy"
WORKSPACE = DEPLOY_DIR / "workspace.yaml"
LOCATION = "orchestration.definitions"
STARTUP_SECONDS = 300  # loading the code location (dbt manifest, GX suites) takes tens of seconds on a busy machine
STOP_GRACE_SECONDS = 15
# Stopped in this order: no new run is launched while the code server (and any run under it) goes down.
SERVICES = ("daemon", "webserver", "code-server")

LOCATION_QUERY = (
    "{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus "
    "locationOrLoadError { __typename ... on PythonError { message } } } } } }"
)

RELOAD_MUTATION = f'mutation {{ reloadRepositoryLocation(repositoryLocationName: "{LOCATION}") {{ __typename }} }}'


@dataclass
class Settings:
    home: Path
    port: int
    host: str
    code_port: int
    automation: bool

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            home=Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster_deploy").resolve(),
            port=int(os.environ.get("DEPLOY_PORT") or 3000),
            host=os.environ.get("DEPLOY_HOST") or "127.0.0.1",
            code_port=int(os.environ.get("DEPLOY_CODE_PORT") or 4266),
            automation=(os.environ.get("DEPLOY_AUTOMATION") or "on").lower() not in {"0", "off", "false", "no"},
        )

    @property
    def pid_dir(self) -> Path:
        return self.home / "pids"

    @property
    def log_dir(self) -> Path:
        # Not $DAGSTER_HOME/logs: Dagster's telemetry uploader owns that folder and moves it away.
        return self.home / "service-logs"

    def pid_file(self, service: str) -> Path:
        return self.pid_dir / f"{service}.pid"

    def log_file(self, service: str) -> Path:
        return self.log_dir / f"{service}.log"

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _bin(name: str) -> str:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else name


def commands(settings: Settings) -> dict[str, list[str]]:
    return {
        "code-server": [
            _bin("dagster"), "code-server", "start", "-m", LOCATION, "-d", str(PROJECT_ROOT),
            "-h", "127.0.0.1", "-p", str(settings.code_port), "--location-name", LOCATION,
        ],
        "webserver": [_bin("dagster-webserver"), "-w", str(WORKSPACE), "-h", settings.host, "-p", str(settings.port)],
        "daemon": [_bin("dagster-daemon"), "run", "-w", str(WORKSPACE)],
    }  # fmt: skip


def service_pid(settings: Settings, service: str) -> int | None:
    """The recorded pid when that process still runs a Dagster command (a reused pid is not ours)."""
    try:
        pid = int(settings.pid_file(service).read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"dagster" in cmdline else None


def _install_instance_config(home: Path) -> None:
    """deploy/dagster.yaml into the home, replaced whole (never half-written): upgrades take effect on restart."""
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=home, prefix=".dagster.yaml.", delete=False) as tmp:
        tmp.write((DEPLOY_DIR / "dagster.yaml").read_bytes())
    os.replace(tmp.name, home / "dagster.yaml")


def _environment(settings: Settings, postgres_url: str) -> dict[str, str]:
    return os.environ | {
        "DAGSTER_HOME": str(settings.home),
        "DAGSTER_POSTGRES_URL": postgres_url,
        "DAGSTER_CODE_SERVER_PORT": str(settings.code_port),
        "PROBATION_AUTOMATION": "on" if settings.automation else "off",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def fail_runs_left_in_progress(env: dict[str, str]) -> list[str]:
    """Runs still marked in progress while none of the deployment's processes runs lost their worker with them
    (a stop during a run, a crash, a reboot): marked failed, else they would hold the queue's only slot until run
    monitoring's max runtime. Assumes this deployment is the only one using the database."""
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

    in_progress = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]
    with environment(env), DagsterInstance.get() as instance:
        records = instance.get_run_records(filters=RunsFilter(statuses=in_progress))
        for record in records:
            instance.report_run_failed(record.dagster_run, "the deployment stopped while this run was in progress")
    return [record.dagster_run.run_id for record in records]


def _spawn(settings: Settings, service: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    log = settings.log_file(service).open("ab")
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log.close()
    settings.pid_file(service).write_text(f"{process.pid}\n")
    return process


def _graphql(settings: Settings, query: str, timeout: float = 5) -> dict:
    request = urllib.request.Request(
        f"{settings.url}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())["data"]


def _location_state(settings: Settings) -> tuple[str, str | None]:
    """("LOADED"/"LOADING"/"ERROR"/"DOWN", error message) of the code location, as the webserver sees it."""
    try:
        data = _graphql(settings, LOCATION_QUERY)
    except (OSError, ValueError, KeyError):
        return "DOWN", None
    entries = [e for e in data["workspaceOrError"].get("locationEntries", []) if e["name"] == LOCATION]
    if not entries or entries[0]["loadStatus"] != "LOADED":
        return "LOADING", None
    loaded = entries[0]["locationOrLoadError"] or {}
    if loaded.get("__typename") == "PythonError":
        return "ERROR", loaded.get("message")
    return "LOADED", None


def _tail(path: Path, chars: int = 3000) -> str:
    with contextlib.suppress(OSError):
        return path.read_text(errors="replace")[-chars:]
    return ""


def _check_alive(settings: Settings, started: dict[str, subprocess.Popen]) -> None:
    for service, process in started.items():
        if process.poll() is not None:
            raise RuntimeError(f"{service} exited ({process.returncode}):\n{_tail(settings.log_file(service))}")


def _wait_for_port(settings: Settings, started: dict[str, subprocess.Popen], deadline: float) -> None:
    while time.monotonic() < deadline:
        _check_alive(settings, started)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", settings.code_port), timeout=1):
            return
        time.sleep(0.5)
    raise RuntimeError(f"the code server did not listen on port {settings.code_port} within {STARTUP_SECONDS}s")


def _wait_until_served(settings: Settings, started: dict[str, subprocess.Popen], deadline: float) -> None:
    error = None
    while time.monotonic() < deadline:
        _check_alive(settings, started)
        state, error = _location_state(settings)
        if state == "LOADED":
            return
        if state == "ERROR":
            # The code server may still be importing the definitions: ask the webserver to look again.
            with contextlib.suppress(OSError, ValueError, KeyError):
                _graphql(settings, RELOAD_MUTATION)
        time.sleep(1)
    raise RuntimeError(f"the webserver did not serve the code location within {STARTUP_SECONDS}s: {error}")


def start(settings: Settings) -> int:
    if settings.home == (PROJECT_ROOT / ".dagster_home").resolve():
        print(f"{settings.home} is make dev's Dagster home (SQLite); give the deployment its own DAGSTER_HOME")
        return 1
    running = [s for s in SERVICES if service_pid(settings, s)]
    if running:
        print(f"already running ({', '.join(running)}) with DAGSTER_HOME={settings.home}; `make deploy-stop` first")
        return 1
    for folder in (settings.home, settings.pid_dir, settings.log_dir):
        folder.mkdir(parents=True, exist_ok=True)
    _install_instance_config(settings.home)
    url = os.environ.get("DAGSTER_POSTGRES_URL")
    if not url:
        local = LocalPostgres(settings.home)
        url = local.start(int(os.environ["DEPLOY_PG_PORT"]) if os.environ.get("DEPLOY_PG_PORT") else None)
        print(f"PostgreSQL: local server under {local.root} (URL in {local.url_file})")
    env = _environment(settings, url)
    # Creates the storage's tables on a new database and upgrades them after a Dagster upgrade, before any
    # process opens them (three processes creating one schema at once would race).
    migrate = subprocess.run([_bin("dagster"), "instance", "migrate"], cwd=PROJECT_ROOT, env=env, capture_output=True)
    if migrate.returncode != 0:
        print(f"dagster instance migrate failed:\n{(migrate.stdout + migrate.stderr).decode()[-3000:]}")
        stop(settings)  # the local server, if this started it
        return 1
    if orphans := fail_runs_left_in_progress(env):
        print(f"marked failed, their worker gone with the last stop: {', '.join(orphans)}")
    every = commands(settings)
    deadline = time.monotonic() + STARTUP_SECONDS
    started = {"code-server": _spawn(settings, "code-server", every["code-server"], env)}
    try:
        _wait_for_port(settings, started, deadline)
        started["webserver"] = _spawn(settings, "webserver", every["webserver"], env)
        _wait_until_served(settings, started, deadline)
        # The daemon last: its first schedule and sensor ticks find the code location loaded.
        started["daemon"] = _spawn(settings, "daemon", every["daemon"], env)
        time.sleep(1)
        if started["daemon"].poll() is not None:
            raise RuntimeError(f"daemon exited:\n{_tail(settings.log_file('daemon'))}")
    except (RuntimeError, KeyboardInterrupt) as exc:
        print(f"deploy failed: {exc}", file=sys.stderr)
        stop(settings)
        return 1
    automation = "on" if settings.automation else "off (DEPLOY_AUTOMATION=off)"
    print(
        f"Dagster deployment up: {settings.url}\n  DAGSTER_HOME={settings.home}\n  logs: {settings.log_dir}\n"
        f"  schedule and landing-folder sensor: {automation}\n  stop: make deploy-stop"
    )
    return 0


def stop(settings: Settings) -> int:
    for service in SERVICES:
        pid = service_pid(settings, service)
        if pid is not None:
            # SIGTERM lets each process end its children; what is left of the group after the grace is killed.
            stop_group(pid, grace=STOP_GRACE_SECONDS)
            deadline = time.monotonic() + 5  # SIGKILLed processes take a moment to go
            while (left := group_members(pid)) and time.monotonic() < deadline:
                time.sleep(0.2)
            if left:
                print(f"{service}: still running after SIGKILL: {left}", file=sys.stderr)
                return 1
            print(f"stopped {service} (pid {pid})")
        settings.pid_file(service).unlink(missing_ok=True)
    local = LocalPostgres(settings.home)
    if (local.data_dir / "PG_VERSION").exists():
        try:
            if local.running():
                local.stop()
                print("stopped the local PostgreSQL server")
        except PostgresError as exc:
            print(f"local PostgreSQL: {exc}", file=sys.stderr)
            return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "fail-runs-left-in-progress"])
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.action == "fail-runs-left-in-progress":  # systemd: before the code server starts (docs/deploy.md)
        for run_id in fail_runs_left_in_progress(dict(os.environ)):
            print(f"marked failed: {run_id}")
        return 0
    try:
        return start(settings) if args.action == "start" else stop(settings)
    except PostgresError as exc:
        print(f"PostgreSQL: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
