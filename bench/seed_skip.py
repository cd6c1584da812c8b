"""dbt step seconds of refreshes that build, for two checkouts (before and after leaving out unchanged seeds).

For each checkout: the three sample reports built, then rebuilt after one report changed (repeat times); then
1,000 generated reports built, and one new report added (repeat times). Each is `python -m cli.run` in a fresh
workspace (bench/measure.py); the figure is the `dbt_models` step's seconds from the run's Dagster event log.

    .venv/bin/python -m bench.corpus --n 1003 --out /tmp/corpus
    git archive <base> | tar -x -C /tmp/base   # the code before
    .venv/bin/python -m bench.seed_skip --corpus /tmp/corpus --before /tmp/base --repeat 3

`--dbt-only WAREHOUSE` times `dbt build` alone (in-process, project parsed once) on a built warehouse, the whole
project against the build that leaves the seeds out, alternating, without Dagster around it (the whole-project
builds reload the seeds, so the warehouse's seed state is gone afterwards: use a copy).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from bench.measure import ROOT, Workspace, run_pipeline
from bench.run_bench import SAMPLES_DIR

REPORT_SUFFIXES = {".txt", ".md", ".html", ".pdf"}
SAMPLES = sorted(SAMPLES_DIR.glob("*.*"))
DORSET = next(path.name for path in SAMPLES if path.name.startswith("dorset"))


def _dbt_seconds(label: str, workspace: Workspace, n: int, logs: Path) -> float:
    result = run_pipeline(label, workspace, n, logs / f"{workspace.root.name}-{label}.log")
    if result.exit_code != 0:
        raise SystemExit(f"{label} failed (exit {result.exit_code}): see {logs}")
    seconds = result.steps_s["dbt_models"]
    print(f"  {label}: dbt step {seconds:.2f}s (run {result.wall_s:.1f}s)", flush=True)
    return seconds


def measure(code: Path, name: str, corpus: list[Path], repeat: int, work: Path) -> dict[str, list[float]]:
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    print(f"{name}: {code}", flush=True)
    # Workspace.create prepares each workspace's dbt manifest in `code`, as `make install` does (not timed).
    figures: dict[str, list[float]] = {"3 samples, first build": [], "3 samples, one changed": []}
    samples = Workspace(work / f"{name}-samples", code).create(SAMPLES)
    figures["3 samples, first build"].append(_dbt_seconds("samples-build", samples, 3, logs))
    dorset = samples.landing / DORSET
    for i in range(repeat):
        text = dorset.read_text(encoding="utf-8")
        dorset.write_text(text + f"\nEdited for the benchmark ({i}).\n", encoding="utf-8")
        figures["3 samples, one changed"].append(_dbt_seconds(f"samples-changed-{i}", samples, 3, logs))
    n = len(corpus) - repeat
    big = Workspace(work / f"{name}-{n}", code).create(corpus[:n])
    figures[f"{n} reports, first build"] = [_dbt_seconds("full", big, n, logs)]
    figures[f"one new among {n}"] = []
    for i in range(repeat):
        big.add([corpus[n + i]])
        figures[f"one new among {n}"].append(_dbt_seconds(f"one-new-{i}", big, n + i + 1, logs))
    return figures


def dbt_only(warehouse: Path, repeat: int) -> None:
    import duckdb

    from orchestration.dbt_inprocess import ParsedProject, stream_build
    from orchestration.seed_state import find_unchanged, plan_seeds

    os.environ["PROBATION_WAREHOUSE"] = str(warehouse)
    project = ParsedProject(ROOT / "dbt_project", ROOT / "dbt_project")
    plan = plan_seeds(project.manifest())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        find_unchanged(plan, con)
    if not plan.unchanged:
        raise SystemExit(f"no unchanged seed recorded in {warehouse}: run a refresh of it first")
    builds = {"whole project": ([], "buildable"), "seeds left out": (plan.exclude_args(), "cautious")}
    seconds: dict[str, list[float]] = {label: [] for label in builds}
    for _ in range(repeat + 1):  # the first round warms up
        for label, (args, mode) in builds.items():
            started = time.perf_counter()
            nodes = sum(1 for _ in stream_build(project, ["--quiet", *args], {"DBT_INDIRECT_SELECTION": mode}))
            seconds[label].append(time.perf_counter() - started)
            print(f"  {label}: {nodes} nodes, {seconds[label][-1]:.2f}s", flush=True)
    for label, values in seconds.items():
        print(f"{label}: median {statistics.median(values[1:]):.2f}s over {repeat}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="generated reports (bench.corpus --n N+repeat)")
    parser.add_argument("--before", type=Path, help="checkout of the code to compare with")
    parser.add_argument("--dbt-only", type=Path, metavar="WAREHOUSE", help="time dbt alone on this warehouse")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/seed-skip-bench"))
    args = parser.parse_args(argv)
    if args.dbt_only:
        dbt_only(args.dbt_only, args.repeat)
        return 0
    if not (args.corpus and args.before):
        parser.error("--corpus and --before are required (or --dbt-only)")
    corpus = sorted(p for p in args.corpus.iterdir() if p.suffix in REPORT_SUFFIXES)  # not the generator's specs
    results = {name: measure(code, name, corpus, args.repeat, args.work) for name, code in
               (("before", args.before), ("after", ROOT))}  # fmt: skip
    print("\n| dbt step, seconds (median) | before | after |\n|---|---|---|")
    for label in results["before"]:
        before, after = (statistics.median(results[side][label]) for side in ("before", "after"))
        print(f"| {label} (n={len(results['after'][label])}) | {before:.2f} | {after:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
