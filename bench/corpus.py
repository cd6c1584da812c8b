"""Benchmark corpus: N realistic report files made by varying the three sample reports.

Each generated inspection gets a real PDU and its region (bench/pdus.py), a publication month
that no other generated inspection of that PDU shares, a fieldwork start 2-3 months earlier,
and new key-question percentages. Ratings follow the domain rules (docs/domain.md): a
case-supervision standard's rating is the band of its lowest percentage, the score is the sum of
the points and the overall rating is the score's band. So a generated file parses without any
domain-rule warning, and its expected values are known (`Spec`) for the tests to compare.

Formats: text (tab tables, .txt), markdown (pipe tables, .md), and, through the fixture builders
of tests/extract/builders.py, new-site HTML and PDF (reportlab).

    python -m bench.corpus --n 100 --out /tmp/corpus [--mix text:4,markdown:3,html:2,pdf:1] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from bench import seed_text
from bench.pdus import PDUS, Pdu
from ingestion.parse import parse_file
from ingestion.rating_scale import RATING_POINTS, band_for_pct, overall_band

ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = ROOT / "data" / "reports"
GENERATOR_VERSION = 1  # bump when the output changes, so cached corpora are rebuilt
DEFAULT_MIX = "text:4,markdown:3,html:2,pdf:1"
SUFFIXES = {"text": ".txt", "markdown": ".md", "html": ".html", "pdf": ".pdf"}
# Publication months on offer, and the framework in force: the 2024 framework replaced the 2023 one mid-2024.
FIRST_MONTH, LAST_MONTH, FRAMEWORK_2024_FROM = (2021, 7), (2026, 12), (2024, 7)
# Spellings of a seed's PDU inside its own text that must change along with the name.
SEED_ALIASES = {"Portsmouth and the Isle of Wight": ("Portsmouth and Isle of Wight",)}
POINT_RATINGS = {points: rating for rating, points in RATING_POINTS.items()}


@dataclass(frozen=True)
class Seed:
    """What a sample report says, read once with the real parser."""

    file: str
    pdu: str
    region: str
    framework: str
    standards: tuple[tuple[str, int, int], ...]  # (code, domain, number of key questions)
    has_outcomes_pct: bool


@dataclass(frozen=True)
class Spec:
    """One generated report and the values a correct parse must return."""

    index: int
    file_name: str
    fmt: str
    seed: str
    pdu: str
    region: str
    published: str  # YYYY-MM
    fieldwork_start_date: str  # YYYY-MM-DD
    overall_rating: str
    score: int
    max_score: int
    ratings: dict[str, str]
    percentages: list[int]


@cache
def load_seeds() -> tuple[Seed, ...]:
    seeds = []
    for path in sorted(SEED_DIR.glob("*.txt")):
        report = parse_file(path)
        standards = tuple((s.code, s.domain, len(s.key_questions)) for s in report.standards)
        seeds.append(
            Seed(path.name, report.pdu, report.region or "", report.framework, standards, report.outcomes is not None)
        )
    return tuple(seeds)


def _months() -> list[tuple[int, int]]:
    (year, month), out = FIRST_MONTH, []
    while (year, month) <= LAST_MONTH:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def format_cycle(mix: str) -> list[str]:
    """'text:4,pdf:1' -> formats spread evenly over a cycle of 5, so any prefix of a corpus is mixed."""
    weights = {name: int(weight) for name, weight in (part.split(":") for part in mix.split(","))}
    unknown = set(weights) - set(SUFFIXES)
    if unknown:
        raise ValueError(f"unknown formats in mix: {sorted(unknown)} (known: {sorted(SUFFIXES)})")
    slots = [((k + 0.5) / w, name) for name, w in weights.items() for k in range(w)]
    return [name for _, name in sorted(slots)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _scores(seed: Seed, rng: random.Random) -> tuple[dict[str, str], list[int]]:
    """Percentages around one quality level per report; ratings from the domain rules."""
    level = rng.uniform(35, 90)
    ratings: dict[str, str] = {}
    percentages: list[int] = []
    for code, domain, n_questions in seed.standards:
        if domain >= 2 and n_questions:
            pcts = [min(99, max(5, round(rng.gauss(level, 10)))) for _ in range(n_questions)]
            percentages += pcts
            ratings[code] = band_for_pct(min(pcts))
    supervision = [RATING_POINTS[r] for r in ratings.values()] or [1]
    base = sum(supervision) / len(supervision)
    for code, _, _ in seed.standards:
        if code not in ratings:  # organisational standards: near the case work, a little better on average
            ratings[code] = POINT_RATINGS[min(3, max(0, round(base + rng.gauss(0.4, 0.7))))]
    if seed.has_outcomes_pct:
        percentages.append(min(99, max(5, round(rng.gauss(level - 10, 10)))))
    return ratings, percentages


def plan(n: int, seed: int = 7, mix: str = DEFAULT_MIX) -> list[Spec]:
    """Specs of reports 0..n-1; report k is the same whatever n is, so corpora nest."""
    months = _months()
    if n > len(PDUS) * len(months):
        raise ValueError(f"at most {len(PDUS) * len(months)} distinct (PDU, month) inspections")
    order = list(PDUS)
    random.Random(seed).shuffle(order)
    # Each PDU walks its own shuffled list of months: (PDU, published month) never repeats.
    month_lists = {pdu: random.Random(f"{seed}:{pdu.name}").sample(months, len(months)) for pdu in order}
    cycle = format_cycle(mix)
    seeds = load_seeds()
    return [
        _spec(i, order[i % len(order)], month_lists[order[i % len(order)]][i // len(order)], cycle, seeds, seed)
        for i in range(n)
    ]


def _spec(i: int, pdu: Pdu, published: tuple[int, int], cycle: list[str], seeds: tuple[Seed, ...], seed: int) -> Spec:
    rng = random.Random(f"{seed}:{i}")
    framework = "pdu-2024" if published >= FRAMEWORK_2024_FROM else "pdu-2023"
    base = rng.choice([s for s in seeds if s.framework == framework])
    ratings, percentages = _scores(base, rng)
    score = sum(RATING_POINTS[r] for r in ratings.values())
    fy, fm = _shift_months(*published, -rng.choice((2, 3)))
    fmt = cycle[i % len(cycle)]
    return Spec(
        index=i,
        file_name=f"{i:05d}-{_slug(pdu.name)}-{published[0]}-{published[1]:02d}{SUFFIXES[fmt]}",
        fmt=fmt,
        seed=base.file,
        pdu=pdu.name,
        region=pdu.region,
        published=f"{published[0]}-{published[1]:02d}",
        fieldwork_start_date=f"{fy}-{fm:02d}-{rng.randint(1, 28):02d}",
        overall_rating=overall_band(score, len(ratings)),
        score=score,
        max_score=3 * len(ratings),
        ratings=ratings,
        percentages=percentages,
    )


def report_text(spec: Spec) -> str:
    """The spec's report as converted text, in the seed's own table layout."""
    seed = next(s for s in load_seeds() if s.file == spec.seed)
    names = {seed.pdu: spec.pdu, seed.region: spec.region}
    names |= dict.fromkeys(SEED_ALIASES.get(seed.pdu, ()), spec.pdu)
    fy, fm, fd = (int(part) for part in spec.fieldwork_start_date.split("-"))
    year, month = (int(part) for part in spec.published.split("-"))
    values = seed_text.Values(
        names,
        (year, month),
        (fy, fm, fd),
        spec.overall_rating,
        spec.score,
        spec.max_score,
        spec.ratings,
        spec.percentages,
    )
    return seed_text.rewrite(_seed_text(seed.file), values)


@cache
def _seed_text(file: str) -> str:
    return (SEED_DIR / file).read_text(encoding="utf-8")


def render(spec: Spec) -> bytes:
    text = report_text(spec)
    if spec.fmt == "text":
        return seed_text.to_tab_tables(text).encode()
    if spec.fmt == "markdown":
        return seed_text.to_pipe_tables(seed_text.to_tab_tables(text)).encode()
    # HTML and PDF come from the fixture builders: the same renderers the extractor tests use.
    from ingestion.extract.text import extract_text
    from tests.extract import builders

    document = extract_text(text.encode())
    if spec.fmt == "html":
        return builders.build_site_html(document).encode()
    return builders.build_reportlab_pdf(document)


def write_corpus(specs: list[Spec], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in specs:
        path = out / spec.file_name
        if not path.exists():  # corpora nest: a larger one reuses the files already written
            path.write_bytes(render(spec))
        paths.append(path)
    (out / "specs.json").write_text(json.dumps([asdict(s) for s in specs], indent=1))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, required=True, help="number of reports")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created)")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"format weights (default {DEFAULT_MIX})")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = write_corpus(plan(args.n, args.seed, args.mix), args.out)
    print(f"{len(paths)} reports in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
