-- Key-question percentages of the winning versions, the unrated Outcomes question included.
with questions as (
    select
        i.inspection_id,
        i.pdu_name,
        i.framework,
        q.content_sha256,
        {{ normalise_standard_code('q.standard_code') }} as raw_code,
        trim(q.standard_name) as standard_name,
        q.is_rated_standard,
        q.number as question_number,
        q.text as question_text,
        q.pct_yes
    from {{ source('raw', 'key_questions') }} as q
    inner join {{ ref('stg_inspections') }} as i on i.content_sha256 = q.content_sha256
),

unrated as (
    select framework, standard_code from {{ ref('framework_standards') }} where not is_rated
)

select
    q.* exclude (raw_code),
    -- The parser may not know the Outcomes code ("outcomes"): take the framework's unrated standard.
    case
        when not q.is_rated_standard and not regexp_matches(q.raw_code, '^\d+\.\d+$')
            then coalesce(u.standard_code, q.raw_code)
        else q.raw_code
    end as standard_code
from questions as q
left join unrated as u on u.framework = q.framework
