-- One row per key-question percentage, the unrated Outcomes question included.
-- is_lowest: the percentage that drives the standard's band (ties are all lowest).
select
    inspection_id::varchar as inspection_id,
    pdu_name::varchar as pdu_name,
    framework::varchar as framework,
    standard_code::varchar as standard_code,
    standard_name::varchar as standard_name,
    question_number::integer as question_number,
    question_text::varchar as question_text,
    pct_yes::integer as pct_yes,
    (pct_yes = min(pct_yes) over (partition by inspection_id, standard_code))::boolean as is_lowest,
    is_rated_standard::boolean as is_rated_standard
from {{ ref('stg_key_questions') }}
where pct_yes is not null
order by inspection_id, standard_code, question_number
