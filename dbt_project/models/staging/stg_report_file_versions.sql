-- raw.report_file_versions: every content each landing path has held, its status and when it held it.
-- Read by name, not declared as a dbt source: Dagster makes every source an asset (orchestration/assets/dbt.py),
-- and one no op materialises cannot be selected in the UI. The loader's schema setup creates the table.
with source as (
    select * from raw.report_file_versions
),

renamed as (
    select
        file_path,
        content_sha256,
        status,
        first_seen_at,
        held_since,
        last_seen_at
    from source
)

select * from renamed
