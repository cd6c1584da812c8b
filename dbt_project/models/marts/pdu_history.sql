-- One row per inspection with the PDU's previous inspection and the change since. The previous
-- inspection is the PDU's latest one published before it (int_inspection_sequence). Scores of the
-- two frameworks have different maxima (27 and 21), so they are compared as a percentage of the
-- maximum (score_pct, 0-100). A PDU's first inspection has nulls in every previous_* and change column.
with inspection_sequence as (
    select * from {{ ref('int_inspection_sequence') }}
),

pdu_standard_history as (
    select * from {{ ref('pdu_standard_history') }}
),

rating_scale as (
    select * from {{ ref('rating_scale') }}
),

inspections as (
    select * from {{ ref('inspections') }}
),

sequence as (
    select inspection_id, inspection_number, previous_inspection_id from inspection_sequence
),

standard_changes as (
    select
        inspection_id,
        count(change) as n_standards_compared,
        count(*) filter (where change = 'up') as n_standards_up,
        count(*) filter (where change = 'down') as n_standards_down,
        count(*) filter (where change = 'same') as n_standards_same
    from pdu_standard_history
    group by inspection_id
),

overall_points as (
    select rating, points from rating_scale
)

select
    i.inspection_id::varchar as inspection_id,
    i.pdu_name::varchar as pdu_name,
    i.region::varchar as region,
    i.published_month::date as published_month,
    i.framework::varchar as framework,
    s.inspection_number::integer as inspection_number,
    i.overall_rating::varchar as overall_rating,
    i.score::integer as score,
    i.max_score::integer as max_score,
    i.score_pct::double as score_pct,
    p.inspection_id::varchar as previous_inspection_id,
    p.published_month::date as previous_published_month,
    p.framework::varchar as previous_framework,
    p.overall_rating::varchar as previous_overall_rating,
    p.score_pct::double as previous_score_pct,
    (i.score_pct - p.score_pct)::double as score_pct_change,
    (case
        when p.inspection_id is null then null
        when o.points > po.points then 'up'
        when o.points < po.points then 'down'
        else 'same'
    end)::varchar as overall_rating_change,
    date_diff('month', p.published_month, i.published_month)::integer as months_since_previous,
    (case when p.inspection_id is not null then coalesce(c.n_standards_compared, 0) end)::integer
        as n_standards_compared,
    (case when p.inspection_id is not null then coalesce(c.n_standards_up, 0) end)::integer as n_standards_up,
    (case when p.inspection_id is not null then coalesce(c.n_standards_down, 0) end)::integer as n_standards_down,
    (case when p.inspection_id is not null then coalesce(c.n_standards_same, 0) end)::integer as n_standards_same
from inspections as i
inner join sequence as s on i.inspection_id = s.inspection_id
left join inspections as p on s.previous_inspection_id = p.inspection_id
left join overall_points as o on i.overall_rating = o.rating
left join overall_points as po on p.overall_rating = po.rating
left join standard_changes as c on i.inspection_id = c.inspection_id
order by i.pdu_name, i.published_month
