-- One row per (recommendation, theme). A recommendation gets every theme whose pattern (seed
-- recommendation_theme_patterns, regular expressions matched case-insensitively on its text) matches,
-- and `other` when none does, so every recommendation appears at least once.
with matched as (
    -- One row per theme however many of its patterns match (and whatever label each pattern row repeats).
    select r.inspection_id, r.rec_number, p.theme, min(p.theme_label) as theme_label
    from {{ ref('recommendations') }} as r
    inner join {{ ref('recommendation_theme_patterns') }} as p on regexp_matches(r.text, p.pattern, 'i')
    group by r.inspection_id, r.rec_number, p.theme
),

tagged as (
    select r.*, coalesce(m.theme, 'other') as theme, coalesce(m.theme_label, 'Other') as theme_label
    from {{ ref('recommendations') }} as r
    left join matched as m on m.inspection_id = r.inspection_id and m.rec_number = r.rec_number
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
inner join {{ ref('inspections') }} as i on i.inspection_id = t.inspection_id
order by t.inspection_id, t.rec_number, t.theme
