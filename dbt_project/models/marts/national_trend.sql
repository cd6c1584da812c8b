-- One row per publication quarter with at least one inspection published (calendar quarters of the
-- publication month: Q1 = January-March; no rows for empty quarters). Every inspection published in
-- the quarter counts, re-inspections included. Shares and medians: see macro inspection_summary.
with inspections as (
    select * from {{ ref('inspections') }}
),

grouped as (
    select
        year(published_month) as published_year,
        quarter(published_month) as published_quarter,
        date_trunc('quarter', published_month)::date as quarter_start,
        inspection_id, pdu_name, overall_rating, score_pct
    from inspections
),

summary as (
    {{ inspection_summary('grouped', ['published_year', 'published_quarter', 'quarter_start']) }}
)

select
    published_year::integer as published_year,
    published_quarter::integer as published_quarter,
    quarter_start::date as quarter_start,
    (published_year || '-Q' || published_quarter)::varchar as quarter_label,
    * exclude (published_year, published_quarter, quarter_start)
from summary
order by quarter_start
