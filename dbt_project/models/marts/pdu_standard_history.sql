-- One row per (inspection, rated standard) with the same harmonised standard's rating at the PDU's
-- previous inspection. Only the immediately previous inspection is compared: a standard it did not
-- rate (court_work and information_and_facilities exist only in the 2023 framework) has no previous
-- rating and no change, never a guessed one. A first inspection has nulls, not zeros.
with inspection_sequence as (
    select * from {{ ref('int_inspection_sequence') }}
),

ratings as (
    select * from {{ ref('ratings') }}
),

inspections as (
    select * from {{ ref('inspections') }}
),

sequence as (
    select inspection_id, previous_inspection_id from inspection_sequence
)

select
    r.inspection_id::varchar as inspection_id,
    r.pdu_name::varchar as pdu_name,
    i.region::varchar as region,
    i.published_month::date as published_month,
    r.standard_key::varchar as standard_key,
    r.standard_code::varchar as standard_code,
    r.rating::varchar as rating,
    r.rating_points::integer as rating_points,
    s.previous_inspection_id::varchar as previous_inspection_id,
    p.standard_code::varchar as previous_standard_code,
    p.rating::varchar as previous_rating,
    (r.rating_points - p.rating_points)::integer as rating_points_change,
    (case
        when p.rating_points is null then null
        when r.rating_points > p.rating_points then 'up'
        when r.rating_points < p.rating_points then 'down'
        else 'same'
    end)::varchar as change
from ratings as r
inner join inspections as i on r.inspection_id = i.inspection_id
inner join sequence as s on r.inspection_id = s.inspection_id
left join ratings as p
    on s.previous_inspection_id = p.inspection_id and r.standard_key = p.standard_key
order by r.inspection_id, r.standard_key
