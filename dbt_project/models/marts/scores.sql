-- One row per key-question percentage, the unrated Outcomes question included.
-- is_lowest: the percentage that drives the standard's band (ties are all lowest).
-- standard_key: the standard across frameworks (seed standard_keys); theme: what the question asks
-- about (seed key_question_themes, read from the question text; null when no or several themes match).
-- Incremental (dbt_project.yml): only the inspections to rebuild are selected when the mart is refreshed.
-- depends_on: {{ ref('int_current_inspections') }}
with key_questions as (
    select * from {{ ref('int_key_questions') }}
),

standard_keys as (
    select * from {{ ref('standard_keys') }}
),

key_question_themes as (
    select * from {{ ref('int_key_question_themes') }}
)

select
    q.inspection_id::varchar as inspection_id,
    q.pdu_name::varchar as pdu_name,
    q.framework::varchar as framework,
    q.standard_code::varchar as standard_code,
    q.standard_name::varchar as standard_name,
    q.question_number::integer as question_number,
    q.question_text::varchar as question_text,
    q.pct_yes::integer as pct_yes,
    (q.pct_yes = min(q.pct_yes) over (partition by q.inspection_id, q.standard_code))::boolean as is_lowest,
    q.is_rated_standard::boolean as is_rated_standard,
    k.standard_key::varchar as standard_key,
    t.theme::varchar as theme
from key_questions as q
left join standard_keys as k on q.framework = k.framework and q.standard_code = k.standard_code
left join key_question_themes as t on q.question_text = t.question_text
where q.pct_yes is not null and {{ inspections_to_build('q.inspection_id') }}
order by q.inspection_id, q.standard_code, q.question_number
