"""Parallel parsing in the loader: the same raw tables as in-process parsing, and dying workers (real processes)."""

from __future__ import annotations

import os
import shutil
import signal
import threading
from pathlib import Path

import duckdb
import psutil
import pytest

from bench.corpus import plan, write_corpus
from config.settings import PARSE_WORKERS_ENV, available_cpus, parse_workers
from ingestion.extract.limits import MAX_FILE_MB_ENV, file_limits
from ingestion.load.loader import sync_landing_folder
from ingestion.load.parse_pool import ParsePool
from ingestion.load.raw_tables import RAW_TABLES
from tests.conftest import SAMPLE_FILES

GENERATED = 60  # 6 PDFs, 12 HTML pages: more estimated parsing than POOL_MIN_WORK_S, so a default sync uses the pool
# Columns that hold the moment of the load: they differ between any two loads.
TIMESTAMPS = {"parsed_at", "quarantined_at", "first_seen_at", "last_seen_at"}


def _tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        out = {}
        for table, columns in RAW_TABLES.items():
            names = ", ".join(name for name, _ in columns if name not in TIMESTAMPS)
            out[table] = con.execute(f"SELECT {names} FROM raw.{table} ORDER BY ALL").fetchall()
        return out


@pytest.fixture(scope="module")
def mixed_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample reports, a generated corpus of every format (PDFs included), copies and broken files."""
    folder = tmp_path_factory.mktemp("mixed") / "reports"
    write_corpus(plan(GENERATED, seed=11, mix="text:5,markdown:2,html:2,pdf:1"), folder / "generated")
    (folder / "generated" / "specs.json").unlink()
    for path in SAMPLE_FILES.values():
        shutil.copy(path, folder / path.name)
    dorset = SAMPLE_FILES["dorset"]
    shutil.copy(dorset, folder / "copy-of-dorset.txt")  # same content under two names: parsed once
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    (folder / "empty.txt").write_text("")
    (folder / "not-a-report.html").write_text("<html><body><p>Opening hours of the office</p></body></html>")
    (folder / "contradiction.txt").write_text(dorset.read_text(encoding="utf-8").replace("3/27", "5/27"))
    return folder


def test_parallel_and_in_process_loads_give_identical_raw_tables(tmp_path: Path, mixed_landing: Path) -> None:
    in_process = sync_landing_folder(tmp_path / "one.duckdb", mixed_landing, workers=1)
    parallel = sync_landing_folder(tmp_path / "two.duckdb", mixed_landing, workers=2, pool_min_work_s=0)
    assert (in_process.parse_workers, parallel.parse_workers) == (0, 2)
    assert parallel.quarantined == in_process.quarantined  # same files, same reasons, same order
    quarantined = {file for file, _ in parallel.quarantined}
    assert quarantined >= {"broken.pdf", "contradiction.txt", "empty.txt", "not-a-report.html"}
    assert (parallel.parsed, parallel.unchanged, parallel.rows_written) == (
        in_process.parsed,
        in_process.unchanged,
        in_process.rows_written,
    )
    assert parallel.parsed == GENERATED + 3 and parallel.unchanged == 1  # the copy of dorset
    assert _tables(tmp_path / "two.duckdb") == _tables(tmp_path / "one.duckdb")


def test_parallel_load_of_changed_files_matches_in_process(tmp_path: Path, mixed_landing: Path) -> None:
    """A second sync after changes and removals: only the changed files go to the workers."""
    landings = {}
    for name in ("one", "two"):
        landings[name] = tmp_path / name / "reports"
        shutil.copytree(mixed_landing, landings[name])
        sync_landing_folder(tmp_path / f"{name}.duckdb", landings[name], workers=1)
        generated = sorted((landings[name] / "generated").iterdir())
        generated[0].unlink()
        for path in [p for p in generated[1:] if p.suffix != ".pdf"][:7]:
            path.write_bytes(path.read_bytes() + b"\n")  # new content, same report
        shutil.copy(SAMPLE_FILES["doncaster"], landings[name] / "doncaster-again.txt")
    in_process = sync_landing_folder(tmp_path / "one.duckdb", landings["one"], workers=1)
    parallel = sync_landing_folder(tmp_path / "two.duckdb", landings["two"], workers=2, pool_min_work_s=0)
    assert parallel.parse_workers == 2 and in_process.parse_workers == 0
    assert (parallel.parsed, parallel.unchanged, parallel.missing, parallel.quarantined) == (
        in_process.parsed,
        in_process.unchanged,
        in_process.missing,
        in_process.quarantined,
    )
    assert (parallel.missing, parallel.parsed) == (1, 7)
    assert _tables(tmp_path / "two.duckdb") == _tables(tmp_path / "one.duckdb")


def test_a_small_batch_is_parsed_in_process(tmp_path: Path, landing: Path) -> None:
    """Three text reports are far less work than starting a worker process."""
    summary = sync_landing_folder(tmp_path / "wh.duckdb", landing, workers=2)
    assert (summary.parsed, summary.parse_workers) == (3, 0)


def _new_report(landing: Path, name: str) -> Path:
    """A new version of a sample under a new name: parses cleanly, content never seen before."""
    text = SAMPLE_FILES["portsmouth"].read_text(encoding="utf-8")
    path = landing / name
    path.write_text(text.replace("Portsmouth and the Isle of Wight", "Portsmouth and the Isle of Wight "))
    return path


def _live_workers() -> list[psutil.Process]:
    workers = []
    for child in psutil.Process().children():
        try:
            if "ingestion.load.parse_worker" in child.cmdline() and child.status() != psutil.STATUS_ZOMBIE:
                workers.append(child)
        except psutil.Error:
            continue  # ended meanwhile
    return workers


class _WorkerWatcher(threading.Thread):
    """Notes every parse worker this process starts, until stopped; with kill=True, kills each with SIGKILL
    (as the OOM killer or an operator would)."""

    def __init__(self, *, kill: bool) -> None:
        super().__init__(daemon=True)
        self.kill = kill
        self.seen: set[int] = set()
        self._done = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self._done.is_set():
            for child in me.children():
                try:
                    if child.pid not in self.seen and "ingestion.load.parse_worker" in child.cmdline():
                        self.seen.add(child.pid)
                        if self.kill:
                            os.kill(child.pid, signal.SIGKILL)
                except (psutil.Error, ProcessLookupError):
                    continue
            self._done.wait(0.002)

    def stop(self) -> None:
        self._done.set()
        self.join()


def test_a_file_whose_worker_dies_twice_is_quarantined_and_the_run_goes_on(tmp_path: Path, landing: Path) -> None:
    db = tmp_path / "wh.duckdb"
    sync_landing_folder(db, landing, workers=1)
    _new_report(landing, "portsmouth-2025-01.txt")
    killer = _WorkerWatcher(kill=True)
    killer.start()
    try:
        summary = sync_landing_folder(db, landing, workers=2, pool_min_work_s=0)
    finally:
        killer.stop()
    assert len(killer.seen) == 2
    reason = "parse worker died on this file 2 times (killed by SIGKILL; killed by SIGKILL)"
    assert summary.quarantined == [
        ("portsmouth-2025-01.txt", f"{reason}: a crash or a memory or CPU limit while parsing it")
    ]
    assert summary.unchanged == 3 and summary.rows_written["report_files"] == 4
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.reports").fetchone() == (3,)
        assert con.execute("SELECT reason FROM raw.quarantine").fetchone()[0].startswith(reason)
    assert not _live_workers()  # every worker ended, none left behind


def test_a_worker_that_dies_once_is_replaced_and_its_file_parsed_again(tmp_path: Path, landing: Path) -> None:
    """One death may be the machine's doing: the file is retried on a fresh worker; other files are untouched."""
    files = [
        _new_report(landing, "a.txt"),
        SAMPLE_FILES["dorset"],
        SAMPLE_FILES["doncaster"],
    ]
    with ParsePool(2, file_limits()) as pool:
        for key, path in enumerate(files):
            pool.submit(key, path, path.name, path.read_bytes())
            if key == 0:  # its worker was started for it and is still importing the parser: kill it now
                (holder,) = [c for c in psutil.Process().children() if "ingestion.load.parse_worker" in c.cmdline()]
                os.kill(holder.pid, signal.SIGKILL)
        outcomes = [pool.result(key) for key in range(len(files))]
        assert pool.started == 3  # two, and one in place of the killed one
    assert [reason for _, reason in outcomes] == [None, None, None]
    assert [rows["reports"][0]["pdu"] for rows, _ in outcomes] == [
        "Portsmouth and the Isle of Wight",
        "Dorset",
        "Doncaster",
    ]


