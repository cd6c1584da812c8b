"""`inspections` command line: refresh, parse one report, fetch reports, publish or roll back the serving copy."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# subcommand -> module exposing `add_arguments(parser)` and `run(args) -> int`.
# Modules are imported only when their subcommand runs, so `parse` stays fast.
SUBCOMMANDS = {
    "run": ("cli.run", "refresh everything once: parse, build, check, publish (what `make run` does)"),
    "parse": ("ingestion.parse.cli", "parse one report file and print it as JSON"),
    "fetch": ("ingestion.fetch.cli", "download new or changed PDU reports from the website"),
    "serving": ("serving.cli", "list, publish or roll back the BI serving copy"),
    "forget": ("cli.forget", "remove an inspection from the marts on purpose (--undo brings it back)"),
}


def build_parser(argv: list[str]) -> tuple[argparse.ArgumentParser, str | None]:
    parser = argparse.ArgumentParser(prog="inspections", description="HMI Probation PDU inspection reports as tables.")
    sub = parser.add_subparsers(dest="command", required=True)
    chosen = argv[0] if argv and argv[0] in SUBCOMMANDS else None
    for name, (module, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text)
        if name == chosen:
            importlib.import_module(module).add_arguments(sub_parser)
    return parser, chosen


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser, chosen = build_parser(argv)
    args = parser.parse_args(argv)
    module = importlib.import_module(SUBCOMMANDS[chosen or args.command][0])
    try:
        status = int(module.run(args))
        sys.stdout.flush()  # inside the try: a closed pipe must not surface at interpreter exit
        return status
    except BrokenPipeError:
        # The reader went away (`inspections parse FILE | head`): not an error of ours, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
