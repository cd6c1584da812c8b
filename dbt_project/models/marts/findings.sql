select
    inspection_id::varchar as inspection_id,
    pdu_name::varchar as pdu_name,
    standard_code::varchar as standard_code,
    kind::varchar as kind,
    position::integer as position,
    text::varchar as text
from {{ ref('stg_findings') }}
order by inspection_id, standard_code, kind desc, position
