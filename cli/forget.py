"""`inspections forget`: remove an inspection from the marts on purpose, list the removals, take one back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from config.locks import RefreshAlreadyRunning, refresh_lock
from config.settings import warehouse_path
from ingestion.load.forget import UnknownInspection, forget, forgotten, remember


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Remove an inspection from the marts on purpose (files that leave the landing folder, or whose new "
        "version cannot be read, keep their inspection). Recorded in raw.forgotten_inspections; the next "
        "refresh that builds the marts leaves it out. Nothing is deleted: --undo brings it back."
    )
    parser.add_argument("inspection_id", nargs="?", help="the marts' inspection_id, e.g. doncaster-2024-10")
    parser.add_argument("--reason", default=None, help="why it is removed (kept with the record)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--undo", action="store_true", help="take back the removal of INSPECTION_ID")
    action.add_argument("--list", action="store_true", help="list the forgotten inspections")
    parser.add_argument("--warehouse", type=Path, default=None, help="working warehouse (default: PROBATION_WAREHOUSE)")


def run(args: argparse.Namespace) -> int:
    warehouse: Path = args.warehouse or warehouse_path()
    if not args.list and not args.inspection_id:
        print("error: name the INSPECTION_ID (or --list)", file=sys.stderr)
        return 2
    if not warehouse.exists():
        print(f"error: no warehouse at {warehouse}", file=sys.stderr)
        return 1
    try:
        # Never written during a refresh: the refresh reads the table while it builds the marts.
        with refresh_lock(warehouse), duckdb.connect(str(warehouse)) as con:
            return _act(con, args)
    except RefreshAlreadyRunning as busy:
        print(f"error: {busy}; try again when it has finished (nothing was changed)", file=sys.stderr)
        return 75


def _act(con: duckdb.DuckDBPyConnection, args: argparse.Namespace) -> int:
    if args.list:
        entries = forgotten(con)
        for entry in entries:
            print(f"{entry.inspection_id}\tforgotten at {entry.forgotten_at:%Y-%m-%d %H:%M}\t{entry.reason or ''}")
        if not entries:
            print("no forgotten inspections")
        return 0
    try:
        if args.undo:
            entry = remember(con, args.inspection_id)
            print(f"{entry.inspection_id}: no longer forgotten; the next refresh that builds the marts brings it back")
            return 0
        entry = forget(con, args.inspection_id, args.reason)
    except UnknownInspection as unknown:
        where = "among the forgotten inspections" if args.undo else "in marts.inspections"
        print(f"error: no inspection {unknown} {where}", file=sys.stderr)
        return 1
    print(
        f"{entry.inspection_id}: forgotten since {entry.forgotten_at:%Y-%m-%d %H:%M}"
        f"{f' ({entry.reason})' if entry.reason else ''}; the next refresh that builds the marts leaves it out"
    )
    return 0
