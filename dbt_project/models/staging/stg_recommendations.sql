-- raw.recommendations: the numbered recommendations of every parsed version.
with source as (
    select * from {{ source('raw', 'recommendations') }}
),

renamed as (
    select
        content_sha256,
        number as rec_number,
        trim(recipient) as recipient,
        trim(level) as recipient_level,
        text
    from source
)

select * from renamed
