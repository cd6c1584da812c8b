-- Every recommendation appears in recommendation_themes (with `other` at worst): theme counts must add up.
select r.inspection_id, r.rec_number
from {{ ref('recommendations') }} as r
left join {{ ref('recommendation_themes') }} as t on t.inspection_id = r.inspection_id and t.rec_number = r.rec_number
where t.inspection_id is null
