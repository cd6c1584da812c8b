select
    i.inspection_id,
    i.pdu_name,
    r.content_sha256,
    r.number as rec_number,
    trim(r.recipient) as recipient,
    trim(r.level) as recipient_level,
    r.text
from {{ source('raw', 'recommendations') }} as r
inner join {{ ref('stg_inspections') }} as i on i.content_sha256 = r.content_sha256
