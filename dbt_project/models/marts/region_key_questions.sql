-- Median key-question percentage per (region, standard_key, theme), over each PDU's latest inspection
-- (latest_scores). Percentages without a theme (unknown wording) are left out rather than guessed.
with latest_scores as (
    select * from {{ ref('latest_scores') }}
)

select
    region::varchar as region,
    standard_key::varchar as standard_key,
    theme::varchar as theme,
    count(distinct inspection_id)::integer as inspections,
    count(*)::integer as n_percentages,
    median(pct_yes)::double as median_pct_yes,
    min(pct_yes)::integer as min_pct_yes,
    max(pct_yes)::integer as max_pct_yes
from latest_scores
where theme is not null and standard_key is not null
group by region, standard_key, theme
order by region, standard_key, theme
