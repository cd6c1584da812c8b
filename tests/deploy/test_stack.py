"""make deploy's own decisions, without starting the deployment (tests/deploy/test_deployment.py does that)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance, DagsterRun, DagsterRunStatus

from config.settings import PROJECT_ROOT
from deploy import stack


def settings(monkeypatch: pytest.MonkeyPatch, home: Path, **env: str) -> stack.Settings:
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    for name in ("DEPLOY_AUTOMATION", "DEPLOY_PORT", "DEPLOY_CODE_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return stack.Settings.from_env()


def test_automation_is_on_in_the_deployment_unless_turned_off(tmp_path: Path, monkeypatch) -> None:
    on = stack._environment(settings(monkeypatch, tmp_path), "postgresql://x")
    off = stack._environment(settings(monkeypatch, tmp_path, DEPLOY_AUTOMATION="off"), "postgresql://x")
    assert (on["PROBATION_AUTOMATION"], off["PROBATION_AUTOMATION"]) == ("on", "off")
    assert on["DAGSTER_POSTGRES_URL"] == "postgresql://x" and on["DAGSTER_HOME"] == str(tmp_path)


def test_the_deployment_never_takes_make_devs_home(monkeypatch, capsys) -> None:
    assert stack.start(settings(monkeypatch, PROJECT_ROOT / ".dagster_home")) == 1
    assert "make dev's Dagster home" in capsys.readouterr().out


def test_runs_a_stop_left_in_progress_are_failed_and_the_others_kept(tmp_path: Path) -> None:
    # Any instance will do (here SQLite): the runs are what matters.
    statuses = [
        DagsterRunStatus.STARTED,
        DagsterRunStatus.STARTING,
        DagsterRunStatus.CANCELING,
        DagsterRunStatus.SUCCESS,
        DagsterRunStatus.CANCELED,
    ]
    with DagsterInstance.local_temp(str(tmp_path)) as instance:
        runs = [instance.add_run(DagsterRun(job_name="refresh_all", status=status)) for status in statuses]
    failed = stack.fail_runs_left_in_progress({"DAGSTER_HOME": str(tmp_path)})
    assert sorted(failed) == sorted(run.run_id for run in runs[:3])
    with DagsterInstance.from_config(str(tmp_path)) as instance:
        after = [instance.get_run_by_id(run.run_id).status for run in runs]
    assert after == [DagsterRunStatus.FAILURE] * 3 + statuses[3:]
