"""Schema `raw` of the working warehouse: what the ingestion assets write.

Every parsed file version is kept, keyed by its content hash (`content_sha256`), so
history survives re-publication. `raw.report_files` says which version each landing
file path currently holds; dbt staging picks current versions from it.
"""

from __future__ import annotations

RAW_SCHEMA = "raw"

# table name -> column DDL. Order matters: rows are inserted positionally.
RAW_TABLES: dict[str, list[tuple[str, str]]] = {
    # One row per landing-folder path ever seen: its current content and status.
    "report_files": [
        ("file_path", "VARCHAR NOT NULL PRIMARY KEY"),  # relative to the landing folder
        ("content_sha256", "VARCHAR NOT NULL"),
        ("size_bytes", "BIGINT"),
        ("source_format", "VARCHAR"),
        ("status", "VARCHAR NOT NULL"),  # parsed | quarantined
        ("parser_version", "VARCHAR NOT NULL"),  # a new parser version re-parses every file
        ("present", "BOOLEAN NOT NULL"),  # still in the landing folder at the last scan
        ("first_seen_at", "TIMESTAMP NOT NULL"),
        ("last_seen_at", "TIMESTAMP NOT NULL"),
    ],
    # One row per parsed file version.
    "reports": [
        ("content_sha256", "VARCHAR NOT NULL PRIMARY KEY"),
        ("source_file", "VARCHAR NOT NULL"),
        ("source_format", "VARCHAR NOT NULL"),
        ("parsed_at", "TIMESTAMP NOT NULL"),
        ("parser_version", "VARCHAR NOT NULL"),
        ("pdu", "VARCHAR NOT NULL"),
        ("region", "VARCHAR"),
        ("published", "VARCHAR NOT NULL"),
        ("fieldwork_month", "VARCHAR"),
        ("fieldwork_start_date", "DATE"),
        ("overall_rating", "VARCHAR NOT NULL"),
        ("score", "INTEGER"),
        ("max_score", "INTEGER"),
        ("cases_inspected", "INTEGER"),
        ("interviews", "INTEGER"),
        ("lead_inspector", "VARCHAR"),
        ("chief_inspector", "VARCHAR"),
        ("isbn", "VARCHAR"),
        ("framework", "VARCHAR NOT NULL"),
        ("outcomes_text", "VARCHAR"),
        ("outcomes_pct_yes", "INTEGER"),
        ("n_warnings", "INTEGER NOT NULL"),
        ("report_json", "VARCHAR NOT NULL"),  # the full `inspections parse` JSON
    ],
    "standards": [
        ("content_sha256", "VARCHAR NOT NULL"),
        ("position", "INTEGER NOT NULL"),
        ("code", "VARCHAR NOT NULL"),
        ("name", "VARCHAR NOT NULL"),
        ("domain", "INTEGER NOT NULL"),
        ("rating", "VARCHAR NOT NULL"),
        ("band_rating", "VARCHAR"),
        ("discretion", "BOOLEAN NOT NULL"),
    ],
    # Key questions of rated standards and the unrated Outcomes question
    # (standard_code of the Outcomes standard, e.g. "2.6", is_rated_standard false).
    "key_questions": [
        ("content_sha256", "VARCHAR NOT NULL"),
        ("standard_code", "VARCHAR NOT NULL"),
        ("standard_name", "VARCHAR NOT NULL"),
        ("is_rated_standard", "BOOLEAN NOT NULL"),
        ("number", "INTEGER NOT NULL"),
        ("text", "VARCHAR NOT NULL"),
        ("pct_yes", "INTEGER"),
    ],
    "recommendations": [
        ("content_sha256", "VARCHAR NOT NULL"),
        ("number", "INTEGER NOT NULL"),
        ("recipient", "VARCHAR NOT NULL"),
        ("level", "VARCHAR NOT NULL"),
        ("text", "VARCHAR NOT NULL"),
    ],
    "findings": [
        ("content_sha256", "VARCHAR NOT NULL"),
        ("standard_code", "VARCHAR NOT NULL"),
        ("kind", "VARCHAR NOT NULL"),  # strength | improvement
        ("position", "INTEGER NOT NULL"),
        ("text", "VARCHAR NOT NULL"),
    ],
    "parse_warnings": [
        ("content_sha256", "VARCHAR NOT NULL"),
        ("field", "VARCHAR NOT NULL"),
        ("message", "VARCHAR NOT NULL"),
    ],
    # Files that could not be parsed, one row per (path, content): the reason says why.
    "quarantine": [
        ("file_path", "VARCHAR NOT NULL"),
        ("content_sha256", "VARCHAR NOT NULL"),
        ("size_bytes", "BIGINT"),
        ("reason", "VARCHAR NOT NULL"),
        ("quarantined_at", "TIMESTAMP NOT NULL"),
    ],
}

# Tables whose rows belong to one parsed file version (deleted and re-inserted together).
PER_VERSION_TABLES = ("reports", "standards", "key_questions", "recommendations", "findings", "parse_warnings")


def create_statements() -> list[str]:
    statements = [f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}"]
    for table, columns in RAW_TABLES.items():
        cols = ", ".join(f"{name} {ddl}" for name, ddl in columns)
        statements.append(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({cols})")
    return statements


def column_names(table: str) -> list[str]:
    return [name for name, _ in RAW_TABLES[table]]
