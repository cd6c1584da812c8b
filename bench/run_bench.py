"""`make bench`: parse throughput per format and whole-pipeline runs at several corpus sizes.

    python -m bench.run_bench [--sizes 3,100,1000] [--quick] [--mix text:5,markdown:3,html:2]

Writes bench/results/latest.md and latest.json (with --quick: quick.md / quick.json in the work
folder, so a smoke run never overwrites the committed figures). Generated corpora and run folders live under --work
(default /tmp/probation-bench) and are reused across invocations.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench.corpus import GENERATOR_VERSION, SUFFIXES, plan, write_corpus
from bench.measure import ROOT, RunResult, Workspace, run_pipeline
from bench.parallel_parse import measure as measure_parallel_parse
from bench.report import SAMPLE_BUILD, SAMPLE_NOOP, BenchResults, ParseResult, machine_info, to_json, to_markdown
from ingestion.parse import parse_bytes

RESULTS_DIR = ROOT / "bench" / "results"
SAMPLES_DIR = ROOT / "data" / "reports"
# Files parsed per format for the throughput figures: enough for a stable rate, PDFs being ~100x slower.
PARSE_FILES = {"text": 300, "markdown": 300, "html": 100, "pdf": 20}
QUICK_PARSE_FILES = {"text": 30, "markdown": 30, "html": 10, "pdf": 3}
# Corpus of the pipeline runs. No PDFs for now: fixture PDFs whose ratings column is narrow split
# "Outstanding" over two lines, the parser then drops that rating, and the blocking score check stops
# the whole run (docs/benchmark.md, "Findings"). PDF cost per report is in the parse table.
RUN_MIX = "text:5,markdown:2,html:2,pdf:1"


def _corpus(work: Path, n: int, mix: str, seed: int) -> list[Path]:
    folder = work / f"corpus-v{GENERATOR_VERSION}-s{seed}-{mix.replace(':', '').replace(',', '_')}"
    return write_corpus(plan(n, seed, mix), folder)


def measure_parse(work: Path, counts: dict[str, int], seed: int) -> list[ParseResult]:
    results = []
    for fmt, n in counts.items():
        files = [(path, path.read_bytes()) for path in _corpus(work, n, f"{fmt}:1", seed)]
        parse_bytes(*files[0])  # warm-up: lazy imports (PDFium, lxml) are a once-per-process cost
        started = time.perf_counter()
        for path, data in files:
            parse_bytes(path, data)
        elapsed = time.perf_counter() - started
        results.append(ParseResult(fmt, len(files), sum(len(d) for _, d in files) / 1e6, elapsed))
        print(f"parse {fmt}: {len(files)} files in {elapsed:.2f}s", flush=True)
    return results


def measure_runs(work: Path, sizes: list[int], files: list[Path]) -> list[RunResult]:
    results = []
    logs = work / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    def timed(label: str, workspace: Workspace, n: int) -> RunResult:
        result = run_pipeline(label, workspace, n, logs / f"{label.replace(' ', '-')}-{n}.log")
        print(
            f"run {label} at {n}: {result.wall_s:.1f}s, exit {result.exit_code}, "
            f"peak {result.peak_tree_rss_mib:.0f} MiB",
            flush=True,
        )
        results.append(result)
        return result

    # Untimed warm-up: the first run after a while pays for cold disk caches and stale .pyc files,
    # which would inflate whichever size happened to run first.
    run_pipeline("warm-up", Workspace(work / "run-warm-up").create(files[:3]), 3, logs / "warm-up.log")
    # The three real sample reports: a build, then a refresh that finds nothing changed (their ratio is a target).
    samples = Workspace(work / "run-samples").create(sorted(SAMPLES_DIR.glob("*.*")))
    timed(SAMPLE_BUILD, samples, 3)
    timed(SAMPLE_NOOP, samples, 3)
    for n in sorted(sizes):
        workspace = Workspace(work / f"run-{n}").create(files[:n])
        timed("full", workspace, n)
        if n == max(sizes):
            timed("no-op", workspace, n)  # second run, nothing changed
            workspace.add([files[n]])  # corpus has one spare report for this
            timed("one new", workspace, n + 1)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3,100,1000", help="comma-separated report counts for full runs")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 3,20 and small parse samples")
    parser.add_argument("--mix", default=RUN_MIX, help=f"corpus format weights for runs (default {RUN_MIX})")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/probation-bench")))
    parser.add_argument("--no-runs", action="store_true", help="parse throughput only")
    args = parser.parse_args(argv)
    sizes = [3, 20] if args.quick else [int(s) for s in args.sizes.split(",")]
    counts = QUICK_PARSE_FILES if args.quick else PARSE_FILES
    assert set(counts) == set(SUFFIXES)

    results = BenchResults(machine=machine_info(), corpus_mix=args.mix)
    results.parse = measure_parse(args.work, counts, args.seed)
    if not args.no_runs:
        files = _corpus(args.work, max(sizes) + 1, args.mix, args.seed)
        results.runs = measure_runs(args.work, sizes, files)
        results.parallel = measure_parallel_parse(files[: max(sizes)], args.work)
    results.machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())

    out, name = (args.work, "quick") if args.quick else (RESULTS_DIR, "latest")
    out.mkdir(parents=True, exist_ok=True)
    markdown = to_markdown(results)
    (out / f"{name}.md").write_text(markdown)
    (out / f"{name}.json").write_text(to_json(results))
    print(markdown)
    return 0 if all(r.exit_code == 0 for r in results.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
