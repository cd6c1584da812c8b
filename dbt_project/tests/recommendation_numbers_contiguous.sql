-- Recommendations are numbered 1..N across recipient groups, without gaps or repeats.
select inspection_id, min(rec_number) as first_number, max(rec_number) as last_number,
    count(*) as n_rows, count(distinct rec_number) as n_numbers
from {{ ref('recommendations') }}
group by inspection_id
having min(rec_number) <> 1 or max(rec_number) <> count(*) or count(distinct rec_number) <> count(*)
