-- raw.forgotten_inspections: inspections removed on purpose (`inspections forget`), left out of the marts.
-- Read by name, not declared as a dbt source: Dagster makes every source an asset (orchestration/assets/dbt.py),
-- and one no op materialises cannot be selected in the UI. The loader's schema setup creates the table.
with source as (
    select * from raw.forgotten_inspections
),

renamed as (
    select
        inspection_id,
        forgotten_at,
        reason
    from source
)

select * from renamed
