"""The rating scale has one source, the `rating_scale` seed: the parser, model, checks and dashboard read it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pydantic import ValidationError

from ingestion import rating_scale
from ingestion.model import Standard
from ingestion.parse.domain import RATING_PATTERN

SEED = rating_scale.SEED


def test_values_are_the_seeds() -> None:
    with SEED.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["rating"]: int(row["points"]) for row in rows} == rating_scale.RATING_POINTS
    assert rating_scale.RATINGS == ("Outstanding", "Good", "Requires improvement", "Inadequate")


@pytest.mark.parametrize(
    ("pct", "band"),
    [
        (0, "Inadequate"),
        (49, "Inadequate"),
        (50, "Requires improvement"),
        (64, "Requires improvement"),
        (65, "Good"),
        (79, "Good"),
        (80, "Outstanding"),
        (100, "Outstanding"),
    ],
)
def test_percentage_bands(pct: int, band: str) -> None:
    assert rating_scale.band_for_pct(pct) == band


@pytest.mark.parametrize(
    ("score", "n", "band"),
    [
        (3, 7, "Inadequate"),
        (4, 7, "Requires improvement"),
        (10, 7, "Requires improvement"),
        (11, 7, "Good"),
        (17, 7, "Good"),
        (18, 7, "Outstanding"),
        (22, 9, "Good"),
        (23, 9, "Outstanding"),
    ],
)
def test_overall_score_bands(score: int, n: int, band: str) -> None:
    assert rating_scale.overall_band(score, n) == band


def test_the_model_and_the_parser_accept_exactly_the_seeds_words() -> None:
    Standard(code="1.1", name="Leadership", domain=1, rating="Requires improvement")
    with pytest.raises(ValidationError):
        Standard(code="1.1", name="Leadership", domain=1, rating="Excellent")
    assert RATING_PATTERN.search("rated Requires\nimprovement").group(1) == "Requires\nimprovement"


def test_a_seed_out_of_order_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "rating_scale.csv"
    broken.write_text(SEED.read_text().replace("Good,2,65,", "Good,2,45,"))
    monkeypatch.setattr(rating_scale, "SEED", broken)
    with pytest.raises(ValueError, match="Good must have a higher band floor"):
        rating_scale._read_scale()


def test_no_other_python_module_spells_out_the_scale() -> None:
    root = Path(__file__).resolve().parents[2]
    copies = [
        str(path.relative_to(root))
        for folder in ("config", "ingestion", "expectations", "serving", "orchestration", "cli")
        for path in (root / folder).rglob("*.py")
        if '"Requires improvement": 1' in path.read_text() or "(80, " in path.read_text()
    ]
    assert not copies
