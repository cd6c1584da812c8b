"""The GX suites: for each check, the DuckDB query that shapes the rows to judge and the expectations on them.

GX holds the value invariants of the marts (what BI users read) and the checks across published versions;
dbt holds structure (keys, nulls, value sets, relationships, types) and the parse gate decides what a
complete report is (docs/data-quality.md has the table). Cross-row rules are computed in SQL first, so every
expectation is a plain per-row or per-column GX expectation and the offending rows (and, in Data Docs, the
unexpected values) are the rows as they are. Check names are the keys of expectations/policy.py.

Cross-version suites (`compares_published`) read the current serving version, attached as `published`
(its tables in schema `main`); without one they pass with NO_PUBLISHED_VERSION.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation


def _gx() -> ModuleType:
    # Imported when a suite is built, not when the definitions load: GX takes seconds to import.
    import great_expectations

    return great_expectations


NO_PUBLISHED_VERSION = "no published version to compare"
# The relation the runner puts in place of {forgotten}: inspections removed on purpose (`inspections forget`).
FORGOTTEN_TABLE = ("raw", "forgotten_inspections")

# Stated bounds of the change between the published version and the marts about to replace it (warnings).
ROW_COUNT_CHANGE_PCT = (-10.0, 100.0)  # a mart may lose at most 10% of its rows, and at most double
SCORE_PCT_CHANGE_POINTS = 20.0  # an inspection whose report changed moves its score by at most 20 points
SHARE_TOLERANCE_PCT = 0.001  # shares are doubles: their sum is 100% up to rounding


@dataclass(frozen=True)
class Suite:
    check: str  # policy key, also the Dagster asset-check name
    schema: str  # the table the check is attached to
    table: str
    description: str
    sql: str  # the frame to validate ({forgotten} is replaced by the runner)
    expectations: Callable[[], list[Expectation]]  # built fresh per run: GX binds expectations to one suite
    asset_check_name: str | None = None  # Dagster name when "gx_<check>" is not wanted
    compares_published: bool = False  # reads the current serving version, attached as `published`

    @property
    def asset(self) -> tuple[str, str]:
        return (self.schema, self.table)

    @property
    def dagster_name(self) -> str:
        """Unique per asset; the "gx_" prefix keeps clear of dagster-dbt's checks named after dbt tests."""
        return self.asset_check_name or f"gx_{self.check}"

    @property
    def name(self) -> str:
        """The GX suite's name (Data Docs lists it)."""
        return f"{self.schema}.{self.table}.{self.check}"


def _between(columns: tuple[str, ...], low: float, high: float) -> Callable[[], list[Expectation]]:
    return lambda: [
        _gx().expectations.ExpectColumnValuesToBeBetween(column=c, min_value=low, max_value=high) for c in columns
    ]


def _null(*columns: str) -> Callable[[], list[Expectation]]:
    """Each column names what is wrong with its row, NULL when nothing is: Data Docs shows the values."""
    return lambda: [_gx().expectations.ExpectColumnValuesToBeNull(column=c) for c in columns]


# Every percentage of the marts (columns named *pct* other than score_pct_change, a difference of two):
# table -> (key columns that name the row, percentage columns). tests/expectations checks none is missed.
PCT_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "inspections": (("inspection_id",), ("score_pct",)),
    "ratings": (("inspection_id", "standard_code"), ("lowest_pct_yes",)),
    "scores": (("inspection_id", "standard_code", "question_number"), ("pct_yes",)),
    "latest_inspections": (("inspection_id",), ("score_pct",)),
    "latest_ratings": (("inspection_id", "standard_code"), ("lowest_pct_yes",)),
    "latest_scores": (("inspection_id", "standard_code", "question_number"), ("pct_yes",)),
    "pdu_history": (("inspection_id",), ("score_pct", "previous_score_pct")),
    "region_summary": (("region",), ("median_score_pct", "min_score_pct", "max_score_pct", "median_keeping_safe_pct")),
    "region_key_questions": (("region", "standard_key", "theme"), ("median_pct_yes", "min_pct_yes", "max_pct_yes")),
    "national_trend": (
        ("quarter_label",),
        ("median_score_pct", "min_score_pct", "max_score_pct", "median_keeping_safe_pct"),
    ),
    "national_trend_key_questions": (
        ("quarter_label", "standard_key", "theme"),
        ("median_pct_yes", "min_pct_yes", "max_pct_yes"),
    ),
}
NOT_A_PERCENTAGE = {"score_pct_change"}  # -100..100 by construction

# Share columns of the rating mix (0-1 each, summing to 1 = 100%), per mart and the column naming the group.
SHARE_COLUMNS = ("share_outstanding", "share_good", "share_requires_improvement", "share_inadequate")
SHARE_MARTS = {"region_summary": "region", "national_trend": "quarter_label"}


def _pct_suite(table: str) -> Suite:
    keys, columns = PCT_COLUMNS[table]
    return Suite(
        check="pct_within_0_100",
        schema="marts",
        table=table,
        description=f"Every percentage of marts.{table} ({', '.join(columns)}) is within 0-100.",
        sql=f"select {', '.join(keys + columns)} from marts.{table} order by {', '.join(keys)}",
        expectations=_between(columns, 0, 100),
    )


