{{ config(severity='warn') }}
-- The overall rating should be the band of the score (edges in the rating_scale seed, n = rated standards).
-- The edges are inferred from observed reports, not official, so a disagreement only warns.
with banded as (
    select
        i.inspection_id,
        i.score,
        i.n_standards_rated,
        i.overall_rating,
        (
            select b.rating
            from {{ ref('rating_scale') }} as b
            where i.score <= b.score_ceiling_per_standard * i.n_standards_rated
            order by b.score_ceiling_per_standard
            limit 1
        ) as score_band_rating
    from {{ ref('inspections') }} as i
    where i.score is not null and i.n_standards_rated > 0
)

select *
from banded
where score_band_rating is distinct from overall_rating
