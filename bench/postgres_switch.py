"""How long a PostgreSQL publish holds the switch lock on the `marts` views, and how long readers wait.

    .venv/bin/python -m bench.postgres_switch [--publishes 20] [--readers 2]

Starts a throwaway PostgreSQL (Debian's binaries, as the tests do), publishes the crafted serving copy
`--publishes` times while `--readers` threads query the marts in a loop, and prints the switch's lock
hold time (from holding every view lock to the commit that releases them) and the slowest reader query.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from serving.postgres import publish_to_postgres
from serving.publish import MART_TABLES, publish
from tests.serving.marts_data import build_working_warehouse
from tests.serving.pg_server import start_server

READER_QUERY = """SELECT i.pdu_name, count(*) FROM marts.inspections i JOIN marts.ratings r USING (inspection_id)
                  JOIN marts.scores s USING (inspection_id) GROUP BY 1"""


def _reader(url: str, stop: threading.Event, waits: list[float]) -> None:
    with psycopg.connect(url, autocommit=True) as con:
        while not stop.is_set():
            started = time.perf_counter()
            con.execute(READER_QUERY).fetchall()
            waits.append(time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--publishes", type=int, default=20)
    parser.add_argument("--readers", type=int, default=2)
    args = parser.parse_args()

    server = start_server()
    try:
        url = server.url()
        with tempfile.TemporaryDirectory() as tmp:
            warehouse = Path(tmp) / "warehouse" / "probation.duckdb"
            build_working_warehouse(warehouse)
            publish_to_postgres(url, publish(warehouse, warehouse.parent, MART_TABLES, []))  # marts exists first
            stop, waits = threading.Event(), []
            readers = [threading.Thread(target=_reader, args=(url, stop, waits)) for _ in range(args.readers)]
            for thread in readers:
                thread.start()
            holds, totals = [], []
            for _ in range(args.publishes):
                version = publish(warehouse, warehouse.parent, MART_TABLES, [])
                started = time.perf_counter()
                done = publish_to_postgres(url, version)
                totals.append(time.perf_counter() - started)
                holds.append(done.switch_lock_ms)
            stop.set()
            for thread in readers:
                thread.join()
    finally:
        server.stop()
    holds.sort()
    print(f"{args.publishes} publishes of {len(MART_TABLES)} marts with {args.readers} readers querying in a loop:")
    print(
        f"  switch lock held: median {statistics.median(holds):.1f} ms, "
        f"p95 {holds[int(0.95 * (len(holds) - 1))]:.1f} ms, max {holds[-1]:.1f} ms"
    )
    print(f"  whole publish (load, audit, switch, prune): median {1000 * statistics.median(totals):.0f} ms")
    print(
        f"  reader queries: {len(waits)}, median {1000 * statistics.median(waits):.1f} ms, "
        f"slowest {1000 * max(waits):.1f} ms"
    )


if __name__ == "__main__":
    main()