def _shares_suite(table: str) -> Suite:
    group = SHARE_MARTS[table]
    total = " + ".join(f"coalesce({c}, 0)" for c in SHARE_COLUMNS)
    return Suite(
        check="shares_sum_to_100",
        schema="marts",
        table=table,
        description=f"Each {group}'s shares of the four overall ratings are within 0-1 and sum to 100%; "
        "share_standards_inadequate is within 0-1.",
        sql=f"""
            select {group}, {", ".join(SHARE_COLUMNS)}, share_standards_inadequate,
                round(100 * ({total}), 6) as shares_total_pct
            from marts.{table}
            order by {group}
        """,
        expectations=lambda: [
            *_between((*SHARE_COLUMNS, "share_standards_inadequate"), 0, 1)(),
            _gx().expectations.ExpectColumnValuesToBeBetween(
                column="shares_total_pct", min_value=100 - SHARE_TOLERANCE_PCT, max_value=100 + SHARE_TOLERANCE_PCT
            ),
        ],
    )


MART_SUITES: tuple[Suite, ...] = (
    *(_pct_suite(table) for table in PCT_COLUMNS),
    Suite(
        check="rated_standards_match_framework",
        schema="marts",
        table="inspections",
        description="Each inspection has at most ten rated standards, exactly as many as its framework rates "
        "(reference.framework_standards), and n_standards_rated counts them.",
        sql="""
            with rated as (
                select inspection_id, count(*) as ratings_rows from marts.ratings group by inspection_id
            ),
            framework as (
                select framework, count(*) filter (where is_rated) as framework_rated
                from reference.framework_standards group by framework
            )
            select i.inspection_id, i.framework, i.n_standards_rated,
                coalesce(r.ratings_rows, 0) as ratings_rows, f.framework_rated
            from marts.inspections as i
            left join rated as r on r.inspection_id = i.inspection_id
            left join framework as f on f.framework = i.framework
            order by i.inspection_id
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToBeBetween(column="ratings_rows", min_value=0, max_value=10),
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="ratings_rows", column_B="framework_rated", ignore_row_if="neither"
            ),
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="n_standards_rated", column_B="ratings_rows", ignore_row_if="neither"
            ),
        ],
    ),
    Suite(
        check="score_equals_sum_of_points",
        schema="marts",
        table="inspections",
        description="Each inspection's score is the sum of its ratings' points and not above max_score, "
        "which is 3 x its rated standards.",
        sql="""
            select i.inspection_id, i.score, coalesce(sum(r.rating_points), 0) as points_total, i.max_score,
                3 * count(r.standard_code) as three_x_rated
            from marts.inspections as i
            left join marts.ratings as r on r.inspection_id = i.inspection_id
            group by i.inspection_id, i.score, i.max_score
            order by i.inspection_id
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="score", column_B="points_total", ignore_row_if="neither"
            ),
            _gx().expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="max_score", column_B="score", or_equal=True, ignore_row_if="either_value_is_missing"
            ),
            _gx().expectations.ExpectColumnPairValuesToBeEqual(
                column_A="max_score", column_B="three_x_rated", ignore_row_if="neither"
            ),
        ],
    ),
    Suite(
        check="one_overall_rating_per_inspection",
        schema="marts",
        table="inspections",
        description="Every mart that shows an inspection's overall rating (inspections, latest_inspections, "
        "pdu_history, also as a previous inspection) shows one and the same, never none.",
        sql="""
            with shown as (
                select inspection_id, overall_rating, 'inspections' as mart from marts.inspections
                union all
                select inspection_id, overall_rating, 'latest_inspections' from marts.latest_inspections
                union all
                select inspection_id, overall_rating, 'pdu_history' from marts.pdu_history
                union all
                select previous_inspection_id, previous_overall_rating, 'pdu_history (previous)'
                from marts.pdu_history where previous_inspection_id is not null
            )
            select inspection_id,
                case when count(distinct coalesce(overall_rating, '(none)')) <> 1 or count(overall_rating) = 0
                    then string_agg(
                        distinct mart || ': ' || coalesce(overall_rating, '(none)'),
                        '; ' order by mart || ': ' || coalesce(overall_rating, '(none)')
                    )
                end as conflicting_ratings
            from shown
            group by inspection_id
            order by inspection_id
        """,
        expectations=_null("conflicting_ratings"),
    ),
    *(_shares_suite(table) for table in SHARE_MARTS),
    Suite(
        check="recommendation_numbers_contiguous",
        schema="marts",
        table="recommendations",
        description="Each inspection's recommendations are numbered 1..N, without gaps or repeats.",
        sql="""
            select inspection_id,
                case when min(rec_number) <> 1 or max(rec_number) <> count(*) or count(distinct rec_number) <> count(*)
                    then string_agg(rec_number::varchar, ',' order by rec_number)
                end as numbers_not_1_to_n
            from marts.recommendations
            group by inspection_id
            order by inspection_id
        """,
        expectations=_null("numbers_not_1_to_n"),
    ),
)

