-- Each PDU's most recent inspection (latest publication month; inspection_id breaks a tie, as in pdus):
-- the current state of the PDU, so that regional and national pictures count each PDU once.
with inspections as (
    select * from {{ ref('inspections') }}
)

select
    inspection_id::varchar as inspection_id,
    pdu_name::varchar as pdu_name,
    region::varchar as region,
    published_month::date as published_month,
    framework::varchar as framework,
    overall_rating::varchar as overall_rating,
    score::integer as score,
    max_score::integer as max_score,
    score_pct::double as score_pct,
    n_standards_rated::integer as n_standards_rated,
    (count(*) over (partition by pdu_name))::integer as inspections_count
from inspections
qualify row_number() over (partition by pdu_name order by published_month desc, inspection_id desc) = 1
order by pdu_name
