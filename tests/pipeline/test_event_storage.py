"""The project's Dagster event log (orchestration/event_storage.py): one pooled engine per process, WAL commits
with synchronous=NORMAL, and several processes writing the same home at once lose nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dagster import AssetKey, AssetMaterialization

from orchestration.event_storage import PooledSqliteEventLogStorage, pooled_engine
from orchestration.instance import instance_at
from tests.conftest import ROOT

ASSET = AssetKey(["test", "events"])

REPORT_EVENTS = (
    "import sys, time\n"
    "from dagster import AssetKey, AssetMaterialization\n"
    "from orchestration.instance import open_instance\n"
    "writer, count, start = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])\n"
    "instance = open_instance()\n"
    "while time.time() < start: pass\n"  # every process writes at the same time
    "for n in range(count):\n"
    "    instance.report_runless_asset_event(\n"
    "        AssetMaterialization(AssetKey(['test', 'events']), metadata={'writer': writer, 'n': n}))\n"
)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return home


def _materializations(home: Path) -> list[AssetMaterialization]:
    with instance_at(home) as instance:
        records = instance.fetch_materializations(ASSET, limit=10_000).records
        return [record.asset_materialization for record in records]


def test_the_project_instance_uses_the_pooled_event_log_with_normal_sync(home: Path) -> None:
    with instance_at(home) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, PooledSqliteEventLogStorage)
        instance.report_runless_asset_event(AssetMaterialization(ASSET, metadata={"n": 1}))
        with storage.index_connection() as connection:
            # 1 = NORMAL (the default, FULL = 2, waits for the disk at every commit)
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        # Every event of this process goes through the same engine (no engine per write).
        assert pooled_engine(storage._conn_string) is pooled_engine(storage._conn_string)  # noqa: SLF001
    assert [m.metadata["n"].value for m in _materializations(home)] == [1]


def test_processes_writing_one_home_at_once_lose_no_event(home: Path) -> None:
    writers, per_writer = 3, 60
    start = time.time() + 6  # after every process has imported Dagster and opened the instance
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", REPORT_EVENTS, f"w{n}", str(per_writer), str(start)],
            cwd=ROOT,
            env=os.environ | {"DAGSTER_HOME": str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in range(writers)
    ]
    outputs = [proc.communicate(timeout=300)[0] for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * writers, outputs
    seen = sorted((m.metadata["writer"].value, m.metadata["n"].value) for m in _materializations(home))
    assert seen == sorted((f"w{w}", n) for w in range(writers) for n in range(per_writer))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_gets_its_own_engine(home: Path) -> None:
    with instance_at(home) as instance:
        url = instance.event_log_storage._conn_string  # noqa: SLF001
        parent_engine = pooled_engine(url)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: a pool inherited from the parent must not be reused
            os.close(read)
            os.write(write, b"own" if pooled_engine(url) is not parent_engine else b"shared")
            os._exit(0)
        os.close(write)
        answer = os.read(read, 16)
        os.waitpid(pid, 0)
    assert answer == b"own"
