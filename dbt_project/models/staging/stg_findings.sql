select
    i.inspection_id,
    i.pdu_name,
    f.content_sha256,
    {{ normalise_standard_code('f.standard_code') }} as standard_code,
    lower(trim(f.kind)) as kind,
    f.position,
    f.text
from {{ source('raw', 'findings') }} as f
inner join {{ ref('stg_inspections') }} as i on i.content_sha256 = f.content_sha256