def test_limits_apply_in_the_workers(tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = "<div>" * 10_000 + "<p>The inspection found that the unit should improve its work.</p>" + "</div>" * 10_000
    (landing / "deep.html").write_text(f"<html><body>{deep * 5}</body></html>")
    (landing / "huge.txt").write_text("x" * 2_000_000)
    monkeypatch.setenv("PROBATION_FILE_TIME_BUDGET_S", "0.000001")
    monkeypatch.setenv(MAX_FILE_MB_ENV, "1")
    summary = sync_landing_folder(tmp_path / "wh.duckdb", landing, workers=2, pool_min_work_s=0)
    assert summary.parse_workers == 2
    reasons = dict(summary.quarantined)
    assert (
        reasons["deep.html"]
        == "HTML extraction exceeded its 1e-06s time budget per file (PROBATION_FILE_TIME_BUDGET_S)"
    )
    assert reasons["huge.txt"] == "file is 2.0 MB, over the 1 MB limit per file (PROBATION_MAX_FILE_MB)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "PROBATION_PARSE_WORKERS='0' must be at least 1"),
        ("-2", "PROBATION_PARSE_WORKERS='-2' must be at least 1"),
        ("abc", "PROBATION_PARSE_WORKERS='abc' is not a whole number"),
        ("1.5", "PROBATION_PARSE_WORKERS='1.5' is not a whole number"),
    ],
)
def test_a_wrong_worker_count_is_refused_with_the_setting_named(
    tmp_path: Path, landing: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    monkeypatch.setenv(PARSE_WORKERS_ENV, value)
    with pytest.raises(ValueError, match=message):
        sync_landing_folder(tmp_path / "wh.duckdb", landing)
    assert not (tmp_path / "wh.duckdb").exists()  # refused before touching the warehouse


def test_worker_count_defaults_to_the_cpus_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PARSE_WORKERS_ENV, raising=False)
    assert parse_workers() == available_cpus() == len(os.sched_getaffinity(0))
    monkeypatch.setenv(PARSE_WORKERS_ENV, " 3 ")
    assert parse_workers() == 3


def test_the_raw_tables_asset_parses_in_workers_inside_a_dagster_run(
    tmp_path: Path, mixed_landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader's real home: a Dagster run process (with its threads), default settings, 2 workers."""
    from dagster import DagsterInstance, materialize

    from orchestration.assets.raw import raw_tables
    from orchestration.resources import DuckDBWarehouse

    monkeypatch.setenv("PROBATION_REPORTS_DIR", str(mixed_landing))
    monkeypatch.setenv(PARSE_WORKERS_ENV, "2")
    db = tmp_path / "wh.duckdb"
    watcher = _WorkerWatcher(kill=False)
    watcher.start()
    try:
        with DagsterInstance.ephemeral() as instance:
            resources = {"warehouse": DuckDBWarehouse(database=str(db))}
            assert materialize([raw_tables], resources=resources, instance=instance).success
    finally:
        watcher.stop()
    assert len(watcher.seen) == 2 and not _live_workers()
    sync_landing_folder(tmp_path / "one.duckdb", mixed_landing, workers=1)
    assert _tables(db) == _tables(tmp_path / "one.duckdb")
