-- The score is the sum of the rated standards' points (blocking: a mismatch means a misparsed rating or score).
select i.inspection_id, i.score, coalesce(sum(r.rating_points), 0) as points_total
from {{ ref('inspections') }} as i
left join {{ ref('ratings') }} as r on r.inspection_id = i.inspection_id
group by i.inspection_id, i.score
having i.score is distinct from coalesce(sum(r.rating_points), 0)
