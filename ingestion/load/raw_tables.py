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


# One row per (landing path, content) the path has ever held, written with raw.report_files at every sync
# (ingestion/load/file_history.py): it tells which version of a file was its last good one once a newer
# version cannot be read. Not in RAW_TABLES: the sync writes it from the report_files rows, not per version.
FILE_VERSIONS_TABLE = "report_file_versions"
FILE_VERSIONS_COLUMNS: list[tuple[str, str]] = [
    ("file_path", "VARCHAR NOT NULL"),
    ("content_sha256", "VARCHAR NOT NULL"),
    ("status", "VARCHAR NOT NULL"),  # parsed | quarantined, at the last scan that saw this content at this path
    ("first_seen_at", "TIMESTAMP NOT NULL"),  # first scan that saw this content at this path
    ("held_since", "TIMESTAMP NOT NULL"),  # start of the latest stretch during which the path held it
    ("last_seen_at", "TIMESTAMP NOT NULL"),  # last scan that saw it there
]

# Inspections removed on purpose (`inspections forget`, ingestion/load/forget.py): the marts leave them out.
# Exact names: other checks read this table.
FORGOTTEN_TABLE = "forgotten_inspections"
FORGOTTEN_DDL = (
    f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{FORGOTTEN_TABLE} "
    "(inspection_id VARCHAR, forgotten_at TIMESTAMP, reason VARCHAR)"
)

# A warehouse loaded before report_file_versions existed: its history is rebuilt once, as far as the raw
# tables tell it (parsed versions under the path that first parsed them, quarantined ones, current ones).
# It runs only while the history is empty, so it is a no-op on every later sync.
_BACKFILL_FILE_VERSIONS = f"""
INSERT INTO {RAW_SCHEMA}.{FILE_VERSIONS_TABLE}
WITH seen AS (
    SELECT file_path, content_sha256, status, last_seen_at AS seen_at, 1 AS priority FROM {RAW_SCHEMA}.report_files
    UNION ALL
    SELECT file_path, content_sha256, 'quarantined', quarantined_at, 2 FROM {RAW_SCHEMA}.quarantine
    UNION ALL
    SELECT source_file, content_sha256, 'parsed', parsed_at, 3 FROM {RAW_SCHEMA}.reports
)
SELECT file_path, content_sha256, arg_min(status, priority), min(seen_at), min(seen_at), max(seen_at)
FROM seen
WHERE NOT EXISTS (SELECT 1 FROM {RAW_SCHEMA}.{FILE_VERSIONS_TABLE})
GROUP BY file_path, content_sha256
"""


def create_statements() -> list[str]:
    statements = [f"CREATE SCHEMA IF NOT EXISTS {RAW_SCHEMA}"]
    for table, columns in (*RAW_TABLES.items(), (FILE_VERSIONS_TABLE, FILE_VERSIONS_COLUMNS)):
        cols = ", ".join(f"{name} {ddl}" for name, ddl in columns)
        statements.append(f"CREATE TABLE IF NOT EXISTS {RAW_SCHEMA}.{table} ({cols})")
    return [*statements, FORGOTTEN_DDL, _BACKFILL_FILE_VERSIONS]


def column_names(table: str) -> list[str]:
    return [name for name, _ in RAW_TABLES[table]]
