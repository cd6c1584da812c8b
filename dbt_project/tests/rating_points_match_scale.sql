-- Every rated standard carries its rating's points from the seed rating_scale: the points add up to the score.
select r.inspection_id, r.standard_code, r.rating, r.rating_points, s.points as scale_points
from {{ ref('ratings') }} as r
inner join {{ ref('rating_scale') }} as s on r.rating = s.rating
where r.rating_points is distinct from s.points
