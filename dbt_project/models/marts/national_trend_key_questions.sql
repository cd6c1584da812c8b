-- Median key-question percentage per publication quarter (calendar, as national_trend) and
-- (standard_key, theme), over every inspection published in the quarter.
with scores as (
    select * from {{ ref('scores') }}
),

inspections as (
    select * from {{ ref('inspections') }}
)

select
    year(i.published_month)::integer as published_year,
    quarter(i.published_month)::integer as published_quarter,
    date_trunc('quarter', i.published_month)::date as quarter_start,
    (year(i.published_month) || '-Q' || quarter(i.published_month))::varchar as quarter_label,
    s.standard_key::varchar as standard_key,
    s.theme::varchar as theme,
    count(distinct s.inspection_id)::integer as inspections,
    count(*)::integer as n_percentages,
    median(s.pct_yes)::double as median_pct_yes,
    min(s.pct_yes)::integer as min_pct_yes,
    max(s.pct_yes)::integer as max_pct_yes
from scores as s
inner join inspections as i on s.inspection_id = i.inspection_id
where s.theme is not null and s.standard_key is not null
group by all
order by quarter_start, standard_key, theme
