"""Text extraction time against file size: one paragraph without blank lines (issue 12's repro).

    .venv/bin/python bench/text_scaling.py [--sizes 1 2 4 50]

Writes `yes "The inspection found ..." | head -c N` files to a temporary folder and times the text
extractor alone (in this process), then `inspections parse FILE` (interpreter start-up included) with
the size limit raised so that the 50 MB file is read rather than refused, and with the default limits.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingestion.extract.text import extract_text  # noqa: E402

LINE = b"The inspection found that the unit should improve its work.\n"
CLI = [str(Path(sys.executable).parent / "inspections"), "parse"]


def _write(path: Path, size: int) -> None:
    block = LINE * 20_000
    with path.open("wb") as out:
        while out.tell() < size:
            out.write(block)
        out.truncate(size)


def _time(path: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run([*CLI, str(path)], env=env, capture_output=True, text=True, cwd=ROOT)
    reason = done.stderr.strip().rsplit(": ", 1)[-1] if done.returncode else "parsed"
    return time.monotonic() - started, reason


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 50], help="sizes in MB (10^6 bytes)")
    args = parser.parse_args()
    print("| size | extract_text | parse, limits raised | parse, default limits | outcome with default limits |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in args.sizes:
            path = Path(tmp) / f"b{megabytes:g}.txt"
            _write(path, int(megabytes * 1e6))
            started = time.monotonic()
            extract_text(path.read_bytes())
            extract = time.monotonic() - started
            raised, _ = _time(path, os.environ | {"PROBATION_MAX_FILE_MB": "1000"})
            default, outcome = _time(path, {k: v for k, v in os.environ.items() if not k.startswith("PROBATION_")})
            print(f"| {megabytes:g} MB | {extract:.3f} s | {raised:.2f} s | {default:.2f} s | {outcome} |")
            path.unlink()


if __name__ == "__main__":
    main()
