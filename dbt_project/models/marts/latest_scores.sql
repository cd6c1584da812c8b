-- The key-question percentages of each PDU's latest inspection (latest_inspections), with region,
-- harmonised standard and theme.
with scores as (
    select * from {{ ref('scores') }}
),

latest_inspections as (
    select * from {{ ref('latest_inspections') }}
)

select
    s.inspection_id::varchar as inspection_id,
    s.pdu_name::varchar as pdu_name,
    l.region::varchar as region,
    l.published_month::date as published_month,
    s.framework::varchar as framework,
    s.standard_key::varchar as standard_key,
    s.standard_code::varchar as standard_code,
    s.question_number::integer as question_number,
    s.theme::varchar as theme,
    s.pct_yes::integer as pct_yes
from scores as s
inner join latest_inspections as l on s.inspection_id = l.inspection_id
order by s.pdu_name, s.standard_code, s.question_number
