-- Each inspection's place in its PDU's history: the n-th inspection of the PDU by publication month,
-- and the inspection just before it. (PDU, month) is unique, so the order has no ties; inspection_id
-- breaks them anyway so that the order can never depend on the engine.
with inspections as (
    select * from {{ ref('int_current_inspections') }}
)

select
    inspection_id,
    pdu_name,
    published_month,
    row_number() over w as inspection_number,
    lag(inspection_id) over w as previous_inspection_id
from inspections
window w as (partition by pdu_name order by published_month, inspection_id)
