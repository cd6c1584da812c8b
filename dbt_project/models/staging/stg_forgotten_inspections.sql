-- raw.forgotten_inspections: inspections removed on purpose (`inspections forget`), left out of the marts.
with source as (
    select * from {{ source('raw', 'forgotten_inspections') }}
),

renamed as (
    select
        inspection_id,
        forgotten_at,
        reason
    from source
)

select * from renamed
