"""The GX worker (issue 16): builds with and without it, alternated, each on a fresh workspace.

    python -m bench.gx_prewarm [--n 3] [--rounds 3]

--n 3 builds the three sample reports (what `make run` does on a fresh clone); a larger n a generated corpus
(bench/corpus.py, the benchmark's mix). "without" sets PROBATION_GX_WORKER=0: GX is imported in the gx_checks
step, as before the worker. Prints, per run, the wall time, the dbt_models and gx_checks steps' seconds (from
the run's event log) and the peak RSS of the process tree (the worker included), then the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

from bench.measure import RunResult, Workspace, run_pipeline
from bench.run_bench import RUN_MIX, SAMPLES_DIR, _corpus
from config.settings import environment

MODES = {"without": "0", "with": "1"}  # PROBATION_GX_WORKER


def _files(work: Path, n: int, seed: int) -> list[Path]:
    if n == 3:
        return sorted(SAMPLES_DIR.glob("*.*"))
    return _corpus(work, n, RUN_MIX, seed)[:n]


def measure(work: Path, n: int, rounds: int, seed: int = 7) -> dict[str, list[RunResult]]:
    files = _files(work, n, seed)
    logs = work / "logs-gx-prewarm"
    logs.mkdir(parents=True, exist_ok=True)
    # Untimed: the first run after a while pays for cold disk caches and stale .pyc files.
    run_pipeline("warm-up", Workspace(work / "gx-warm-up").create(files[:3]), 3, logs / "warm-up.log")
    results: dict[str, list[RunResult]] = {mode: [] for mode in MODES}
    for round_ in range(rounds):
        for mode, switch in MODES.items():
            with environment({"PROBATION_GX_WORKER": switch}):
                workspace = Workspace(work / f"gx-{mode}-{n}").create(files)
                result = run_pipeline(f"{mode} worker", workspace, n, logs / f"{mode}-{n}-{round_}.log")
            results[mode].append(result)
            print(_line(result), flush=True)
            if result.exit_code != 0:
                raise SystemExit(f"run failed: see {logs}")
    return results


def _line(result: RunResult) -> str:
    steps = result.steps_s
    return (
        f"{result.label:15} n={result.reports:<5} wall {result.wall_s:5.1f} s  "
        f"dbt_models {steps.get('dbt_models', float('nan')):5.2f} s  gx_checks {steps.get('gx_checks', float('nan')):5.2f} s  "
        f"peak tree {result.peak_tree_rss_mib:4.0f} MiB"
    )


def _median(results: list[RunResult], step: str | None = None) -> float:
    values = [r.wall_s if step is None else r.steps_s.get(step, float("nan")) for r in results]
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3, help="reports: 3 = the samples, more = a generated corpus")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/probation-bench")))
    args = parser.parse_args(argv)
    results = measure(args.work, args.n, args.rounds)
    print(f"\nmedians over {args.rounds} rounds, n={args.n} (load average {os.getloadavg()[0]:.2f}):")
    for mode, runs in results.items():
        peak = max(r.peak_tree_rss_mib for r in runs)
        print(
            f"  {mode:7} worker: wall {_median(runs):5.1f} s, dbt_models {_median(runs, 'dbt_models'):5.2f} s, "
            f"gx_checks {_median(runs, 'gx_checks'):5.2f} s, peak tree {peak:.0f} MiB (max)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
