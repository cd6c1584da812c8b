-- One row per recommendation of each inspection's current version.
-- Incremental (dbt_project.yml): only the inspections to rebuild are selected when the mart is refreshed.
-- depends_on: {{ ref('int_current_inspections') }}
with recommendations as (
    select * from {{ ref('stg_recommendations') }}
),

inspections as (
    select * from {{ ref('int_current_inspections') }}
)

select
    i.inspection_id::varchar as inspection_id,
    i.pdu_name::varchar as pdu_name,
    r.rec_number::integer as rec_number,
    r.recipient::varchar as recipient,
    r.recipient_level::varchar as recipient_level,
    r.text::varchar as text
from recommendations as r
inner join inspections as i on r.content_sha256 = i.content_sha256
where {{ inspections_to_build('i.inspection_id') }}
order by inspection_id, rec_number
