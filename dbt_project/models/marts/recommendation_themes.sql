-- One row per (recommendation, theme). A recommendation gets every theme whose pattern (seed
-- recommendation_theme_patterns, regular expressions matched case-insensitively on its text) matches,
-- and `other` when none does, so every recommendation appears at least once.
-- The patterns are read from the seed when the model runs and written into the SQL as constants: a
-- pattern taken from a joined column would be compiled again for every row (1.5 s at 300 reports).
-- depends_on: {{ ref('recommendation_theme_patterns') }}
{%- set patterns = [] -%}
{%- if execute -%}
    {%- set patterns = run_query(
        "select theme, theme_label, pattern from " ~ ref('recommendation_theme_patterns') ~ " order by theme, pattern"
    ).rows -%}
{%- endif %}

with recommendations as (
    select * from {{ ref('recommendations') }}
),

inspections as (
    select * from {{ ref('inspections') }}
),

matches as (
    {%- for theme, theme_label, pattern in patterns %}
        select
            inspection_id,
            rec_number,
            {{ sql_string(theme) }} as theme,
            {{ sql_string(theme_label) }} as theme_label
        from recommendations
        where regexp_matches(text, {{ sql_string(pattern) }}, 'i')
        union all
    {%- endfor %}
    -- An empty last branch closes the union (and gives its columns when the seed has no pattern).
    select
        null as inspection_id,
        null as rec_number,
        null as theme,
        null as theme_label
    where false
),

matched as (
    -- One row per theme however many of its patterns match (and whatever label each pattern row repeats).
    select inspection_id, rec_number, theme, min(theme_label) as theme_label
    from matches
    group by inspection_id, rec_number, theme
),

tagged as (
    select r.*, coalesce(m.theme, 'other') as theme, coalesce(m.theme_label, 'Other') as theme_label
    from recommendations as r
    left join matched as m on r.inspection_id = m.inspection_id and r.rec_number = m.rec_number
)

select
    t.inspection_id::varchar as inspection_id,
    t.pdu_name::varchar as pdu_name,
    i.region::varchar as region,
    i.published_month::date as published_month,
    t.rec_number::integer as rec_number,
    t.recipient_level::varchar as recipient_level,
    t.theme::varchar as theme,
    t.theme_label::varchar as theme_label,
    (count(*) over (partition by t.inspection_id, t.rec_number))::integer as n_themes,
    t.text::varchar as text
from tagged as t
inner join inspections as i on t.inspection_id = i.inspection_id
order by t.inspection_id, t.rec_number, t.theme
