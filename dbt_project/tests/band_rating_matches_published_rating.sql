{{ config(severity='warn') }}
-- The published rating is the truth; a band disagreeing with it without a discretion flag
-- points at a misread percentage or a missed discretion note, worth a look but not a stop.
select inspection_id, standard_code, rating, band_rating, lowest_pct_yes, discretion_applied
from {{ ref('ratings') }}
where band_rating is not null
    and band_rating <> rating
    and not coalesce(discretion_applied, false)
