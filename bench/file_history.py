"""What recording raw.report_file_versions costs a sync (ingestion/load/file_history.py).

A generated corpus of text reports is loaded once; then no-op syncs (nothing changed, the case `make run` meets
most) are timed, alternating with and without the recording, and the recording alone is timed inside them.

    .venv/bin/python -m bench.file_history [--n 1000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import duckdb

from bench.corpus import plan, write_corpus
from ingestion.load import loader
from ingestion.load.rows import Row


def _sync(warehouse: Path, landing: Path) -> float:
    start = time.perf_counter()
    loader.sync_landing_folder(warehouse, landing, workers=1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="file-history-"))
    landing, warehouse = work / "reports", work / "probation.duckdb"
    write_corpus(plan(args.n, mix="text:1"), landing)
    loader.sync_landing_folder(warehouse, landing, workers=1)

    record = loader.record_file_versions
    spent: list[float] = []

    def timed(con: duckdb.DuckDBPyConnection, files: Sequence[Row]) -> None:
        start = time.perf_counter()
        record(con, files)
        spent.append(time.perf_counter() - start)

    variants: dict[str, Callable] = {"with history": timed, "without history": lambda con, files: None}
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.repeat):
        for name, recorder in variants.items():
            loader.record_file_versions = recorder
            times[name].append(_sync(warehouse, landing))
    loader.record_file_versions = record
    for name, values in times.items():
        print(f"no-op sync of {args.n} files, {name}: median {statistics.median(values):.3f} s")
    print(f"recording alone: median {1000 * statistics.median(spent):.0f} ms")


if __name__ == "__main__":
    main()
