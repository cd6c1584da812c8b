-- The regions' current state counts every inspected PDU exactly once.
select *
from (
    select
        (select sum(pdus_inspected) from {{ ref('region_summary') }}) as pdus_in_regions,
        (select count(distinct pdu_name) from {{ ref('inspections') }}) as pdus_inspected
)
where pdus_in_regions is distinct from pdus_inspected
