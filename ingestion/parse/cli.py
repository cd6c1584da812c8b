"""`inspections parse FILE`: one report file -> JSON on stdout; exit 2 with a one-line reason otherwise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingestion.errors import ReportError
from ingestion.parse import parse_file


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="report file (.txt, .md, .html or .pdf)")
    parser.add_argument("--compact", action="store_true", help="print JSON on one line")


def run(args: argparse.Namespace) -> int:
    try:
        report = parse_file(args.file)
    except ReportError as error:
        print(f"{args.file}: not a parseable PDU report: {error.reason}", file=sys.stderr)
        return 2
    print(report.model_dump_json(indent=None if args.compact else 2))
    return 0
