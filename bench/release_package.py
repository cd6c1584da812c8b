"""What the data release adds to a publish, at a population size: write the package, diff, validate.

A generated corpus (bench/corpus.py) is loaded into raw tables and built with `dbt build` (the working
tree's dbt project), then published twice with `serving.publish.publish`, the second time after one
percentage and one lead inspector were changed in the working marts. Figures (median of --repeat):
publish with its package against publish without it (write_staged_package replaced by a no-op), write_package
alone on a copy of the version, diff_versions between the two versions, and `frictionless validate` of the
package (a test-side cost, not the pipeline's).

    .venv/bin/python -m bench.release_package [--n 1000] [--repeat 3] [--work DIR]
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

import duckdb

from bench.compare_marts import copy_working_project, dbt_build, write_reports
from ingestion.load.loader import sync_landing_folder
from serving.publish import MART_TABLES, PublishedVersion, publish
from serving.release import package as release
from serving.release.diff import diff_versions
from serving.release.package import DESCRIPTOR, PACKAGE_DIR, write_package

# Each application changes the two values again (the working warehouse is kept between runs with --work).
CHANGE = [
    "UPDATE marts.scores SET pct_yes = CASE WHEN pct_yes = 50 THEN 49 ELSE 100 - pct_yes END WHERE rowid = 0",
    "UPDATE marts.inspections SET lead_inspector = coalesce(lead_inspector, '') || ' (changed)' WHERE rowid = 0",
]


def _timed(action) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="generated reports (1000)")
    parser.add_argument("--mix", default="text:1,markdown:1", help="formats of the corpus (text:1,markdown:1)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder to work in (kept); a temporary one otherwise")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="release-bench-"))
    reports, warehouse = work / "reports", work / "warehouse" / "probation.duckdb"
    if not warehouse.exists():
        write_reports(reports, args.n, args.mix, seed=7)
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        summary = sync_landing_folder(warehouse, reports)
        print(f"corpus: {summary.parsed} parsed, {len(summary.quarantined)} quarantined", flush=True)
        dbt_build(copy_working_project(work), warehouse)
    os.environ["PROBATION_REPORTS_DIR"] = str(reports)
    serving = warehouse.parent
    shutil.rmtree(serving / "versions", ignore_errors=True)
    for link in ("current", "marts.duckdb", "parquet"):
        (serving / link).unlink(missing_ok=True)

    first_s, first = _timed(lambda: publish(warehouse, serving, MART_TABLES, []))
    with duckdb.connect(str(warehouse)) as con:
        for sql in CHANGE:
            con.execute(sql)
    second_s, second = _timed(lambda: publish(warehouse, serving, MART_TABLES, []))
    with_package, without_package, package_s, diff_s = [], [], [], []
    for i in range(args.repeat):
        with_package.append(_timed(lambda: publish(warehouse, serving, MART_TABLES, [], keep=10))[0])
        real, release.write_staged_package = release.write_staged_package, lambda *_: None
        try:
            without_package.append(_timed(lambda: publish(warehouse, serving, MART_TABLES, [], keep=10))[0])
        finally:
            release.write_staged_package = real
        copy = Path(shutil.copytree(second.path, work / f"copy-{i}", ignore=shutil.ignore_patterns(PACKAGE_DIR)))
        package_s.append(_timed(lambda c=copy: write_package(PublishedVersion.load(c), previous=first))[0])
        shutil.rmtree(copy)
        diff_s.append(_timed(lambda: diff_versions(first, second))[0])
    changes = diff_versions(first, second)
    validate_s = None
    try:
        import frictionless

        validate_s, report = _timed(lambda: frictionless.validate(str(second.path / PACKAGE_DIR / DESCRIPTOR)))
        assert report.valid, report.flatten(["type", "note"])
    except ImportError:
        pass
    rows = sum(second.row_counts.values())
    print(f"marts: {second.row_counts['inspections']} inspections, {rows} rows in {len(MART_TABLES)} marts")
    print(f"publish, first version (package, no diff):  {first_s:.2f} s")
    print(f"publish, second version (package + diff):   {second_s:.2f} s")
    print(f"publish with package (median of {args.repeat}):       {statistics.median(with_package):.2f} s")
    print(f"publish without package (median of {args.repeat}):    {statistics.median(without_package):.2f} s")
    print(f"write_package alone (median of {args.repeat}):        {statistics.median(package_s):.2f} s")
    print(
        f"diff_versions alone (median of {args.repeat}):        {statistics.median(diff_s):.2f} s ({len(changes)} changes)"
    )
    print(f"package size: {_size(second.path / PACKAGE_DIR) / 1e6:.1f} MB (Parquet hard-linked, counted once more)")
    if validate_s is not None:
        print(f"frictionless validate (valid):              {validate_s:.2f} s")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
