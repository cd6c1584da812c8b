"""Are the marts the same before and after a change to the dbt project? Build both and compare them.

One generated corpus (bench/corpus.py) is loaded once into raw tables. Two copies of that warehouse are
then built with `dbt build`: one by the dbt project of a base commit (extracted with `git archive`), one by
the working tree's. Every mart of either side is compared: same names, same columns with the same types,
same rows in the same order (exact values, doubles included). The incremental marts (those with rows in
intermediate.incremental_state on either side) append the inspections they rebuild, so their stored order
depends on the history of refreshes: their rows are compared sorted by every column instead. The corpus also holds the cases the
version-ranking and quarantine rules exist for: one inspection in two formats, the three sample reports
and a file that cannot be parsed.

    python -m bench.compare_marts [--base main] [--n 300] [--mix text:4,markdown:3,html:2] [--work DIR]

Prints one line per mart and "identical" at the end, or the differences; exit status 1 when they differ.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import duckdb

from bench.corpus import ROOT, SEED_DIR, plan, write_corpus
from ingestion.load.loader import sync_landing_folder

DEFAULT_MIX = "text:4,markdown:3,html:2"  # PDFs parse ~100x slower and add nothing to a dbt comparison
MARTS = "marts"
STATE_TABLE = "intermediate.incremental_state"  # dbt_project/macros/incremental_inspections.sql
DBT_ENV = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}


def base_commit(ref: str) -> str:
    """The commit the working tree is compared with: the merge base of HEAD and `ref`."""
    out = subprocess.run(["git", "merge-base", "HEAD", ref], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def extract_base_project(commit: str, dest: Path) -> Path:
    """dbt_project/ as it is at `commit`, written under dest."""
    archive = subprocess.run(["git", "archive", commit, "dbt_project"], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "dbt_project"


def copy_working_project(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("target", "logs", ".user.yml")
    return Path(shutil.copytree(ROOT / "dbt_project", dest / "dbt_project", ignore=ignore))


def write_reports(folder: Path, n: int, mix: str, seed: int) -> None:
    """The generated corpus, plus: its first report again in another format (two versions of one
    inspection), the three sample reports, and a file that cannot be parsed (quarantined)."""
    specs = plan(n, seed, mix)
    first = specs[0]
    other_format = "markdown" if first.fmt != "markdown" else "text"
    suffix = {"text": ".txt", "markdown": ".md"}[other_format]
    twin = dataclasses.replace(first, fmt=other_format, file_name=Path(first.file_name).stem + "-copy" + suffix)
    write_corpus([*specs, twin], folder)
    (folder / "specs.json").unlink()
    for sample in sorted(SEED_DIR.glob("*.txt")):
        shutil.copy(sample, folder / f"sample-{sample.name}")
    (folder / "not-a-report.txt").write_text("This file is not an inspection report.\n")


def dbt_build(project: Path, warehouse: Path) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    env = {**os.environ, **DBT_ENV, "PROBATION_WAREHOUSE": str(warehouse)}
    command = [str(dbt), "build", "--project-dir", str(project), "--profiles-dir", str(project), "--quiet"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"dbt build failed for {project}:\n{result.stdout}\n{result.stderr}")


def mart_columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        """select table_name, column_name, data_type from information_schema.columns
           where table_catalog = ? and table_schema = ? order by table_name, ordinal_position""",
        [catalog, MARTS],
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def compare(base_db: Path, head_db: Path) -> list[str]:
    """One line per mart, each starting with "same" or "DIFFERENT"."""
    con = duckdb.connect()
    con.execute(f"attach '{base_db}' as base (read_only)")
    con.execute(f"attach '{head_db}' as head (read_only)")
    base, head = mart_columns(con, "base"), mart_columns(con, "head")
    unordered = incremental_marts(con, "base") | incremental_marts(con, "head")
    lines = []
    for table in sorted(base.keys() | head.keys()):
        if table not in head or table not in base:
            lines.append(f"DIFFERENT {table}: only in {'base' if table in base else 'working tree'}")
        elif base[table] != head[table]:
            lines.append(f"DIFFERENT {table}: columns {base[table]} -> {head[table]}")
        else:
            lines.append(_compare_rows(con, table, sort=table in unordered))
    return lines


def incremental_marts(con: duckdb.DuckDBPyConnection, catalog: str) -> set[str]:
    """The marts built incrementally in an attached warehouse: the models of its incremental state table."""
    found = con.execute(
        "select count(*) from information_schema.tables where table_catalog = ? and table_schema = ? "
        "and table_name = ?",
        [catalog, *STATE_TABLE.split(".")],
    ).fetchone()
    if not found or not found[0]:
        return set()
    return {model for (model,) in con.execute(f"select distinct model from {catalog}.{STATE_TABLE}").fetchall()}


def _compare_rows(con: duckdb.DuckDBPyConnection, table: str, sort: bool = False) -> str:
    # Fetched in stored order: the full-table marts are written sorted, so their order is part of what is
    # compared. An incremental mart's order is not: it is sorted by every column (1, 2, ... n).
    order = ""
    if sort:
        n_columns = len(con.execute(f'select * from base.{MARTS}."{table}" limit 0').description)
        order = " order by " + ", ".join(f"{i} nulls first" for i in range(1, n_columns + 1))
    before = con.execute(f'select * from base.{MARTS}."{table}"{order}').fetchall()
    after = con.execute(f'select * from head.{MARTS}."{table}"{order}').fetchall()
    if len(before) != len(after):
        return f"DIFFERENT {table}: {len(before)} rows -> {len(after)} rows"
    for number, (old, new) in enumerate(zip(before, after, strict=True), start=1):
        if old != new:
            return f"DIFFERENT {table}: row {number} {old} -> {new}"
    return f"same      {table}: {len(before)} rows"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="compare with the merge base of HEAD and this ref (main)")
    parser.add_argument("--n", type=int, default=300, help="generated reports (300)")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"format weights ({DEFAULT_MIX})")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="folder to work in (kept); a temporary one otherwise")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="compare-marts-"))
    work.mkdir(parents=True, exist_ok=True)
    commit = base_commit(args.base)
    # Not "raw.duckdb": a catalog named raw would clash with the raw schema.
    reports, raw = work / "reports", work / "corpus.duckdb"
    write_reports(reports, args.n, args.mix, args.seed)
    summary = sync_landing_folder(raw, reports)
    print(
        f"corpus: {summary.parsed} parsed, {len(summary.quarantined)} quarantined ({args.n} generated, mix {args.mix})"
    )

    builds = {"base": extract_base_project(commit, work / "base"), "head": copy_working_project(work / "head")}
    for side, project in builds.items():
        shutil.copy(raw, work / f"{side}.duckdb")
        dbt_build(project, work / f"{side}.duckdb")
    print(f"base: {commit[:12]} dbt_project; working tree: {ROOT / 'dbt_project'}")

    lines = compare(work / "base.duckdb", work / "head.duckdb")
    print("\n".join(lines))
    differing = [line for line in lines if not line.startswith("same")]
    print("identical" if not differing else f"{len(differing)} of {len(lines)} marts differ")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
