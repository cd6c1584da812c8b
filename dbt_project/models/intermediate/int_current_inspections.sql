-- One row per inspection (PDU + publication month): of the versions that claim it, the best one
-- (int_inspection_candidates: complete first, then fewest warnings, then newest parse).
with candidates as (
    select * from {{ ref('int_inspection_candidates') }}
)

select * exclude (candidate_rank, is_chosen, choice)
from candidates
where is_chosen
