"""Run a suite against a DuckDB warehouse with GX and return a small, serialisable result."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import duckdb

from expectations.policy import Severity, severity
from expectations.suites import Suite

MAX_OFFENDING_ROWS = 20

# No telemetry or progress bars: this runs inside pipelines and tests.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

if TYPE_CHECKING:
    # pandas and GX are imported when a suite runs: a refresh that changes nothing never needs them.
    import pandas as pd
    from great_expectations.core.batch_definition import BatchDefinition


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

    @property
    def failed_expectations(self) -> list[str]:
        return [f"{e.expectation}({e.columns})" for e in self.expectations if not e.success]

    def offending_markdown(self) -> str:
        return to_markdown(self.offending_rows, self.offending_count)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON (the GX worker process sends results this way); `from_json` rebuilds an equal result."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SuiteResult:
        outcomes = [ExpectationOutcome(**outcome) for outcome in data["expectations"]]
        return cls(**{**data, "expectations": outcomes})


@lru_cache(maxsize=1)
def gx_batch_definition() -> BatchDefinition:
    """One ephemeral context per process; every suite validates a whole dataframe through it."""
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
    context = gx.get_context(mode="ephemeral", project_config=config)
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def validate_frame(suite: Suite, frame: pd.DataFrame) -> SuiteResult:
    """Validate an already-shaped frame (what `run_suite` gets from the warehouse)."""
    import great_expectations as gx

    batch_definition = gx_batch_definition()  # first: suites need an active context
    gx_suite = gx.ExpectationSuite(name=f"{suite.schema}.{suite.table}.{suite.check}")
    for expectation in suite.expectations():
        gx_suite.add_expectation(expectation)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    validation = batch.validate(gx_suite, result_format="COMPLETE")

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


def run_suite(suite: Suite, con: duckdb.DuckDBPyConnection) -> SuiteResult:
    return validate_frame(suite, con.execute(suite.sql).df())


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
