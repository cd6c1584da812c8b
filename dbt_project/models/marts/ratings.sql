-- One row per (inspection, rated standard). band_rating is what the lowest key-question
-- percentage implies; discretion_applied is the parser's flag that inspectors departed from it.
select
    inspection_id::varchar as inspection_id,
    pdu_name::varchar as pdu_name,
    framework::varchar as framework,
    standard_code::varchar as standard_code,
    standard_name::varchar as standard_name,
    domain::integer as domain,
    rating::varchar as rating,
    rating_points::integer as rating_points,
    lowest_pct_yes::integer as lowest_pct_yes,
    band_rating::varchar as band_rating,
    discretion::boolean as discretion_applied
from {{ ref('stg_ratings') }}
order by inspection_id, standard_code
