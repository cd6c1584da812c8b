"""The analyst marts on a generated corpus (bench/corpus.py): 300 reports of both frameworks, most PDUs inspected
two or three times, through the real parser, loader and `dbt build`.

Every expected value is computed here in plain Python from the generator's own specs (ratings, scores,
percentages, PDU, region, month) and the domain facts of docs/domain.md, never read back from the marts:
which question is which theme comes from its position (engagement, desistance, keeping other people safe in
each case-supervision standard), which standard is which from the framework's code list.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.corpus import Spec, load_seeds, plan, write_corpus
from ingestion.rating_scale import RATING_POINTS, RATINGS
from tests.dbt.warehouse_fixtures import Dbt, query

loader = pytest.importorskip("ingestion.load.loader")
pytestmark = pytest.mark.slow

N_REPORTS = 300
POINTS = RATING_POINTS
# DOMAIN.md: the standards of each framework, by code.
STANDARD_KEY = {
    "pdu-2023": {
        "1.1": "leadership",
        "1.2": "staffing",
        "1.3": "services",
        "1.4": "information_and_facilities",
        "2.1": "court_work",
        "2.2": "assessment",
        "2.3": "planning",
        "2.4": "implementation_and_delivery",
        "2.5": "reviewing",
    },
    "pdu-2024": {
        "1.1": "leadership",
        "1.2": "staffing",
        "1.3": "services",
        "2.1": "assessment",
        "2.2": "planning",
        "2.3": "implementation_and_delivery",
        "2.4": "reviewing",
    },
}
CASE_THEMES = ("engagement", "desistance", "keeping_safe")


@dataclass(frozen=True)
class Question:
    standard_key: str
    theme: str
    pct: int


@dataclass(frozen=True)
class Expected:
    """One generated inspection as the specs describe it."""

    inspection_id: str
    pdu: str
    region: str
    published: str  # YYYY-MM
    framework: str
    overall: str
    score_pct: float
    ratings: dict[str, str]  # standard_key -> rating
    questions: tuple[Question, ...]

    @property
    def quarter(self) -> str:
        year, month = self.published.split("-")
        return f"{year}-Q{(int(month) - 1) // 3 + 1}"

    def keeping_safe(self) -> list[int]:
        return [q.pct for q in self.questions if q.theme == "keeping_safe"]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def expected(spec: Spec) -> Expected:
    seed = next(s for s in load_seeds() if s.file == spec.seed)
    keys = STANDARD_KEY[seed.framework]
    pcts = iter(spec.percentages)
    questions = []
    for code, domain, n_questions in seed.standards:  # the generator writes percentages in this order
        if domain >= 2 and n_questions:
            themes = ("court_work",) if n_questions == 1 else CASE_THEMES
            questions += [Question(keys[code], theme, next(pcts)) for theme in themes]
    if seed.has_outcomes_pct:
        questions.append(Question("outcomes", "outcomes", next(pcts)))
    assert next(pcts, None) is None, spec.file_name
    return Expected(
        inspection_id=f"{_slug(spec.pdu)}-{spec.published}",
        pdu=spec.pdu,
        region=spec.region,
        published=spec.published,
        framework=seed.framework,
        overall=spec.overall_rating,
        score_pct=100 * spec.score / spec.max_score,
        ratings={keys[code]: rating for code, rating in spec.ratings.items()},
        questions=tuple(questions),
    )


@pytest.fixture(scope="module")
def inspections() -> list[Expected]:
    return [expected(spec) for spec in plan(N_REPORTS, mix="text:1,markdown:1")]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("generated")
    specs = plan(N_REPORTS, mix="text:1,markdown:1")
    write_corpus(specs, work / "reports")
    summary = loader.sync_landing_folder(work / "probation.duckdb", work / "reports")
    assert summary.parsed == N_REPORTS and not summary.quarantined, summary
    outcome = Dbt(work).invoke(["build"], work / "probation.duckdb")
    assert outcome.success, outcome.failing()
    return work / "probation.duckdb"


def latest_per_pdu(inspections: Iterable[Expected]) -> list[Expected]:
    latest: dict[str, Expected] = {}
    for insp in inspections:
        if insp.pdu not in latest or insp.published > latest[insp.pdu].published:
            latest[insp.pdu] = insp
    return list(latest.values())


def summary(group: list[Expected]) -> tuple:
    """The measures of region_summary / national_trend for one group of inspections."""
    counts = Counter(i.overall for i in group)
    ratings = [r for i in group for r in i.ratings.values()]
    safe = [p for i in group for p in i.keeping_safe()]
    scores = [i.score_pct for i in group]
    return (
        len(group),
        len({i.pdu for i in group}),
        *(counts[r] for r in RATINGS),
        *(pytest.approx(counts[r] / len(group)) for r in RATINGS),
        pytest.approx(statistics.median(scores)),
        pytest.approx(min(scores)),
        pytest.approx(max(scores)),
        len(ratings),
        ratings.count("Inadequate"),
        pytest.approx(ratings.count("Inadequate") / len(ratings)),
        pytest.approx(statistics.median(safe)),
    )


MEASURES = """inspections, pdus_inspected, n_outstanding, n_good, n_requires_improvement, n_inadequate,
    share_outstanding, share_good, share_requires_improvement, share_inadequate, median_score_pct, min_score_pct,
    max_score_pct, standards_rated, standards_inadequate, share_standards_inadequate, median_keeping_safe_pct"""


def test_the_corpus_has_what_the_marts_need(inspections: list[Expected]) -> None:
    assert {i.framework for i in inspections} == {"pdu-2023", "pdu-2024"}
    per_pdu = Counter(i.pdu for i in inspections)
    assert sum(1 for n in per_pdu.values() if n >= 2) >= 100  # re-inspections for almost every PDU
    assert len({i.region for i in inspections}) == 12


def test_region_summary_matches_the_specs(warehouse: Path, inspections: list[Expected]) -> None:
    by_region: dict[str, list[Expected]] = defaultdict(list)
    for insp in latest_per_pdu(inspections):
        by_region[insp.region].append(insp)
    # A region's inspections are its PDUs' latest ones: one per PDU.
    measures = MEASURES.replace("inspections,", "pdus_inspected,", 1)
    rows = query(warehouse, f"select region, {measures} from marts.region_summary order by region")
    assert [r[0] for r in rows] == sorted(by_region)
    for region, *measures in rows:
        assert tuple(measures) == summary(by_region[region]), region
    totals = dict(query(warehouse, "select region, inspections_total from marts.region_summary"))
    assert totals == Counter(i.region for i in inspections)


def test_national_trend_matches_the_specs(warehouse: Path, inspections: list[Expected]) -> None:
    by_quarter: dict[str, list[Expected]] = defaultdict(list)
    for insp in inspections:
        by_quarter[insp.quarter].append(insp)
    rows = query(warehouse, f"select quarter_label, {MEASURES} from marts.national_trend order by quarter_start")
    assert [r[0] for r in rows] == sorted(by_quarter)
    for quarter, *measures in rows:
        assert tuple(measures) == summary(by_quarter[quarter]), quarter


def test_key_question_medians_match_the_specs(warehouse: Path, inspections: list[Expected]) -> None:
    pcts: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for insp in latest_per_pdu(inspections):
        for q in insp.questions:
            pcts[(insp.region, q.standard_key, q.theme)].append(q.pct)
    rows = query(
        warehouse,
        "select region, standard_key, theme, n_percentages, median_pct_yes, min_pct_yes, "
        "max_pct_yes from marts.region_key_questions",
    )
    assert {r[:3] for r in rows} == set(pcts)
    for region, key, theme, n, median, low, high in rows:
        values = pcts[(region, key, theme)]
        assert (n, median, low, high) == (
            len(values),
            pytest.approx(statistics.median(values)),
            min(values),
            max(values),
        ), (region, key, theme)

    national: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for insp in inspections:
        for q in insp.questions:
            national[(insp.quarter, q.standard_key, q.theme)].append(q.pct)
    rows = query(
        warehouse, "select quarter_label, standard_key, theme, median_pct_yes from marts.national_trend_key_questions"
    )
    assert {r[:3] for r in rows} == set(national)
    for quarter, key, theme, median in rows:
        assert median == pytest.approx(statistics.median(national[(quarter, key, theme)])), (quarter, key, theme)


def test_every_percentage_has_its_standard_key_and_theme(warehouse: Path, inspections: list[Expected]) -> None:
    want = Counter((i.inspection_id, q.standard_key, q.theme, q.pct) for i in inspections for q in i.questions)
    got = Counter(query(warehouse, "select inspection_id, standard_key, theme, pct_yes from marts.scores"))
    assert got == want


def test_previous_inspection_links_match_the_specs(warehouse: Path, inspections: list[Expected]) -> None:
    previous: dict[str, Expected | None] = {}
    for pdu in {i.pdu for i in inspections}:
        history = sorted((i for i in inspections if i.pdu == pdu), key=lambda i: i.published)
        previous |= {insp.inspection_id: prev for prev, insp in zip([None, *history], history, strict=False)}
    current = {i.inspection_id: i for i in inspections}
    rows = query(
        warehouse,
        """
        select inspection_id, previous_inspection_id, previous_overall_rating, previous_score_pct, score_pct_change,
            overall_rating_change, n_standards_compared, n_standards_up, n_standards_down, n_standards_same
        from marts.pdu_history""",
    )
    assert {r[0] for r in rows} == set(current)
    for iid, prev_id, prev_overall, prev_pct, change, direction, compared, up, down, same in rows:
        prev, now = previous[iid], current[iid]
        if prev is None:
            assert (prev_id, prev_overall, prev_pct, change, direction, compared, up, down, same) == (None,) * 9, iid
            continue
        both = [k for k in now.ratings if k in prev.ratings]
        steps = [POINTS[now.ratings[k]] - POINTS[prev.ratings[k]] for k in both]
        overall_step = POINTS[now.overall] - POINTS[prev.overall]
        assert (prev_id, prev_overall, prev_pct, change, direction, compared, up, down, same) == (
            prev.inspection_id,
            prev.overall,
            pytest.approx(prev.score_pct),
            pytest.approx(now.score_pct - prev.score_pct),
            "up" if overall_step > 0 else "down" if overall_step < 0 else "same",
            len(both),
            sum(s > 0 for s in steps),
            sum(s < 0 for s in steps),
            sum(s == 0 for s in steps),
        ), iid


def test_standard_changes_across_frameworks(warehouse: Path, inspections: list[Expected]) -> None:
    # A 2023 -> 2024 re-inspection compares assessment (2.2 then 2.1) and has no previous court work.
    rows = query(
        warehouse,
        """
        select h.inspection_id, h.standard_key, h.previous_rating, h.rating
        from marts.pdu_standard_history as h
        join marts.pdu_history as p using (inspection_id)
        where p.previous_framework = 'pdu-2023' and p.framework = 'pdu-2024'""",
    )
    assert rows
    by_id = {i.inspection_id: i for i in inspections}
    previous_of = dict(query(warehouse, "select inspection_id, previous_inspection_id from marts.pdu_history"))
    for iid, key, prev_rating, rating in rows:
        assert rating == by_id[iid].ratings[key]
        assert prev_rating == by_id[previous_of[iid]].ratings[key]
    assert {key for _, key, _, _ in rows} == set(STANDARD_KEY["pdu-2024"].values())


def test_latest_per_pdu_is_the_newest_inspection(warehouse: Path, inspections: list[Expected]) -> None:
    want = {i.pdu: i.inspection_id for i in latest_per_pdu(inspections)}
    assert dict(query(warehouse, "select pdu_name, inspection_id from marts.latest_inspections")) == want


def test_no_recommendation_falls_in_other(warehouse: Path) -> None:
    # The corpus reuses the sample reports' recommendations: every one is tagged by the keyword seed.
    assert query(warehouse, "select count(*) from marts.recommendation_themes where theme = 'other'") == [(0,)]
    assert query(
        warehouse, "select count(distinct (inspection_id, rec_number)) from marts.recommendation_themes"
    ) == query(warehouse, "select count(*) from marts.recommendations")
