-- max_score = 3 x the number of rated standards, and n_standards_rated counts the ratings rows.
select i.inspection_id, i.max_score, i.n_standards_rated, count(r.standard_code) as ratings_rows
from {{ ref('inspections') }} as i
left join {{ ref('ratings') }} as r on r.inspection_id = i.inspection_id
group by i.inspection_id, i.max_score, i.n_standards_rated
having i.max_score is distinct from 3 * count(r.standard_code)
    or i.n_standards_rated is distinct from count(r.standard_code)
