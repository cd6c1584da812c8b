select
    inspection_id::varchar as inspection_id,
    pdu_name::varchar as pdu_name,
    rec_number::integer as rec_number,
    recipient::varchar as recipient,
    recipient_level::varchar as recipient_level,
    text::varchar as text
from {{ ref('stg_recommendations') }}
order by inspection_id, rec_number
