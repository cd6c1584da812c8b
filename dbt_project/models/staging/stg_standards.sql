-- Rated standards of the winning version of each inspection, codes normalised ("P 1.1" -> "1.1").
select
    i.inspection_id,
    i.pdu_name,
    i.framework,
    s.content_sha256,
    s.position,
    {{ normalise_standard_code('s.code') }} as standard_code,
    trim(s.name) as standard_name,
    s.domain,
    trim(s.rating) as rating,
    trim(s.band_rating) as parsed_band_rating,
    s.discretion
from {{ source('raw', 'standards') }} as s
inner join {{ ref('stg_inspections') }} as i on i.content_sha256 = s.content_sha256
