"""Milliseconds per PDF report: the benchmark corpus's PDFs and every producer of the PDF matrix.

    .venv/bin/python -m bench.pdf_parse_speed [--n 20] [--repeat 3]

Each file is parsed (extract + parse) `repeat` times and the best CPU time of the process is kept (the
machine is shared: wall time varies by +-50% between runs, CPU time far less); the figure per group is
the mean over its files. docs/pdf-extraction.md records the result before and after a layout change.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.corpus import plan, write_corpus
from ingestion.errors import ReportError
from ingestion.parse import parse_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "pdf"


def best_ms(path: Path, data: bytes, repeat: int) -> tuple[float, bool]:
    """Best time in ms, and whether the file parsed (an older parser may reject a producer's PDF)."""
    times, parsed = [], True
    for _ in range(repeat):
        started = time.process_time()
        try:
            parse_bytes(path, data)
        except ReportError:
            parsed = False
        times.append(time.process_time() - started)
    return 1000 * min(times), parsed


def mean_ms(paths: list[Path], repeat: int) -> str:
    results = [best_ms(p, p.read_bytes(), repeat) for p in paths]
    failed = sum(not ok for _, ok in results)
    note = f" ({failed} not parsed)" if failed else ""
    return f"{sum(ms for ms, _ in results) / len(results):7.0f} ms/report{note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="benchmark corpus PDFs (as in `make bench`)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(plan(args.n, 7, "pdf:1"), Path(tmp))
        parse_bytes(corpus[0], corpus[0].read_bytes())  # warm-up: PDFium's import is a once-per-process cost
        print(f"{'bench corpus (reportlab)':<28} {len(corpus):>3} files {mean_ms(corpus, args.repeat)}")
    for producer in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name != "text"):
        files = sorted(producer.glob("*.pdf"))
        print(f"{producer.name:<28} {len(files):>3} files {mean_ms(files, args.repeat)}")


if __name__ == "__main__":
    main()
