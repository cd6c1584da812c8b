-- raw.findings: strength and improvement bullets per standard of every parsed version.
with source as (
    select * from {{ source('raw', 'findings') }}
),

renamed as (
    select
        content_sha256,
        {{ normalise_standard_code('standard_code') }} as standard_code,
        lower(trim(kind)) as kind,
        position,
        text
    from source
)

select * from renamed
