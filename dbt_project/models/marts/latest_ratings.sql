-- The ratings of each PDU's latest inspection (latest_inspections), with region and harmonised standard.
with ratings as (
    select * from {{ ref('ratings') }}
),

latest_inspections as (
    select * from {{ ref('latest_inspections') }}
)

select
    r.inspection_id::varchar as inspection_id,
    r.pdu_name::varchar as pdu_name,
    l.region::varchar as region,
    l.published_month::date as published_month,
    r.framework::varchar as framework,
    r.standard_key::varchar as standard_key,
    r.standard_code::varchar as standard_code,
    r.standard_name::varchar as standard_name,
    r.rating::varchar as rating,
    r.rating_points::integer as rating_points,
    r.lowest_pct_yes::integer as lowest_pct_yes
from ratings as r
inner join latest_inspections as l on r.inspection_id = l.inspection_id
order by r.pdu_name, r.standard_code
