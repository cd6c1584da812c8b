-- raw.parse_warnings: what the parser flagged in a parsed version.
with source as (
    select * from {{ source('raw', 'parse_warnings') }}
),

renamed as (
    select
        content_sha256,
        field,
        message
    from source
)

select * from renamed
