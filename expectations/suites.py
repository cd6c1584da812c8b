"""The GX suites: for each check, the DuckDB query that shapes the rows to judge and the expectations on them.

GX guards the raw tables, before dbt builds anything: the current parsed versions' values and the quarantine.
The marts' rules are dbt tests, each written once (docs/data-quality.md says which engine holds which rule).
Cross-row rules are computed in SQL first, so every expectation is a plain per-row or per-column GX
expectation and the offending rows can be reported as they are. Check names are the keys of
expectations/policy.py.
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
)


def suites_for(schema: str, table: str) -> list[Suite]:
    return [s for s in SUITES if s.asset == (schema, table)]
