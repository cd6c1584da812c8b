"""BI readers in other processes: never block a publish, never see a half-published serving copy."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from serving.publish import MART_TABLES, publish
from tests.serving.marts_data import add_inspection, mart_counts

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [{"name": "test", "severity": "ERROR", "passed": True}]

# Holds one read-only connection across the publish; reads before, after, and through a fresh connection.
HOLDING_READER = """
import json, sys
import duckdb
db, tables = sys.argv[1], sys.argv[2].split(",")
def counts(con):
    return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in tables}
held = duckdb.connect(db, read_only=True)
print(json.dumps(counts(held)), flush=True)
sys.stdin.readline()  # the test publishes meanwhile
print(json.dumps([counts(held) for _ in range(20)]), flush=True)
fresh = duckdb.connect(db, read_only=True)
print(json.dumps(counts(fresh)), flush=True)
"""

# Opens a NEW connection again and again while publishes run; each connection reads every table.
POLLING_READER = """
import json, sys, time
import duckdb
db, tables, seconds = sys.argv[1], sys.argv[2].split(","), float(sys.argv[3])
seen, errors, end = [], [], time.monotonic() + seconds
print("ready", flush=True)
while time.monotonic() < end:
    try:
        con = duckdb.connect(db, read_only=True)
        seen.append({t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for t in tables})
        con.close()
    except Exception as exc:
        errors.append(repr(exc))
print(json.dumps({"seen": seen, "errors": errors}), flush=True)
"""


def _spawn(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_reader_holding_the_file_open_does_not_block_publish(warehouse: Path, serving: Path) -> None:
    publish(warehouse, serving, MART_TABLES, CHECKS)
    before = mart_counts(serving / "marts.duckdb")
    reader = _spawn(HOLDING_READER, str(serving / "marts.duckdb"), ",".join(MART_TABLES))
    try:
        assert json.loads(reader.stdout.readline()) == before

        add_inspection(warehouse)
        started = time.monotonic()
        new = publish(warehouse, serving, MART_TABLES, CHECKS)  # would raise on a lock conflict
        assert time.monotonic() - started < 30
        assert new.row_counts != before

        reader.stdin.write("go\n")
        reader.stdin.flush()
        # The held connection keeps reading its version, consistently.
        assert json.loads(reader.stdout.readline()) == [before] * 20
        # A connection opened after the publish sees the new version.
        assert json.loads(reader.stdout.readline()) == new.row_counts
        assert reader.wait(timeout=30) == 0, reader.stderr.read()
    finally:
        reader.kill()
    assert mart_counts(serving / "marts.duckdb") == new.row_counts


def test_new_readers_never_see_a_half_published_state(warehouse: Path, serving: Path) -> None:
    first = publish(warehouse, serving, MART_TABLES, CHECKS)
    reader = _spawn(POLLING_READER, str(serving / "marts.duckdb"), ",".join(MART_TABLES), "6")
    try:
        assert reader.stdout.readline().strip() == "ready"
        published = [first.row_counts]
        add_inspection(warehouse)
        deadline = time.monotonic() + 4
        while time.monotonic() < deadline:
            published.append(publish(warehouse, serving, MART_TABLES, CHECKS, keep=2).row_counts)
        report = json.loads(reader.stdout.readline())
        assert reader.wait(timeout=30) == 0, reader.stderr.read()
    finally:
        reader.kill()

    assert len(published) > 3, "expected several publishes during the reads"
    assert report["errors"] == []
    assert len(report["seen"]) > 20
    # Every read saw exactly one published version's counts, across all tables at once.
    assert all(seen in published for seen in report["seen"])
    assert report["seen"][-1] == published[-1]
