-- raw.key_questions: key-question percentages of every parsed version, the unrated Outcomes question
-- included. standard_code is the printed code normalised; the Outcomes question may carry no code
-- (int_key_questions gives it the framework's).
with source as (
    select * from {{ source('raw', 'key_questions') }}
),

renamed as (
    select
        content_sha256,
        {{ normalise_standard_code('standard_code') }} as standard_code,
        trim(standard_name) as standard_name,
        is_rated_standard,
        number as question_number,
        text as question_text,
        pct_yes
    from source
)

select * from renamed
