-- A previous inspection belongs to the same PDU, was published earlier, and is the latest such one.
select h.inspection_id, h.previous_inspection_id, h.published_month, p.published_month as previous_month
from {{ ref('pdu_history') }} as h
left join {{ ref('inspections') }} as p on p.inspection_id = h.previous_inspection_id
where
    (h.previous_inspection_id is not null
        and (p.pdu_name is distinct from h.pdu_name or p.published_month >= h.published_month))
    or h.previous_inspection_id is distinct from (
        select max_by(e.inspection_id, e.published_month)
        from {{ ref('inspections') }} as e
        where e.pdu_name = h.pdu_name and e.published_month < h.published_month
    )
