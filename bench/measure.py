"""Measuring one pipeline run: wall time, peak memory of the process tree, Dagster step timings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_EVERY_S = 0.25  # coarse on purpose: sampling a process tree costs CPU the run would otherwise get


@dataclass
class RunResult:
    label: str
    reports: int
    wall_s: float
    exit_code: int
    max_rss_mib: float  # largest single process of the tree (getrusage of the reaped child)
    peak_tree_rss_mib: float  # largest sum over the live tree, sampled every SAMPLE_EVERY_S
    steps_s: dict[str, float] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)  # cli.run's closing lines


@dataclass
class Workspace:
    """A fresh landing folder, warehouse and Dagster home, as a clean clone would have."""

    root: Path
    code: Path = ROOT  # the checkout whose pipeline runs (another commit's, to compare before and after)

    @property
    def landing(self) -> Path:
        return self.root / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "probation.duckdb"

    def create(self, files: list[Path]) -> Workspace:
        shutil.rmtree(self.root, ignore_errors=True)
        for folder in (self.landing, self.dagster_home, self.warehouse.parent):
            folder.mkdir(parents=True)
        shutil.copy(ROOT / "orchestration" / "dagster.yaml", self.dagster_home / "dagster.yaml")
        # What `make install` does on a fresh clone before the first `make run` (not timed), with this
        # workspace's settings: create the instance's storage, and parse the dbt project (dbt keeps its
        # partial-parse state per warehouse path), so that a timed run measures the refresh and not set-up.
        for module in ("orchestration.instance", "cli.dbt_manifest"):
            subprocess.run([sys.executable, "-m", module], cwd=self.code, env=self.env(), check=True)
        self.add(files)
        return self

    def add(self, files: list[Path]) -> None:
        for path in files:
            shutil.copyfile(path, self.landing / path.name)

    def env(self) -> dict[str, str]:
        return os.environ | {
            "DAGSTER_HOME": str(self.dagster_home),
            "PROBATION_WAREHOUSE": str(self.warehouse),
            "PROBATION_REPORTS_DIR": str(self.landing),
            "PROBATION_FETCH": "0",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants (dbt runs as a child of Dagster)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0, threading.Event()

    def run(self) -> None:
        import psutil  # only the benchmark needs it (not a project dependency yet): the tests import this module

        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self._done.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        continue  # exited between listing and reading
            except psutil.Error:
                return
            self.peak = max(self.peak, total)
            self._done.wait(SAMPLE_EVERY_S)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def run_pipeline(label: str, workspace: Workspace, reports: int, log: Path) -> RunResult:
    """`make run` without the install step: `python -m cli.run` in the workspace's environment."""
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.run"],
            cwd=workspace.code,
            env=workspace.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        sampler = TreeSampler(proc.pid)
        sampler.start()
        # wait4 gives this child's rusage, which covers the descendants it reaped (the dbt subprocess).
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    peak = sampler.stop()
    lines = log.read_text(errors="replace").splitlines()
    summary = [
        line
        for line in lines
        if line.startswith(("run:", "marts:", "quarantined", "checks", "serving copy", "nothing changed"))
    ]
    return RunResult(
        label=label,
        reports=reports,
        wall_s=wall,
        exit_code=proc.returncode,
        max_rss_mib=usage.ru_maxrss / 1024,  # Linux reports KiB
        peak_tree_rss_mib=peak / 2**20,
        steps_s=step_durations(workspace.dagster_home),
        summary=summary,
    )


def step_durations(dagster_home: Path) -> dict[str, float]:
    """Seconds per step of the latest run, from the run's event log (STEP_START -> STEP_SUCCESS/FAILURE)."""
    from orchestration.instance import instance_at

    try:
        with instance_at(dagster_home) as instance:
            return _latest_run_step_durations(instance)
    except Exception:  # timings are a nice-to-have: a broken instance must not lose the run's figures
        return {}


def _latest_run_step_durations(instance: Any) -> dict[str, float]:
    from dagster import DagsterEventType

    runs = instance.get_runs(limit=1)
    if not runs:
        return {}
    starts: dict[str, float] = {}
    durations: dict[str, float] = {}
    ends = (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE)
    for record in instance.all_logs(runs[0].run_id):
        event = record.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            starts[event.step_key] = record.timestamp
        elif event.event_type in ends and event.step_key in starts:
            durations[event.step_key] = round(record.timestamp - starts[event.step_key], 2)
    return durations
