"""raw_tables on a first load: `sync_landing_folder` with 1 parse worker and with 2, fresh warehouse each time.

    python -m bench.parallel_parse [--n 1000] [--mix text:5,markdown:2,html:2,pdf:1] [--repeats 2]

Each load runs in a fresh child process (same start-up, same imports: equal conditions), timed
around the call only; the peak RSS of the child and its parse workers is sampled meanwhile. The
loads alternate (1, 2, 1, 2, ...) so that a burst of load from elsewhere on a shared machine hits
both sides; the best of each is kept. `make bench` runs this at its largest size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import ROOT, TreeSampler

WORKERS = (1, 2)


@dataclass
class ParallelLoad:
    reports: int
    workers: int
    seconds: float  # sync_landing_folder alone, best of the repeats
    peak_tree_rss_mib: float  # the loading process and its parse workers, largest over the repeats
    load_average: str  # 1/5/15-minute load average when the last repeat ended


def ratio(loads: list[ParallelLoad]) -> float | None:
    """Seconds with 2 workers over seconds with 1 (None when either is missing)."""
    by_workers = {load.workers: load.seconds for load in loads}
    return by_workers[2] / by_workers[1] if {1, 2} <= set(by_workers) and by_workers[1] else None


def measure(files: list[Path], work: Path, repeats: int = 2) -> list[ParallelLoad]:
    landing = work / "parallel-parse" / "reports"
    shutil.rmtree(landing.parent, ignore_errors=True)
    landing.mkdir(parents=True)
    for path in files:
        shutil.copyfile(path, landing / path.name)
    seconds: dict[int, list[float]] = {w: [] for w in WORKERS}
    peaks: dict[int, list[float]] = {w: [] for w in WORKERS}
    for repeat in range(repeats):
        for workers in WORKERS:
            elapsed, peak = _load_in_child(landing, landing.parent / f"w{workers}-{repeat}.duckdb", workers)
            seconds[workers].append(elapsed)
            peaks[workers].append(peak)
            print(f"parallel parse: {len(files)} reports, {workers} worker(s): {elapsed:.2f}s, peak {peak:.0f} MiB")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [ParallelLoad(len(files), w, min(seconds[w]), max(peaks[w]), load) for w in WORKERS]


def _load_in_child(landing: Path, db: Path, workers: int) -> tuple[float, float]:
    db.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench.parallel_parse", "--child", str(landing), str(db), str(workers)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    peak = sampler.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"load with {workers} worker(s) failed (exit {proc.returncode})")
    return json.loads(out.strip().splitlines()[-1])["seconds"], peak / 2**20


def _child(landing: Path, db: Path, workers: int) -> None:
    from ingestion.load.loader import sync_landing_folder

    started = time.perf_counter()
    summary = sync_landing_folder(db, landing, workers=workers)
    elapsed = time.perf_counter() - started
    if summary.quarantined:
        print(f"{len(summary.quarantined)} quarantined, first: {summary.quarantined[0]}", file=sys.stderr)
    print(json.dumps({"seconds": elapsed, "parsed": summary.parsed}))


def markdown(loads: list[ParallelLoad]) -> list[str]:
    """The section of bench/results/latest.md."""
    if not loads:
        return []
    lines = [
        "",
        f"## raw_tables first load of {loads[0].reports} (`sync_landing_folder`, fresh warehouse, best of the repeats)",
        "",
        "| parse workers | seconds | peak tree RSS MiB | load average after |",
        "|---|---|---|---|",
    ]
    lines += [f"| {x.workers} | {x.seconds:.2f} | {x.peak_tree_rss_mib:.0f} | {x.load_average} |" for x in loads]
    return lines


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--child"]:
        _child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        return 0
    from bench.run_bench import RUN_MIX, _corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--mix", default=RUN_MIX)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_WORK", "/tmp/probation-bench")))
    args = parser.parse_args(argv)
    loads = measure(_corpus(args.work, args.n, args.mix, args.seed), args.work, args.repeats)
    print("\n".join(markdown(loads)))
    print(f"\n2 workers / 1 worker: {ratio(loads):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
