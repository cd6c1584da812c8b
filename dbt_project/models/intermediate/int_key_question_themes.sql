-- Each distinct key-question text with the themes whose pattern (seed key_question_themes, regular
-- expressions, case-insensitive) it matches. A theme is assigned only when exactly one theme matches:
-- an unknown or ambiguous wording gets no theme (and a warning) rather than a guessed one.
with key_questions as (
    select * from {{ ref('int_key_questions') }}
),

key_question_themes as (
    select * from {{ ref('key_question_themes') }}
),

texts as (
    select distinct question_text from key_questions
    where question_text is not null
),

matches as (
    select distinct t.question_text, p.theme
    from texts as t
    inner join key_question_themes as p on regexp_matches(t.question_text, p.pattern, 'i')
)

select
    t.question_text,
    count(m.theme) as n_themes,
    case when count(m.theme) = 1 then min(m.theme) end as theme
from texts as t
left join matches as m on t.question_text = m.question_text
group by t.question_text
