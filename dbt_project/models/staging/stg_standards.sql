-- raw.standards: the rated standards of every parsed version, codes normalised ("P 1.1" -> "1.1").
with source as (
    select * from {{ source('raw', 'standards') }}
),

renamed as (
    select
        content_sha256,
        position,
        {{ normalise_standard_code('code') }} as standard_code,
        trim(name) as standard_name,
        domain,
        trim(rating) as rating,
        trim(band_rating) as parsed_band_rating,
        discretion
    from source
)

select * from renamed
