-- Each rated standard with its points, lowest key-question percentage and the band that
-- percentage falls in (from the reference seeds, so the band edges live in one place).
with lowest as (
    select inspection_id, standard_code, min(pct_yes) as lowest_pct_yes
    from {{ ref('stg_key_questions') }}
    where is_rated_standard and pct_yes is not null
    group by inspection_id, standard_code
)

select
    s.*,
    p.points as rating_points,
    l.lowest_pct_yes,
    coalesce(
        (
            select b.rating
            from {{ ref('rating_scale') }} as b
            where b.band_floor_pct <= l.lowest_pct_yes
            order by b.band_floor_pct desc
            limit 1
        ),
        s.parsed_band_rating
    ) as band_rating
from {{ ref('stg_standards') }} as s
left join {{ ref('rating_scale') }} as p on p.rating = s.rating
left join lowest as l on l.inspection_id = s.inspection_id and l.standard_code = s.standard_code
