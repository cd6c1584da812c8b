-- raw.quarantine: files that could not be parsed, one row per (path, content), with the reason.
with source as (
    select * from {{ source('raw', 'quarantine') }}
),

renamed as (
    select
        file_path,
        content_sha256,
        size_bytes,
        reason,
        quarantined_at
    from source
)

select * from renamed
