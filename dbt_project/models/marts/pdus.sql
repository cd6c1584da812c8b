-- One row per PDU seen in an inspection; latest_* follow the newest publication month.
with inspections as (
    select * from {{ ref('inspections') }}
),

pdu_directory as (
    select * from {{ ref('pdu_directory') }}
),

ranked as (
    select
        *,
        count(*) over (partition by pdu_name) as inspections_count,
        row_number() over (partition by pdu_name order by published_month desc, inspection_id desc) as recency
    from inspections
)

select
    r.pdu_name::varchar as pdu_name,
    coalesce(r.region, d.region)::varchar as region,
    r.inspections_count::integer as inspections_count,
    r.inspection_id::varchar as latest_inspection_id,
    r.overall_rating::varchar as latest_overall_rating,
    r.published_month::date as latest_published_month,
    (d.pdu_name is not null)::boolean as in_reference
from ranked as r
left join pdu_directory as d on r.pdu_name = d.pdu_name
where r.recency = 1
order by r.pdu_name
