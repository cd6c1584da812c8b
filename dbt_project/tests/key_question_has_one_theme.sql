{{ config(severity='warn') }}
-- Every key question should match exactly one theme pattern (seed key_question_themes). No match or several
-- means a wording the seed does not know: its percentage has no theme until the seed is extended.
select s.inspection_id, s.standard_code, s.question_number, s.question_text, count(distinct p.theme) as n_themes
from {{ ref('scores') }} as s
left join {{ ref('key_question_themes') }} as p on regexp_matches(s.question_text, p.pattern, 'i')
group by s.inspection_id, s.standard_code, s.question_number, s.question_text
having count(distinct p.theme) <> 1
