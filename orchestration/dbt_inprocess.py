"""dbt inside the run's own process: the project is parsed once per process and every build reuses it.

Running `dbt build` as a subprocess (dagster-dbt's DbtCliResource) paid, on every run, a Python start-up with
dbt's imports, a `dbt --version` call, a full re-parse of the project (its per-invocation target folder has no
partial-parse state) and a JSON log stream read line by line: about ten seconds before and around a build whose
own work on the data takes well under a second. Here dbt's `dbtRunner` runs in a worker thread of the step,
with the parsed `Manifest` kept for the life of the process; its result events are turned into the same
Dagster events as before (dagster-dbt's own translation: materialisations and asset check results).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.dbt_sources import dbt_source_files
from config.settings import environment

# Result events of the nodes a build runs; everything else dbt emits is left to its log file.
RESULT_EVENTS = frozenset({"LogSeedResult", "LogModelResult", "LogSnapshotResult", "LogTestResult"})
_FINISHED = object()


class DbtBuildError(RuntimeError):
    """dbt could not run, or a node of the build errored or failed an error-severity test."""


def project_state(project_dir: Path, profiles_dir: Path) -> tuple[Any, ...]:
    """What a parsed manifest depends on: the project's files (by name, size and modification time) and the
    warehouse path, which dbt-duckdb bakes into every node as its database name."""
    files = sorted({*dbt_source_files(project_dir), profiles_dir / "profiles.yml"})
    stats = []
    for path in files:
        if path.is_file():
            info = path.stat()
            stats.append((str(path), info.st_size, info.st_mtime_ns))
    return (os.environ.get("PROBATION_WAREHOUSE"), tuple(stats))


@dataclass
class ParsedProject:
    """The parsed manifest of one project, kept while the project's files and the warehouse stay the same."""

    project_dir: Path
    profiles_dir: Path
    _state: tuple[Any, ...] | None = None
    _manifest: Any = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def common_args(self) -> list[str]:
        return ["--project-dir", str(self.project_dir), "--profiles-dir", str(self.profiles_dir)]

    @property
    def build_target(self) -> Path:
        # A build's artifacts (run_results.json, compiled SQL, its manifest.json) go to their own folder: the
        # target/manifest.json that the Dagster definitions load is only written by `make manifest`.
        return self.project_dir / "target" / "last_build"

    def manifest(self) -> Any:
        with self._lock:
            state = project_state(self.project_dir, self.profiles_dir)
            if self._manifest is None or state != self._state:
                from dbt.cli.main import dbtRunner

                # Partial parsing (dbt_project.yml) makes this fast when the project's parse state is current;
                # `--no-write-json` leaves target/manifest.json, which the Dagster definitions read, untouched.
                result = dbtRunner().invoke(["parse", *self.common_args(), "--quiet", "--no-write-json"])
                if not result.success:
                    raise DbtBuildError(f"dbt could not parse the project: {result.exception}")
                self._manifest, self._state = result.result, state
            return self._manifest


@dataclass
class NodeResult:
    """One finished dbt node, as dbt's structured result event (the shape dagster-dbt translates)."""

    raw_event: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.raw_event["data"].get("status", "")).lower()

    @property
    def name(self) -> str:
        return self.raw_event["data"].get("node_info", {}).get("unique_id", "?")

    @property
    def resource_type(self) -> str:
        return self.name.split(".", 1)[0]


def release_warehouse() -> None:
    # dbt-duckdb keeps its DuckDB instance in a class attribute after the invocation; close it so the
    # steps that follow in this process can open the file again (read-only or not).
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if environment is not None:
        environment.close()


def stream_build(project: ParsedProject, args: Sequence[str], env: dict[str, str]) -> Iterator[NodeResult]:
    """Run `dbt build <args>` in a worker thread and yield each node's result as soon as it finishes.

    Raises DbtBuildError after the last result when dbt reports failure, naming the nodes that failed.
    """
    from dbt.cli.main import dbtRunner
    from dbt_common.events.functions import msg_to_dict

    manifest = project.manifest()
    results: queue.Queue[Any] = queue.Queue()

    def collect(event: Any) -> None:
        if event.info.name in RESULT_EVENTS:
            results.put(NodeResult(msg_to_dict(event)))

    outcome: dict[str, Any] = {}

    def invoke() -> None:
        try:
            with environment(env):
                runner = dbtRunner(manifest=manifest, callbacks=[collect])
                target = ["--target-path", str(project.build_target)]
                outcome["result"] = runner.invoke(["build", *project.common_args(), *target, *args])
        except BaseException as error:  # noqa: BLE001 - handed to the consuming thread below
            outcome["error"] = error
        finally:
            release_warehouse()
            results.put(_FINISHED)

    worker = threading.Thread(target=invoke, name="dbt-build", daemon=True)
    worker.start()
    failed: list[str] = []
    while (item := results.get()) is not _FINISHED:
        if item.status in {"error", "fail"}:
            failed.append(f"{item.name} ({item.status})")
        yield item
    worker.join()
    if "error" in outcome:
        raise DbtBuildError(f"dbt build stopped: {outcome['error']}") from outcome["error"]
    result = outcome["result"]
    if not result.success:
        reason = "; ".join(failed) if failed else str(result.exception)
        raise DbtBuildError(f"dbt build failed: {reason}")
