-- One row per inspection (PDU + publication month): of the versions that claim it, the best one
-- (int_inspection_candidates: complete first, then fewest warnings, then newest parse). Inspections removed
-- on purpose (`inspections forget`) are left out.
-- A table, not a view: the version ranking is worked out once per build rather than once in every mart
-- and hook that reads it (-0.4 s of a build at 1,000 reports; docs/dbt.md, "Incremental marts").
{{ config(materialized='table') }}
with candidates as (
    select * from {{ ref('int_inspection_candidates') }}
),

forgotten as (
    select * from {{ ref('stg_forgotten_inspections') }}
),

forgotten_ids as (
    select inspection_id
    from forgotten
    where inspection_id is not null
)

select * exclude (candidate_rank, is_chosen, choice)
from candidates
where is_chosen and inspection_id not in (select forgotten_ids.inspection_id from forgotten_ids)
