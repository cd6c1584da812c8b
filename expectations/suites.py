"""The GX suites: for each check, the DuckDB query that shapes the rows to judge and the expectations on them.

Cross-row rules are computed in SQL first (sums, counts, expected numbering), so every expectation is a
plain per-row or per-column GX expectation and the offending rows can be reported as they are.
Check names are the keys of expectations/policy.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from ingestion import rating_scale

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation

def _gx() -> ModuleType:
    # Imported when a suite is built, not when the definitions load: GX takes seconds to import.
    import great_expectations

    return great_expectations


RATINGS = list(rating_scale.RATINGS)  # the rating_scale seed, read by ingestion.rating_scale

# Current parsed versions only: raw history is immutable, a bad old version must not block forever.
_CURRENT_VERSIONS = "select distinct content_sha256 from raw.report_files where status = 'parsed'"


@dataclass(frozen=True)
class Suite:
    check: str  # policy key, also the Dagster asset-check name
    schema: str  # the table the check is attached to
    table: str
    description: str
    sql: str  # the frame to validate
    expectations: Callable[[], list[Expectation]]  # built fresh per run: GX binds expectations to one suite
    asset_check_name: str | None = None  # Dagster name when "gx_<check>" is not wanted

    @property
    def asset(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def dagster_name(self) -> str:
        """Unique per asset; the "gx_" prefix keeps clear of dagster-dbt's checks named after dbt tests."""
        return self.asset_check_name or f"gx_{self.check}"


def _between_0_100(column: str) -> Callable[[], list[Expectation]]:
    return lambda: [_gx().expectations.ExpectColumnValuesToBeBetween(column=column, min_value=0, max_value=100)]


def _pair_equal(a: str, b: str) -> Callable[[], list[Expectation]]:
    return lambda: [_gx().expectations.ExpectColumnPairValuesToBeEqual(column_A=a, column_B=b)]


