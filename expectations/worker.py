"""The GX validation worker: `python -m expectations.worker`, a process that imports Great Expectations early.

Importing GX and pandas and building GX's ephemeral context costs ~2-3 s of one core, and a Python thread
cannot hide it (the GIL). A refresh that builds starts this process when its dbt step starts, so the import
runs on the second core while dbt keeps the first busy; the gx_checks step then pays only the validation.
Plain Python (no Dagster): expectations/prewarm.py is the client that starts it and asks it.

Protocol, one JSON object per line, one request per worker:
- stdout: {"ready": seconds} once GX, pandas, the context and every suite's expectations are loaded;
- stdin: {"warehouse": path, "checks": [check names]}; the warehouse is opened read-only (dbt has released it);
- stdout: {"results": [SuiteResult.to_json(), ...], "seconds": ...} or {"error": "..."}; then it exits.
End of stdin before a request (the run finished without checks, failed or died) ends the worker as soon as
GX is loaded, and so does waiting longer than IDLE_LIMIT_S: it never outlives its run by more than its import.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from collections.abc import Callable
from typing import IO, Any

import duckdb

from expectations.runner import SuiteResult, gx_batch_definition, run_suite
from expectations.suites import SUITES, Suite

# Far beyond any dbt step (the worker's wait): a last guard, behind the run's own clean-up, for a parent that
# keeps its end of the pipe open and never asks.
IDLE_LIMIT_S = 1800.0
# Below the run's priority: on a machine whose second core is busy too, dbt keeps the CPU it would have had.
NICENESS = 10


def prepare() -> float:
    """Import GX and pandas and build the context and expectations; returns the seconds it took."""
    started = time.perf_counter()
    gx_batch_definition()
    for suite in SUITES:
        suite.expectations()  # imports each expectation class
    return time.perf_counter() - started


def suites_named(checks: list[str]) -> list[Suite]:
    by_check = {suite.check: suite for suite in SUITES}
    unknown = [check for check in checks if check not in by_check]
    if unknown:
        raise ValueError(f"unknown checks: {', '.join(unknown)}")
    return [by_check[check] for check in checks]


def validate(request: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the requested suites on one read-only connection; each result as plain JSON."""
    suites = suites_named(request["checks"])
    with duckdb.connect(request["warehouse"], read_only=True) as con:
        results = [run_suite(suite, con) for suite in suites]
    encoded = [result.to_json() for result in results]
    for result, data in zip(results, encoded, strict=True):
        # A value JSON would change (a tuple, a Decimal) must not become a different check result: refuse,
        # and the run validates in its own process instead.
        if SuiteResult.from_json(json.loads(json.dumps(data))) != result:
            raise ValueError(f"{result.check}: its result does not survive JSON unchanged")
    return encoded


def _wait_for_request(stdin: IO[str], limit_s: float) -> str:
    ready, _, _ = select.select([stdin], [], [], limit_s)
    return stdin.readline() if ready else ""


def serve(stdin: IO[str], answer: Callable[[dict[str, Any]], None], idle_limit_s: float = IDLE_LIMIT_S) -> int:
    try:
        seconds = prepare()
    except Exception as error:  # noqa: BLE001 - reported to the client, which validates in-process
        answer({"error": f"could not load GX: {type(error).__name__}: {error}"})
        return 1
    answer({"ready": round(seconds, 3)})
    line = _wait_for_request(stdin, idle_limit_s)
    if not line.strip():
        return 0  # no request: the run went on without its checks
    started = time.perf_counter()
    try:
        results = validate(json.loads(line))
    except Exception as error:  # noqa: BLE001 - as above
        answer({"error": f"{type(error).__name__}: {error}"})
        return 1
    answer({"results": results, "seconds": round(time.perf_counter() - started, 3)})
    return 0


def main() -> int:
    os.nice(NICENESS)  # an idle core it gets anyway
    # Answers go to the original stdout alone, unbuffered: anything GX or a library prints lands on stderr.
    answers = os.dup(sys.stdout.fileno())
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())

    def answer(message: dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:  # a pipe may take a long message in parts
            data = data[os.write(answers, data) :]

    try:
        return serve(sys.stdin, answer)
    except BrokenPipeError:
        return 0  # the client is gone: nobody to answer


if __name__ == "__main__":
    sys.exit(main())
