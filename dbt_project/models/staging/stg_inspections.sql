-- One row per inspection (PDU + publication month): of the versions that claim it, the best one
-- (stg_inspection_candidates: complete first, then fewest warnings, then newest parse).
select * exclude (candidate_rank, is_chosen, choice)
from {{ ref('stg_inspection_candidates') }}
where is_chosen
