"""What loading the Dagster code location imports, and what each import costs.

    python -m bench.startup_imports [--runs 3] [--top 12]

Runs `python -X importtime -c "import orchestration.definitions"` in fresh interpreters and prints the median
wall time of the import and the heaviest top-level packages (time spent in their own modules: the rows add up),
then checks that the packages a refresh that changes nothing never needs (GX, pandas, dbt's runner) are not
among them.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict

from bench.measure import ROOT

TARGET = "orchestration.definitions"
# Loaded only by the steps that need them: a no-op refresh (nothing changed) must not pay for them.
DEFERRED = ("great_expectations", "pandas", "dbt.cli.main")
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_profile() -> tuple[float, dict[str, int]]:
    """Wall seconds of one fresh import, and microseconds spent in each top-level package's own modules."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {TARGET}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - started
    packages: dict[str, int] = defaultdict(int)
    for line in done.stderr.splitlines():
        if match := _LINE.match(line):
            packages[match.group(4).split(".")[0]] += int(match.group(1))  # self time: the sum is the total
    return wall, dict(packages)


def loaded_modules() -> set[str]:
    code = f"import sys, {TARGET}; print('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    profiles = [import_profile() for _ in range(args.runs)]
    wall = statistics.median(p[0] for p in profiles)
    totals: dict[str, list[int]] = defaultdict(list)
    for _, packages in profiles:
        for name, micros in packages.items():
            totals[name].append(micros)
    print(f"import {TARGET} in a fresh interpreter: {wall:.2f} s (median of {args.runs}, interpreter start included)")
    print("| package | ms in its own modules (median) |\n|---|---|")
    ranked = sorted(totals.items(), key=lambda item: -statistics.median(item[1]))
    for name, micros in ranked[: args.top]:
        print(f"| {name} | {statistics.median(micros) / 1000:.0f} |")
    loaded = loaded_modules()
    leaked = [name for name in DEFERRED if name in loaded]
    print("deferred until a step needs them: " + ", ".join(DEFERRED))
    if leaked:
        print("NOT deferred (loaded with the definitions): " + ", ".join(leaked))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
