-- Each rated standard of each inspection's current version, with its points, its lowest key-question
-- percentage and the band that percentage falls in (seed rating_scale, so the band edges live in one place).
with inspections as (
    select * from {{ ref('int_current_inspections') }}
),

standards as (
    select * from {{ ref('stg_standards') }}
),

key_questions as (
    select * from {{ ref('int_key_questions') }}
),

rating_scale as (
    select * from {{ ref('rating_scale') }}
),

current_standards as (
    select
        i.inspection_id,
        i.pdu_name,
        i.framework,
        s.content_sha256,
        s.position,
        s.standard_code,
        s.standard_name,
        s.domain,
        s.rating,
        s.parsed_band_rating,
        s.discretion
    from standards as s
    inner join inspections as i on s.content_sha256 = i.content_sha256
),

lowest as (
    select
        inspection_id,
        standard_code,
        min(pct_yes) as lowest_pct_yes
    from key_questions
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
            from rating_scale as b
            where b.band_floor_pct <= l.lowest_pct_yes
            order by b.band_floor_pct desc
            limit 1
        ),
        s.parsed_band_rating
    ) as band_rating
from current_standards as s
left join rating_scale as p on s.rating = p.rating
left join lowest as l on s.inspection_id = l.inspection_id and s.standard_code = l.standard_code
