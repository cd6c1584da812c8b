-- raw.report_files: which parsed version (or quarantined file) each landing path holds.
with source as (
    select * from {{ source('raw', 'report_files') }}
),

renamed as (
    select
        file_path,
        content_sha256,
        size_bytes,
        source_format,
        status,
        parser_version,
        present as file_present,
        first_seen_at,
        last_seen_at
    from source
)

select * from renamed