# The values of an inspection that come from its report file alone (no seed, no later report changes them);
# only columns every published version has, so an older serving version can always be compared.
REPORT_VALUES = ("framework", "published_month", "overall_rating", "score", "max_score", "n_standards_rated", "ratings")


def _with_ratings(schema: str) -> str:
    """The inspections of `schema` with their standards' ratings in one value ("1.1=Good,1.2=...")."""
    return f"""
        select i.*, (
            select string_agg(r.standard_code || '=' || r.rating, ',' order by r.standard_code)
            from {schema}.ratings as r where r.inspection_id = i.inspection_id
        ) as ratings
        from {schema}.inspections as i
    """


def _changed(column: str) -> str:
    return (
        f"case when p.{column} is distinct from n.{column} then "
        f"'{column}: ' || coalesce(p.{column}::varchar, 'null') || ' -> ' || coalesce(n.{column}::varchar, 'null') end"
    )


CROSS_VERSION_SUITES: tuple[Suite, ...] = (
    Suite(
        check="no_published_inspection_lost",
        schema="marts",
        table="inspections",
        description="Every inspection of the current serving version is in the marts about to be published, "
        "unless it was removed on purpose (`inspections forget`: raw.forgotten_inspections).",
        sql="""
            select p.inspection_id as published_inspection_id, p.pdu_name, p.published_month,
                case when n.inspection_id is null and f.inspection_id is null then p.inspection_id end
                    as lost_inspection_id
            from published.main.inspections as p
            left join marts.inspections as n on n.inspection_id = p.inspection_id
            left join (select distinct inspection_id from {forgotten}) as f on f.inspection_id = p.inspection_id
            order by p.inspection_id
        """,
        expectations=_null("lost_inspection_id"),
        compares_published=True,
    ),
    Suite(
        check="unchanged_report_unchanged_values",
        schema="marts",
        table="inspections",
        description="An inspection whose report file (content_sha256) is the published one has the published "
        f"values ({', '.join(REPORT_VALUES)}).",
        sql=f"""
            with p as ({_with_ratings("published.main")}), n as ({_with_ratings("marts")})
            select p.inspection_id, p.content_sha256,
                nullif(concat_ws('; ', {", ".join(_changed(c) for c in REPORT_VALUES)}), '') as changed_values
            from p
            inner join n on n.inspection_id = p.inspection_id and n.content_sha256 = p.content_sha256
            order by p.inspection_id
        """,
        expectations=_null("changed_values"),
        compares_published=True,
    ),
    Suite(
        check="row_counts_within_bounds",
        schema="marts",
        table="inspections",
        description=f"No published mart's row count changes by less than {ROW_COUNT_CHANGE_PCT[0]:g}% "
        f"or more than +{ROW_COUNT_CHANGE_PCT[1]:g}%.",
        sql="{row_counts}",  # one row per mart in both versions: the runner writes it (row_counts_sql)
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToBeBetween(
                column="row_change_pct", min_value=ROW_COUNT_CHANGE_PCT[0], max_value=ROW_COUNT_CHANGE_PCT[1]
            )
        ],
        compares_published=True,
    ),
    Suite(
        check="score_changes_within_bounds",
        schema="marts",
        table="inspections",
        description=f"An inspection in both versions moves its score_pct by at most {SCORE_PCT_CHANGE_POINTS:g} "
        "points (a new report file of the same inspection is a correction, not a new inspection).",
        sql="""
            select p.inspection_id, p.content_sha256 as published_sha256, n.content_sha256 as new_sha256,
                p.score_pct as published_score_pct, n.score_pct as new_score_pct,
                round(n.score_pct - p.score_pct, 3) as score_pct_change
            from published.main.inspections as p
            inner join marts.inspections as n on n.inspection_id = p.inspection_id
            order by p.inspection_id
        """,
        expectations=lambda: [
            _gx().expectations.ExpectColumnValuesToBeBetween(
                column="score_pct_change", min_value=-SCORE_PCT_CHANGE_POINTS, max_value=SCORE_PCT_CHANGE_POINTS
            )
        ],
        compares_published=True,
    ),
)


def row_counts_sql(tables: list[str]) -> str:
    """The frame of row_counts_within_bounds over the marts both versions have."""
    if not tables:
        return (
            "select null::varchar as mart, null::bigint as published_rows, null::bigint as new_rows, "
            "null::double as row_change_pct where false"
        )
    rows = " union all ".join(
        f"select '{t}' as mart, (select count(*) from published.main.{t}) as published_rows, "
        f"(select count(*) from marts.{t}) as new_rows"
        for t in tables
    )
    return (
        "select mart, published_rows, new_rows, "
        "round(100.0 * (new_rows - published_rows) / nullif(published_rows, 0), 3) as row_change_pct "
        f"from ({rows}) order by mart"
    )


OPERATIONAL_SUITES: tuple[Suite, ...] = (
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
)

SUITES: tuple[Suite, ...] = (*MART_SUITES, *CROSS_VERSION_SUITES, *OPERATIONAL_SUITES)


def suites_for(schema: str, table: str) -> list[Suite]:
    return [s for s in SUITES if s.asset == (schema, table)]
