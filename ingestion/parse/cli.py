"""`inspections parse FILE`: one report file -> JSON on stdout.

Exit codes: 0 read completely and passing the gate; 3 read but held back by the gate (incomplete,
misread or breaking a domain rule: the JSON is still printed, the problems are in its `warnings`, and
stderr gives the reason the pipeline's quarantine would give, from the same function); 2 unreadable,
with a one-line reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ingestion.errors import ReportError
from ingestion.parse import parse_file
from ingestion.parse.validate import quarantine_reason

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
    if reason := quarantine_reason(report):
        print(f"{args.file}: read but not publishable: {reason}", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_COMPLETE
