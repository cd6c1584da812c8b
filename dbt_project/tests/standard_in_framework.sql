-- Every rated standard and every percentage belongs to its inspection's framework, with the right rated-ness.
with used as (
    select inspection_id, framework, standard_code, true as is_rated, 'ratings' as source
    from {{ ref('ratings') }}
    union all
    select inspection_id, framework, standard_code, is_rated_standard, 'scores'
    from {{ ref('scores') }}
)

select u.*
from used as u
left join {{ ref('framework_standards') }} as f
    on f.framework = u.framework and f.standard_code = u.standard_code and f.is_rated = u.is_rated
where f.standard_code is null
