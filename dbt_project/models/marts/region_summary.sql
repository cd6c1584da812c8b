-- One row per region: its current state, from each PDU's latest inspection (latest_inspections), so a
-- PDU inspected twice counts once. Shares and medians: see macro inspection_summary.
with latest_inspections as (
    select * from {{ ref('latest_inspections') }}
),

inspections as (
    select * from {{ ref('inspections') }}
),

grouped as (
    select region, inspection_id, pdu_name, overall_rating, score_pct, published_month
    from latest_inspections
),

totals as (
    select region, count(*) as inspections_total, max(published_month) as latest_published_month
    from inspections
    group by region
),

summary as (
    {{ inspection_summary('grouped', ['region']) }}
)

select
    s.region::varchar as region,
    s.pdus_inspected::integer as pdus_inspected,
    t.inspections_total::integer as inspections_total,
    t.latest_published_month::date as latest_published_month,
    -- sqlfluff reads the columns of `exclude` as unqualified references.
    s.* exclude (region, inspections, pdus_inspected)  -- noqa: RF02
from summary as s
left join totals as t on t.region is not distinct from s.region
order by s.region
