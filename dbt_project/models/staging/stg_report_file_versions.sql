-- raw.report_file_versions: every content each landing path has held, its status and when it held it.
with source as (
    select * from {{ source('raw', 'report_file_versions') }}
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
