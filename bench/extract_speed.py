"""Pages per second and table accuracy of each PDF library on the seed-derived fixture PDFs.

    .venv/bin/python bench/extract_speed.py [--repeat N]

Renders every seed report with both fixture producers (tests/extract/builders.py), then for
each library: reads the positioned words (backend only) and runs the whole extractor, timing
both, and checks the rebuilt table rows (ratings and key questions) against the text version.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingestion.document import BlockKind  # noqa: E402
from ingestion.extract.pdf import Backend, extract_pdf  # noqa: E402
from ingestion.extract.pdf_backends import Budget, pdfium_pages, pdfplumber_pages  # noqa: E402
from tests.extract import builders  # noqa: E402

BACKENDS: dict[str, Backend] = {"pypdfium2": pdfium_pages, "pdfplumber": pdfplumber_pages}


def _rows(blocks) -> list[tuple[str, ...]]:
    return [tuple(c for c in b.cells if c) for b in blocks if b.kind is BlockKind.TABLE_ROW]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per file (the best is kept)")
    args = parser.parse_args()

    fixtures = []
    for seed in builders.seed_paths():
        doc = builders.seed_document(seed)
        for producer, build in (("reportlab", builders.build_reportlab_pdf), ("fpdf2", builders.build_fpdf_pdf)):
            fixtures.append((f"{seed.stem} ({producer})", build(doc), doc))

    print(
        f"{'library':<11} {'file':<52} {'pages':>5} {'words p/s':>10} {'extract p/s':>11} {'rows ok':>9} {'blocks':>7}"
    )
    totals: dict[str, list[float]] = {name: [0, 0.0, 0.0, 0, 0] for name in BACKENDS}
    for name, backend in BACKENDS.items():
        for label, data, text_doc in fixtures:
            words_s = _best(args.repeat, lambda b=backend, d=data: b(d, Budget(200, 600)))
            extract_s = _best(args.repeat, lambda b=backend, d=data: extract_pdf(d, backend=b))
            pages = len(backend(data, Budget(200, 600)))
            got = extract_pdf(data, backend=backend)
            expected_rows, got_rows = _rows(text_doc.blocks), _rows(got.blocks)
            ok_rows = sum(r in got_rows for r in expected_rows)
            same = builders.comparable(got.blocks) == builders.comparable(text_doc.blocks)
            t = totals[name]
            t[0] += pages
            t[1] += words_s
            t[2] += extract_s
            t[3] += ok_rows
            t[4] += len(expected_rows)
            print(
                f"{name:<11} {label:<52} {pages:>5} {pages / words_s:>10.1f} {pages / extract_s:>11.1f} "
                f"{ok_rows:>4}/{len(expected_rows):<4} {'equal' if same else 'DIFF':>7}"
            )
    print()
    for name, (pages, words_s, extract_s, ok, n) in totals.items():
        print(
            f"{name:<11} total {int(pages)} pages: words {pages / words_s:.1f} p/s, "
            f"full extract {pages / extract_s:.1f} p/s, table rows {int(ok)}/{int(n)}"
        )


def _best(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


if __name__ == "__main__":
    main()
