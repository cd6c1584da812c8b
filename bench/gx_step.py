"""The gx_checks step of a build, in the run's own process (issue 24 dropped the GX worker).

    python -m bench.gx_step [--rounds 4]
    python -m bench.gx_step --warehouse warehouse/probation.duckdb   # the step's parts, wall and CPU seconds

Builds the three sample reports on a fresh workspace per round (what `make run` does on a fresh clone) and
prints, per run, the wall time and the dbt_models and gx_checks steps' seconds (from the run's event log), then
the medians without the first (untimed warm-up) round. gx_checks covers GX's import, every suite (marts, across
versions, quarantine) and writing the Data Docs site. With --warehouse, times those parts on a built warehouse
in this process: CPU seconds say what the step costs on a busy machine, where wall seconds mostly measure the
other processes.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.measure import Workspace, run_pipeline, step_durations
from bench.run_bench import SAMPLES_DIR


def parts(warehouse: Path) -> None:
    import duckdb

    clocks = [(time.perf_counter(), time.process_time())]

    def lap(label: str) -> None:
        clocks.append((time.perf_counter(), time.process_time()))
        (w0, c0), (w1, c1) = clocks[-2:]
        print(f"{label:32} wall {w1 - w0:5.2f} s  cpu {c1 - c0:5.2f} s", flush=True)

    import great_expectations  # noqa: F401 - what the step pays first
    import pandas  # noqa: F401

    from expectations import SUITES, validate_suites
    from serving.publish import CURRENT, DB_NAME, MART_TABLES, publish

    lap("import GX and pandas")
    with tempfile.TemporaryDirectory() as tmp, duckdb.connect(str(warehouse), read_only=True) as con:
        publish(warehouse, Path(tmp), MART_TABLES, [])  # its own marts as the published version: every suite runs
        published = Path(tmp) / CURRENT / DB_NAME
        lap("(publish a baseline, not the step)")
        validate_suites(SUITES, con, published)
        lap(f"validate {len(SUITES)} suites")
        validate_suites(SUITES, con, published, Path(tmp) / "docs")
        lap("validate again + Data Docs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--warehouse", type=Path, help="time the step's parts on this built warehouse")
    args = parser.parse_args()
    if args.warehouse:
        parts(args.warehouse)
        return
    work = Path(tempfile.mkdtemp(prefix="probation-gx-step-"))
    files = sorted(SAMPLES_DIR.glob("*.*"))
    walls, dbt, gx = [], [], []
    for round_ in range(args.rounds):
        workspace = Workspace(work / f"workspace-{round_}").create(files)  # one each: the instance is cached per path
        result = run_pipeline("gx in-process", workspace, len(files), work / f"run-{round_}.log")
        steps = step_durations(workspace.dagster_home)
        print(
            f"round {round_}: wall {result.wall_s:5.1f} s  dbt_models {steps.get('dbt_models', float('nan')):5.2f} s  "
            f"gx_checks {steps.get('gx_checks', float('nan')):5.2f} s  peak tree {result.peak_tree_rss_mib:4.0f} MiB",
            flush=True,
        )
        if result.exit_code != 0:
            raise SystemExit(f"run failed: see {work}")
        if round_:  # the first run pays cold caches
            walls.append(result.wall_s)
            dbt.append(steps.get("dbt_models", float("nan")))
            gx.append(steps.get("gx_checks", float("nan")))
    print(
        f"medians over {len(walls)} rounds: wall {statistics.median(walls):.1f} s, "
        f"dbt_models {statistics.median(dbt):.2f} s, gx_checks {statistics.median(gx):.2f} s"
    )


if __name__ == "__main__":
    main()
