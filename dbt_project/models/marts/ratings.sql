-- One row per (inspection, rated standard). band_rating is what the lowest key-question
-- percentage implies; discretion_applied is the parser's flag that inspectors departed from it.
-- standard_key names the same standard across frameworks (seed standard_keys): 2023's 2.2 and
-- 2024's 2.1 are both `assessment`.
-- Incremental (dbt_project.yml): only the inspections to rebuild are selected when the mart is refreshed.
-- depends_on: {{ ref('int_current_inspections') }}
with banded_ratings as (
    select * from {{ ref('int_banded_ratings') }}
),

standard_keys as (
    select * from {{ ref('standard_keys') }}
)

select
    r.inspection_id::varchar as inspection_id,
    r.pdu_name::varchar as pdu_name,
    r.framework::varchar as framework,
    r.standard_code::varchar as standard_code,
    r.standard_name::varchar as standard_name,
    r.domain::integer as domain,
    r.rating::varchar as rating,
    r.rating_points::integer as rating_points,
    r.lowest_pct_yes::integer as lowest_pct_yes,
    r.band_rating::varchar as band_rating,
    r.discretion::boolean as discretion_applied,
    k.standard_key::varchar as standard_key
from banded_ratings as r
left join standard_keys as k on r.framework = k.framework and r.standard_code = k.standard_code
where {{ inspections_to_build('r.inspection_id') }}
order by r.inspection_id, r.standard_code
