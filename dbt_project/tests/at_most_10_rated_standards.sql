-- A PDU report never has more than 10 standards; more means a parser read something twice.
select inspection_id, count(*) as n_rated
from {{ ref('ratings') }}
group by inspection_id
having count(*) > 10
