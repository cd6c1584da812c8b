"""The project's Dagster instance, created safely when several processes start at once.

Dagster creates its SQLite schema (runs, event log index, schedules) when a process first opens a
fresh DAGSTER_HOME; two processes doing it at once break the home for good ("table ... already
exists", two alembic heads). Every process of this project opens the instance here, under a file
lock in the home, so that the first one creates the schema and the others find it done. `make
install` runs this module once, so `make dev` (whose `dagster dev` opens the home itself) also finds
it ready.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster import DagsterInstance

from config.locks import dagster_home_lock
from config.settings import PROJECT_ROOT, environment


def ensure_dagster_home() -> Path:
    """The project's own Dagster home (telemetry off), also when run without make."""
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        # Written aside and renamed: a process starting meanwhile never reads half a file.
        with tempfile.NamedTemporaryFile(dir=home, prefix=".dagster.yaml.", delete=False) as tmp:
            tmp.write((PROJECT_ROOT / "orchestration" / "dagster.yaml").read_bytes())
        os.replace(tmp.name, home / "dagster.yaml")
    return home


READY_MARKER = ".instance-ready"  # written once the storage exists: `make install` skips this module then


def open_instance() -> DagsterInstance:
    """DagsterInstance.get() with the home's storage created (or found) under the home's lock."""
    home = ensure_dagster_home()
    with dagster_home_lock(home):
        instance = DagsterInstance.get()
        # The SQLite storages create their schema when constructed; a first read proves them usable.
        instance.get_runs(limit=1)
        (home / READY_MARKER).touch()
    return instance


@contextmanager
def instance_at(home: Path) -> Iterator[DagsterInstance]:
    """The instance of another Dagster home, for tools that read one (the benchmark, tests).

    DAGSTER_HOME is set while the instance loads, as Dagster's own tools would see it.
    """
    with environment({"DAGSTER_HOME": str(home)}), DagsterInstance.from_config(str(home)) as instance:
        yield instance


if __name__ == "__main__":
    open_instance().dispose()
    print(f"Dagster home ready: {os.environ['DAGSTER_HOME']}")
