"""What the incremental marts save: `dbt build` on a generated corpus, in full and after adding one report.

One corpus of N reports (bench/corpus.py, text and markdown: the format makes no difference to dbt) is loaded
into raw tables. Then, for the working tree's dbt project and for the base commit's (the merge base of HEAD and
--base, extracted with `git archive` as bench/compare_marts.py does), each on its own copy of the warehouse:

    first build        `dbt build` of the empty marts
    no-op              `dbt build` again, nothing changed
    one new report     report N+1 added to the landing folder and loaded, then `dbt build`
    full refresh       `dbt build --full-refresh` of the same data

dbt runs in-process (dbtRunner) with the project parsed once, as the orchestration does; each figure is the
median wall time of --repeat rounds (each round: a no-op build, then one more new report and a build).
Printed: seconds per step and side, the nodes dbt runs, and the time spent in the incremental marts.

    python -m bench.dbt_incremental [--n 1000] [--base main] [--repeat 3] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.compare_marts import base_commit, copy_working_project, extract_base_project
from bench.corpus import plan, write_corpus
from ingestion.load.loader import sync_landing_folder

MIX = "text:1,markdown:1"
INCREMENTAL = ("inspections", "ratings", "scores", "recommendations", "findings")


class Runner:
    """dbt in-process on one project and warehouse, the manifest parsed once."""

    def __init__(self, project: Path, warehouse: Path, work: Path) -> None:
        self.project, self.warehouse, self.work = project, warehouse, work
        self.manifest: Any = None

    def _args(self) -> list[str]:
        target, logs = self.work / "target", self.work / "logs"
        return ["--project-dir", str(self.project), "--profiles-dir", str(self.project), "--quiet", "--target", "in_process",
                "--target-path", str(target), "--log-path", str(logs)]  # fmt: skip

    def invoke(self, *args: str) -> tuple[float, Any]:
        from dbt.cli.main import dbtRunner

        os.environ.update(PROBATION_WAREHOUSE=str(self.warehouse), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        if self.manifest is None:
            parsed = dbtRunner().invoke(["parse", *self._args()])
            assert parsed.success, parsed.exception
            self.manifest = parsed.result
        start = time.perf_counter()
        result = dbtRunner(manifest=self.manifest).invoke([*args, *self._args()])
        elapsed = time.perf_counter() - start
        if not result.success:
            sys.exit(f"dbt {' '.join(args)} failed in {self.project}: {result.exception}")
        return elapsed, result.result


def _mart_seconds(results: Any) -> float:
    return sum(r.execution_time for r in results if r.node.name in INCREMENTAL and r.node.resource_type == "model")


def measure(side: str, project: Path, raw: Path, landing: Path, extras: list[Path], work: Path) -> dict:
    """The steps on one project; each round adds the next new report (landing is left as it was found)."""
    warehouse = work / f"{side}-warehouse" / "probation.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(raw, warehouse)
    runner = Runner(project, warehouse, warehouse.parent)
    first, results = runner.invoke("build")
    nodes = len(results)
    noop, one_new, marts = [], [], []
    for extra in extras:
        noop.append(runner.invoke("build")[0])
        shutil.copy(extra, landing / extra.name)
        sync_landing_folder(warehouse, landing)
        elapsed, results = runner.invoke("build")
        one_new.append(elapsed)
        marts.append(_mart_seconds(results))
    full = [runner.invoke("build", "--full-refresh")[0] for _ in extras]
    for extra in extras:
        (landing / extra.name).unlink()
    return {
        "first build": first,
        "no-op": statistics.median(noop),
        "one new report": statistics.median(one_new),
        "full refresh": statistics.median(full),
        "nodes": nodes,
        "incremental marts, one new": statistics.median(marts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="reports in the corpus (1000)")
    parser.add_argument("--base", default="main", help="compare with the merge base of HEAD and this ref (main)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder to work in (kept); a temporary one otherwise")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="dbt-incremental-"))
    work.mkdir(parents=True, exist_ok=True)
    specs = plan(args.n + args.repeat, mix=MIX)
    landing, spare = work / "reports", work / "spare"
    write_corpus(specs[: args.n], landing)
    (landing / "specs.json").unlink()
    extras = write_corpus(specs[args.n :], spare)
    raw = work / "corpus.duckdb"
    summary = sync_landing_folder(raw, landing)
    print(f"corpus: {summary.parsed} reports parsed; {len(extras)} new reports to add, one per round")

    commit = base_commit(args.base)
    projects = {"base": extract_base_project(commit, work / "base"), "head": copy_working_project(work / "head")}
    figures = {side: measure(side, project, raw, landing, extras, work) for side, project in projects.items()}
    print(f"base: dbt_project at {commit[:12]}; head: the working tree; median of {args.repeat}")
    print(f"{'':28} {'base':>8} {'head':>8}")
    for key in figures["head"]:
        fmt = "{:>8}" if key == "nodes" else "{:>8.2f}"
        print(f"{key:28} " + " ".join(fmt.format(figures[side][key]) for side in ("base", "head")))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
