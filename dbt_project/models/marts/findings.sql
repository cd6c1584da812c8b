-- One row per strength or improvement bullet of each inspection's current version.
-- Incremental (dbt_project.yml): only the inspections to rebuild are selected when the mart is refreshed.
-- depends_on: {{ ref('int_current_inspections') }}
with findings as (
    select * from {{ ref('stg_findings') }}
),

inspections as (
    select * from {{ ref('int_current_inspections') }}
)

select
    i.inspection_id::varchar as inspection_id,
    i.pdu_name::varchar as pdu_name,
    f.standard_code::varchar as standard_code,
    f.kind::varchar as kind,
    f.position::integer as position,
    f.text::varchar as text
from findings as f
inner join inspections as i on f.content_sha256 = i.content_sha256
where {{ inspections_to_build('i.inspection_id') }}
order by inspection_id asc, standard_code asc, kind desc, position asc
