"""The rating scale, read from its one source: the dbt seed `dbt_project/seeds/rating_scale.csv`.

The four published ratings, the points each adds to the score, the lowest key-question percentage of each band
and the overall score band edges are written once, in that file. dbt loads it as `reference.rating_scale`; the
parser, the report model, the GX suites, the dashboard and the test fixtures read it through this module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from config.settings import DBT_PROJECT_DIR

SEED = DBT_PROJECT_DIR / "seeds" / "rating_scale.csv"


@dataclass(frozen=True)
class ScaleStep:
    rating: str
    points: int
    band_floor_pct: int  # lowest key-question "% Yes" in this rating's band
    score_ceiling_per_standard: float  # highest score per rated standard that still gets this overall rating


def _read_scale() -> tuple[ScaleStep, ...]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        steps = [
            ScaleStep(
                row["rating"], int(row["points"]), int(row["band_floor_pct"]), float(row["score_ceiling_per_standard"])
            )
            for row in csv.DictReader(handle)
        ]
    steps.sort(key=lambda step: step.points, reverse=True)
    # Every rule below relies on the scale rising together: more points, higher band floor and score ceiling.
    for better, worse in zip(steps, steps[1:], strict=False):
        if not (
            better.band_floor_pct > worse.band_floor_pct
            and better.score_ceiling_per_standard > worse.score_ceiling_per_standard
        ):
            raise ValueError(
                f"{SEED}: {better.rating} must have a higher band floor and score ceiling than {worse.rating}"
            )
    return tuple(steps)


SCALE = _read_scale()  # best rating first
RATINGS = tuple(step.rating for step in SCALE)
RATING_POINTS = {step.rating: step.points for step in SCALE}
PCT_BANDS = tuple((step.band_floor_pct, step.rating) for step in SCALE)  # highest floor first


def band_for_pct(pct: int) -> str:
    """The rating band of a standard whose lowest key-question percentage is `pct`."""
    return next(rating for floor, rating in PCT_BANDS if pct >= floor)


def overall_band(score: int, n_standards: int) -> str:
    """Overall rating implied by the score: a pattern consistent with every observed report."""
    for step in reversed(SCALE):
        if score <= step.score_ceiling_per_standard * n_standards:
            return step.rating
    return SCALE[0].rating


def pct_band_ranges() -> list[tuple[int, int, str]]:
    """(from, below, rating) of each percentage band, lowest first: what charts shade."""
    floors = [(step.band_floor_pct, step.rating) for step in reversed(SCALE)]
    return [(low, floors[i + 1][0] if i + 1 < len(floors) else 100, rating) for i, (low, rating) in enumerate(floors)]
