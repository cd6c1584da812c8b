{{ config(severity='warn') }}
-- Observed band pattern (n = rated standards): Inadequate <= n/2, RI <= 1.5n, Good <= 2.5n, else Outstanding.
-- The edges are inferred, not official, so a disagreement only warns.
select inspection_id, score, n_standards_rated, overall_rating, score_band_rating
from (
    select
        *,
        case
            when score <= n_standards_rated / 2.0 then 'Inadequate'
            when score <= 1.5 * n_standards_rated then 'Requires improvement'
            when score <= 2.5 * n_standards_rated then 'Good'
            else 'Outstanding'
        end as score_band_rating
    from {{ ref('inspections') }}
    where score is not null and n_standards_rated > 0
)
where score_band_rating <> overall_rating
