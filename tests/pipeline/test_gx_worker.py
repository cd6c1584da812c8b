"""Dagster runs and the GX worker process: the dbt step starts it, gx_checks uses it, nothing outlives the run.

One project shared by the module, tests in file order: a build (worker) -> the GX checks alone (no dbt: in-process,
no worker) -> a dbt-only selection (no worker) -> a rebuild with the worker switched off -> rebuilds with a killed and an unstartable worker
(in-process, with a warning, same check results).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from dagster import AssetKey, AssetSpec, Definitions, ExecuteInProcessResult, multi_asset

from expectations import SUITES
from expectations.prewarm import GxWorker
from orchestration import gx_worker
from tests.expectations.test_worker import _gone_within
from tests.pipeline.conftest import Project

pytestmark = pytest.mark.slow

WORKER_LINE = "GX suites validated by the GX worker process"
FAILED_LINE = "GX worker failed"


class SpyWorker(GxWorker):
    """The real worker; the test only keeps each one started, to look at its process afterwards."""

    started: list[GxWorker] = []

    @classmethod
    def start(cls) -> GxWorker:
        worker = super().start()
        cls.started.append(worker)
        return worker


@pytest.fixture(autouse=True)
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[SpyWorker]]:
    SpyWorker.started = []
    monkeypatch.setattr(gx_worker, "GxWorker", SpyWorker)
    yield SpyWorker


def _launch(
    project: Project, selection: list[AssetKey] | None = None, job: str | None = None
) -> ExecuteInProcessResult:
    from orchestration.definitions import defs

    if job is not None:
        return defs.resolve_job_def(job).execute_in_process(instance=project.instance, raise_on_error=False)
    return defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=project.instance, asset_selection=selection, raise_on_error=False
    )


def _messages(project: Project, result: ExecuteInProcessResult) -> list[str]:
    return [entry.user_message for entry in project.instance.all_logs(result.run_id) if entry.user_message]


def _gx_metadata(result: ExecuteInProcessResult) -> dict[tuple[str, str], tuple[bool, dict[str, Any]]]:
    return {
        (e.asset_key.to_user_string(), e.check_name): (e.passed, {k: v.value for k, v in e.metadata.items()})
        for e in result.get_asset_check_evaluations()
        if e.check_name.startswith("gx_") or e.check_name == "quarantine_is_empty"
    }


@pytest.fixture(scope="module")
def built(module_project: Project) -> dict[str, Any]:
    """What the build with the worker showed, for the later tests to compare against."""
    return {}


def test_a_build_validates_in_the_worker_started_by_the_dbt_step(
    module_project: Project, spy: type[SpyWorker], built: dict[str, Any]
) -> None:
    from orchestration.definitions import REBUILD_JOB_NAME

    result = _launch(module_project, job=REBUILD_JOB_NAME)
    assert result.success
    messages = _messages(module_project, result)
    assert [m for m in messages if WORKER_LINE in m], messages
    assert not [m for m in messages if FAILED_LINE in m]
    [worker] = spy.started
    assert not worker.alive() and _gone_within(worker.pid, 5)  # stopped and reaped at the end of gx_checks
    assert gx_worker.take(result.run_id) is None  # nothing left in the registry
    built["checks"] = _gx_metadata(result)
    assert len(built["checks"]) == 3 and all(passed for passed, _ in built["checks"].values())


def test_a_checks_only_run_validates_in_process_without_a_worker(
    module_project: Project, spy: type[SpyWorker], built: dict[str, Any]
) -> None:
    from orchestration.assets.checks import check_key
    from orchestration.definitions import defs

    job = defs.resolve_implicit_global_asset_job_def().get_subset(
        asset_selection=set(), asset_check_selection={check_key(suite) for suite in SUITES}
    )
    result = job.execute_in_process(instance=module_project.instance, raise_on_error=False)
    assert result.success
    assert spy.started == []  # no dbt step, no worker
    messages = _messages(module_project, result)
    assert not [m for m in messages if WORKER_LINE in m or FAILED_LINE in m]  # in-process, as expected: no warning
    assert _gx_metadata(result) == built["checks"]


def test_a_dbt_only_selection_starts_no_worker(module_project: Project, spy: type[SpyWorker]) -> None:
    result = _launch(module_project, [AssetKey(["marts", "inspections"])])
    assert result.success
    assert spy.started == []


def test_switched_off_a_build_validates_in_process_without_a_warning(
    module_project: Project, spy: type[SpyWorker], monkeypatch: pytest.MonkeyPatch, built: dict[str, Any]
) -> None:
    from orchestration.definitions import REBUILD_JOB_NAME

    monkeypatch.setenv(gx_worker.ENABLED_ENV, "0")
    result = _launch(module_project, job=REBUILD_JOB_NAME)
    assert result.success
    assert spy.started == []
    assert not [m for m in _messages(module_project, result) if WORKER_LINE in m or FAILED_LINE in m]
    assert _gx_metadata(result) == built["checks"]


def _killed_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    real_start = SpyWorker.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[SpyWorker]) -> GxWorker:
        worker = real_start(cls)
        os.kill(worker.pid, signal.SIGKILL)
        return worker

    monkeypatch.setattr(SpyWorker, "start", classmethod(start))


def test_a_killed_worker_falls_back_in_process_with_a_warning_and_the_same_results(
    module_project: Project, monkeypatch: pytest.MonkeyPatch, built: dict[str, Any]
) -> None:
    from orchestration.definitions import REBUILD_JOB_NAME

    _killed_at_start(monkeypatch)
    result = _launch(module_project, job=REBUILD_JOB_NAME)
    assert result.success
    warnings = [
        entry.user_message
        for entry in module_project.instance.all_logs(result.run_id)
        if entry.level >= 30 and FAILED_LINE in entry.user_message
    ]
    assert warnings and "killed by SIGKILL" in warnings[0] and "in the run's process instead" in warnings[0]
    assert not [m for m in _messages(module_project, result) if WORKER_LINE in m]
    assert _gx_metadata(result) == built["checks"]


def test_a_worker_that_cannot_start_falls_back_with_the_reason(
    module_project: Project, monkeypatch: pytest.MonkeyPatch, built: dict[str, Any]
) -> None:
    from orchestration.definitions import REBUILD_JOB_NAME

    def cannot(cls: type[SpyWorker]) -> GxWorker:
        raise OSError("[Errno 11] Resource temporarily unavailable")

    monkeypatch.setattr(SpyWorker, "start", classmethod(cannot))
    result = _launch(module_project, job=REBUILD_JOB_NAME)
    assert result.success
    messages = _messages(module_project, result)
    assert [m for m in messages if FAILED_LINE in m and "could not be started" in m], messages
    assert _gx_metadata(result) == built["checks"]


def test_a_run_that_fails_before_its_checks_stops_its_worker(
    module_project: Project, spy: type[SpyWorker], built: dict[str, Any]
) -> None:
    """The raw tables' step starts a worker and fails: gx_checks is skipped, the run's end stops the worker."""
    from orchestration.assets.checks import gx_asset_checks
    from orchestration.resources import RESOURCES

    @multi_asset(specs=[AssetSpec(AssetKey(list(key))) for key in {suite.asset for suite in SUITES}])
    def raw_that_fails(context):  # type: ignore[no-untyped-def]  # unannotated: Dagster reads the annotations
        gx_worker.start(context)
        raise RuntimeError("broken before the checks")

    defs = Definitions(assets=[raw_that_fails], asset_checks=gx_asset_checks, resources=RESOURCES)
    result = defs.resolve_implicit_global_asset_job_def().execute_in_process(
        instance=module_project.instance, raise_on_error=False
    )
    assert not result.success
    assert result.get_asset_check_evaluations() == []  # the checks never ran
    [worker] = spy.started
    assert not worker.alive() and _gone_within(worker.pid, 5)
