"""`inspections parse FILE`: one report file -> JSON on stdout.

Exit codes: 0 read completely; 3 read but incomplete (the JSON is still printed, the completeness
problems are in its `warnings` and summarised on stderr); 2 unreadable, with a one-line reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingestion.errors import ReportError
from ingestion.parse import parse_file
from ingestion.parse.validate import completeness_problems

EXIT_COMPLETE, EXIT_UNREADABLE, EXIT_INCOMPLETE = 0, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="report file (.txt, .md, .html or .pdf)")
    parser.add_argument("--compact", action="store_true", help="print JSON on one line")


def run(args: argparse.Namespace) -> int:
    try:
        report = parse_file(args.file)
    except ReportError as error:
        print(f"{args.file}: not a parseable PDU report: {error.reason}", file=sys.stderr)
        return EXIT_UNREADABLE
    print(report.model_dump_json(indent=None if args.compact else 2))
    if problems := completeness_problems(report):
        summary = "; ".join(message for _, message in problems)
        print(f"{args.file}: read but incomplete: {summary}", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_COMPLETE
