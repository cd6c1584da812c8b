"""The Dagster event log of this project: one SQLite file, written through one pooled engine per process.

Dagster's one-file SQLite event log (ConsolidatedSqliteEventLogStorage) builds a new SQLAlchemy engine and
opens a new connection for every event it stores, and each commit waits for the disk (SQLite's default
`synchronous=FULL`). A refresh stores hundreds of events (a materialisation per dbt model, a result per dbt
test, the planned events of every run), so that came to 3-4 ms per event, about 3 s of a build of the sample
reports. Here the engine and its connections are kept for the life of the process, and commits use
`synchronous=NORMAL`, which in the WAL mode Dagster gives this file keeps it consistent after a crash; only a
power cut can lose the last events before the next checkpoint (the warehouse and serving copy never depend on
them). Configured in orchestration/dagster.yaml.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy
from dagster._core.storage.event_log.sqlite.consolidated_sqlite_event_log import ConsolidatedSqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS

_engines: dict[tuple[int, str], sqlalchemy.Engine] = {}
_engines_lock = threading.Lock()


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def pooled_engine(url: str) -> sqlalchemy.Engine:
    """One engine per process and file: a pool is not shared with a forked child, so the pid is in the key."""
    key = (os.getpid(), url)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = sqlalchemy.create_engine(
                url,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                # Five kept open; more are opened (and closed after use) when the UI's threads need them, so a
                # busy UI never waits for the pool.
                pool_size=5,
                max_overflow=-1,
            )
            sqlalchemy.event.listen(engine, "connect", _set_pragmas)
            _engines[key] = engine
        return engine


class PooledSqliteEventLogStorage(ConsolidatedSqliteEventLogStorage):
    """Dagster's one-file SQLite event log with a pooled engine and WAL-friendly commits (see module doc)."""

    @contextmanager
    def _connect(self) -> Iterator[sqlalchemy.Connection]:
        with pooled_engine(self._conn_string).connect() as connection, connection.begin():
            yield connection
