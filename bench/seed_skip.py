"""dbt step seconds of refreshes that build, for two checkouts (before and after leaving out unchanged seeds).

For each checkout: the three sample reports built, then rebuilt after one report changed (repeat times); then
1,000 generated reports built, and one new report added (repeat times). Each is `python -m cli.run` in a fresh
workspace (bench/measure.py); the figure is the `dbt_models` step's seconds from the run's Dagster event log.

    .venv/bin/python -m bench.corpus --n 1003 --out /tmp/corpus
    git archive <base> | tar -x -C /tmp/base   # the code before
    .venv/bin/python -m bench.seed_skip --corpus /tmp/corpus --before /tmp/base --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

from bench.measure import ROOT, Workspace, run_pipeline

REPORT_SUFFIXES = {".txt", ".md", ".html", ".pdf"}
SAMPLES = sorted((ROOT / "data" / "reports").glob("*.*"))
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
    # The manifest the checkout's Dagster definitions load (what `make install` prepares; not timed).
    subprocess.run([sys.executable, "-m", "cli.dbt_manifest"], cwd=code, check=True)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="generated reports (bench.corpus --n N+repeat)")
    parser.add_argument("--before", type=Path, required=True, help="checkout of the code to compare with")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/seed-skip-bench"))
    args = parser.parse_args(argv)
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
