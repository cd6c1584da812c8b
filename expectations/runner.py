"""Run suites against a DuckDB warehouse with GX and return small, serialisable results (and Data Docs).

One call of `validate_suites` is one GX validation: one ephemeral context, one stored result per suite,
and, when asked, GX's Data Docs site of those results written to a folder (the publish puts it beside the
serving version it audited). Cross-version suites read the current serving version, attached read-only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from expectations.data_docs import write_overview
from expectations.policy import Severity, severity
from expectations.suites import FORGOTTEN_TABLE, NO_PUBLISHED_VERSION, Suite, row_counts_sql

MAX_OFFENDING_ROWS = 20
PUBLISHED = "published"  # the catalog name the cross-version suites read the serving version under
DATA_DOCS_SITE = "release"

# No telemetry or progress bars: this runs inside pipelines and tests.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

if TYPE_CHECKING:
    # pandas and GX are imported when a suite runs: a refresh that changes nothing never needs them.
    import pandas as pd
    from great_expectations.data_context import AbstractDataContext


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str  # e.g. expect_column_values_to_be_between
    columns: str
    success: bool
    unexpected_count: int


@dataclass(frozen=True)
class SuiteResult:
    check: str
    table: str  # schema.table
    success: bool
    severity: Severity
    row_count: int
    expectations: list[ExpectationOutcome]
    offending_rows: list[dict[str, Any]] = field(default_factory=list)  # capped at MAX_OFFENDING_ROWS
    offending_count: int = 0
    note: str | None = None  # why nothing was validated (no published version to compare)

    @property
    def failed_expectations(self) -> list[str]:
        return [f"{e.expectation}({e.columns})" for e in self.expectations if not e.success]

    def offending_markdown(self) -> str:
        return to_markdown(self.offending_rows, self.offending_count)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SuiteResult:
        outcomes = [ExpectationOutcome(**outcome) for outcome in data["expectations"]]
        return cls(**{**data, "expectations": outcomes})


class Validation:
    """One GX validation of some suites: an ephemeral context whose results Data Docs can render."""

    def __init__(self) -> None:
        # GX is imported on first use: it takes seconds, and loading the Dagster definitions must not pay for it.
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        )
        self.context: AbstractDataContext = gx.get_context(mode="ephemeral", project_config=config)
        asset = self.context.data_sources.add_pandas("warehouse").add_dataframe_asset("frame")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")

    def validate(self, suite: Suite, frame: pd.DataFrame) -> SuiteResult:
        import great_expectations as gx

        gx_suite = self.context.suites.add(gx.ExpectationSuite(name=suite.name))
        for expectation in suite.expectations():
            gx_suite.add_expectation(expectation)
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=suite.name, data=self.batch_definition, suite=gx_suite)
        )
        validation = definition.run(batch_parameters={"dataframe": frame}, result_format="COMPLETE")
        return _suite_result(suite, frame, validation)

    def write_data_docs(self, folder: Path) -> Path:
        """GX's Data Docs site of this validation's results in `folder`; returns its index.html."""
        self.context.add_data_docs_site(
            DATA_DOCS_SITE,
            {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(folder)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
        self.context.build_data_docs(site_names=[DATA_DOCS_SITE])
        return folder / "index.html"


def validate_frame(suite: Suite, frame: pd.DataFrame) -> SuiteResult:
    """Validate an already-shaped frame (what `validate_suites` gets from the warehouse)."""
    return Validation().validate(suite, frame)


def validate_suites(
    suites: Sequence[Suite],
    con: duckdb.DuckDBPyConnection,
    published: Path | None = None,
    data_docs: Path | None = None,
) -> list[SuiteResult]:
    """Validate the suites on `con`, the cross-version ones against the serving file `published` (None: not
    yet published); write the Data Docs site into `data_docs` when given (nothing is written otherwise)."""
    validation = Validation()
    results = []
    attached = _attach(con, published) if published is not None and any(s.compares_published for s in suites) else False
    try:
        for suite in suites:
            if suite.compares_published and not attached:
                results.append(_not_compared(suite))
                continue
            results.append(validation.validate(suite, con.execute(_frame_sql(suite, con)).df()))
    finally:
        if attached:
            con.execute(f"DETACH {PUBLISHED}")
    if data_docs is not None:
        validation.write_data_docs(data_docs)
        write_overview(data_docs, suites, results)
    return results


def run_suite(suite: Suite, con: duckdb.DuckDBPyConnection, published: Path | None = None) -> SuiteResult:
    [result] = validate_suites([suite], con, published)
    return result


def _attach(con: duckdb.DuckDBPyConnection, published: Path) -> bool:
    if not Path(published).is_file():
        return False
    # The resolved file: a publish switching `current` meanwhile does not change what is compared.
    con.execute(f"ATTACH ? AS {PUBLISHED} (READ_ONLY)", [str(Path(published).resolve())])
    return True


def _frame_sql(suite: Suite, con: duckdb.DuckDBPyConnection) -> str:
    if not suite.compares_published:
        return suite.sql
    schema, table = FORGOTTEN_TABLE
    # No table yet (nothing ever forgotten, or a warehouse older than `inspections forget`): nothing removed.
    forgotten = (
        f"{schema}.{table}"
        if table in _tables(con, None, schema)
        else "(select null::varchar as inspection_id where false)"
    )
    common = sorted(set(_tables(con, PUBLISHED, "main")) & set(_tables(con, None, "marts")))
    return suite.sql.format(forgotten=forgotten, row_counts=row_counts_sql(common))


def _tables(con: duckdb.DuckDBPyConnection, catalog: str | None, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ? "
        "and table_catalog = coalesce(?, current_database())",
        [schema, catalog],
    ).fetchall()
    return [row[0] for row in rows]


def _not_compared(suite: Suite) -> SuiteResult:
    return SuiteResult(
        check=suite.check,
        table=f"{suite.schema}.{suite.table}",
        success=True,
        severity=severity(suite.check),
        row_count=0,
        expectations=[],
        note=NO_PUBLISHED_VERSION,
    )


def _suite_result(suite: Suite, frame: pd.DataFrame, validation: Any) -> SuiteResult:
    outcomes: list[ExpectationOutcome] = []
    offending: set[Any] = set()
    for res in validation.results:
        config = res.expectation_config
        kwargs = config.kwargs
        columns = ", ".join(str(kwargs[k]) for k in ("column", "column_A", "column_B") if kwargs.get(k))
        result = res.result or {}
        outcomes.append(ExpectationOutcome(config.type, columns, bool(res.success), _unexpected(result, frame)))
        if not res.success:
            # Column expectations name their offending rows; table expectations implicate every row.
            offending.update(result.get("unexpected_index_list") or ([] if columns else list(frame.index)))
    rows = frame.loc[sorted(offending)] if offending else frame.iloc[0:0]
    return SuiteResult(
        check=suite.check,
        table=f"{suite.schema}.{suite.table}",
        success=bool(validation.success),
        severity=severity(suite.check),
        row_count=len(frame),
        expectations=outcomes,
        offending_rows=_records(rows.head(MAX_OFFENDING_ROWS)),
        offending_count=len(rows),
    )


def _unexpected(result: dict[str, Any], frame: pd.DataFrame) -> int:
    if "unexpected_count" in result:
        return int(result["unexpected_count"] or 0)
    return len(frame) if "observed_value" in result else 0


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain Python values (no numpy / NaT), so results serialise into Dagster metadata."""
    clean = frame.astype(object).where(frame.notna(), None)
    return [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
        for row in clean.to_dict(orient="records")
    ]


def to_markdown(rows: list[dict[str, Any]], total: int | None = None) -> str:
    if not rows:
        return "_no offending rows_"
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        cells = ("" if row[h] is None else str(row[h]).replace("|", "\\|").replace("\n", " ") for h in headers)
        lines.append("| " + " | ".join(cells) + " |")
    if total is not None and total > len(rows):
        lines.append(f"\n_{total - len(rows)} more rows not shown_")
    return "\n".join(lines)