SUITES: tuple[Suite, ...] = (
    # --- raw (before dbt: stops a bad parse early) ---
    Suite(
        check="pct_within_0_100",
        schema="raw",
        table="key_questions",
        description="Every key-question percentage of the current versions is within 0-100.",
        sql=f"""
            select q.content_sha256, q.standard_code, q.number, q.pct_yes
            from raw.key_questions as q
            where q.content_sha256 in ({_CURRENT_VERSIONS})
            order by q.content_sha256, q.standard_code, q.number
        """,
        expectations=_between_0_100("pct_yes"),
    ),
    Suite(
        check="rating_in_scale",
        schema="raw",
        table="standards",
        description="Every published and band rating of the current versions is one of the four ratings.",
        sql=f"""
            select s.content_sha256, s.code, s.rating, s.band_rating
            from raw.standards as s
            where s.content_sha256 in ({_CURRENT_VERSIONS})
            order by s.content_sha256, s.position
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToNotBeNull(column="rating"),
            _gx().expectations.ExpectColumnValuesToBeInSet(column="rating", value_set=RATINGS),
            _gx().expectations.ExpectColumnValuesToBeInSet(column="band_rating", value_set=RATINGS),
        ],
    ),
    Suite(
        check="quarantine_is_empty",
        schema="raw",
        table="reports",
        description="No file of the landing folder is currently quarantined (unparseable files are listed).",
        sql="""
            select q.file_path, q.content_sha256, q.reason, q.quarantined_at
            from raw.quarantine as q
            inner join raw.report_files as f
                on f.file_path = q.file_path and f.content_sha256 = q.content_sha256
            where f.status = 'quarantined' and f.present
            order by q.file_path
        """,
        expectations=lambda: [_gx().expectations.ExpectTableRowCountToEqual(value=0)],
        asset_check_name="quarantine_is_empty",
    ),
    # --- marts (the BI contract) ---
    Suite(
        check="pct_within_0_100",
        schema="marts",
        table="scores",
        description="Every key-question percentage is within 0-100.",
        sql="select inspection_id, standard_code, question_number, pct_yes from marts.scores",
        expectations=_between_0_100("pct_yes"),
    ),
    Suite(
        check="at_most_10_rated_standards",
        schema="marts",
        table="ratings",
        description="No inspection has more than 10 rated standards.",
        sql="select inspection_id, count(*)::integer as n_rated from marts.ratings group by inspection_id order by 1",
        expectations=lambda: [_gx().expectations.ExpectColumnValuesToBeBetween(column="n_rated", max_value=10)],
    ),
    Suite(
        check="rating_in_scale",
        schema="marts",
        table="ratings",
        description="Published and band ratings are one of the four ratings, with the scale's points.",
        sql="""
            select r.inspection_id, r.standard_code, r.rating, r.band_rating, r.rating_points,
                s.points::integer as scale_points
            from marts.ratings as r
            left join reference.rating_scale as s on s.rating = r.rating
            order by 1, 2
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToBeInSet(column="rating", value_set=RATINGS),
            _gx().expectations.ExpectColumnValuesToBeInSet(column="band_rating", value_set=RATINGS),
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="rating_points", column_B="scale_points", ignore_row_if="neither"
            ),
        ],
    ),
    Suite(
        check="band_rating_matches_published_rating",
        schema="marts",
        table="ratings",
        description="The band of the lowest percentage equals the published rating unless discretion is flagged.",
        sql="""
            select inspection_id, standard_code, rating, band_rating, lowest_pct_yes
            from marts.ratings
            where band_rating is not null and not coalesce(discretion_applied, false)
            order by 1, 2
        """,
        expectations=_pair_equal("rating", "band_rating"),
    ),
    Suite(
        check="inspection_id_unique",
        schema="marts",
        table="inspections",
        description="One row per inspection id.",
        sql="select inspection_id, pdu_name, published_month, source_file from marts.inspections order by 1",
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToNotBeNull(column="inspection_id"),
            _gx().expectations.ExpectColumnValuesToBeUnique(column="inspection_id"),
        ],
    ),
    Suite(
        check="score_equals_sum_of_points",
        schema="marts",
        table="inspections",
        description="The score equals the sum of the rated standards' points.",
        sql="""
            select i.inspection_id, i.score, coalesce(sum(r.rating_points), 0)::integer as points_total
            from marts.inspections as i
            left join marts.ratings as r on r.inspection_id = i.inspection_id
            group by i.inspection_id, i.score
            order by 1
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToNotBeNull(column="score"),
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="score", column_B="points_total", ignore_row_if="neither"
            ),
        ],
    ),
    Suite(
        check="max_score_is_3x_rated",
        schema="marts",
        table="inspections",
        description="max_score is 3 x the number of rated standards.",
        sql="""
            select i.inspection_id, i.max_score, (3 * count(r.standard_code))::integer as expected_max_score
            from marts.inspections as i
            left join marts.ratings as r on r.inspection_id = i.inspection_id
            group by i.inspection_id, i.max_score
            order by 1
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="max_score", column_B="expected_max_score", ignore_row_if="neither"
            )
        ],
    ),
    Suite(
        check="overall_rating_matches_score_band",
        schema="marts",
        table="inspections",
        description="The overall rating equals the band of the score (edges in reference.rating_scale).",
        sql="""
            select i.inspection_id, i.score, i.n_standards_rated, i.overall_rating,
                (
                    select b.rating from reference.rating_scale as b
                    where i.score <= b.score_ceiling_per_standard * i.n_standards_rated
                    order by b.score_ceiling_per_standard limit 1
                ) as score_band_rating
            from marts.inspections as i
            where i.score is not null and i.n_standards_rated > 0
            order by 1
        """,
        expectations=_pair_equal("overall_rating", "score_band_rating"),
    ),
    Suite(
        check="recommendation_numbers_contiguous",
        schema="marts",
        table="recommendations",
        description="Recommendations are numbered 1..N per inspection, without gaps or repeats.",
        sql="""
            select inspection_id, rec_number,
                (row_number() over (partition by inspection_id order by rec_number))::integer as expected_number
            from marts.recommendations
            order by 1, 2
        """,
        expectations=_pair_equal("rec_number", "expected_number"),
    ),
)


def suites_for(schema: str, table: str) -> list[Suite]:
    return [s for s in SUITES if s.asset == (schema, table)]
