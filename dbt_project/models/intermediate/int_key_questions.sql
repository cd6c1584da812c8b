-- Key-question percentages of each inspection's current version, the unrated Outcomes question included.
with inspections as (
    select * from {{ ref('int_current_inspections') }}
),

key_questions as (
    select * from {{ ref('stg_key_questions') }}
),

framework_standards as (
    select * from {{ ref('framework_standards') }}
),

unrated as (
    select framework, standard_code from framework_standards
    where not is_rated
),

questions as (
    select
        i.inspection_id,
        i.pdu_name,
        i.framework,
        q.content_sha256,
        q.standard_code as printed_code,
        q.standard_name,
        q.is_rated_standard,
        q.question_number,
        q.question_text,
        q.pct_yes
    from key_questions as q
    inner join inspections as i on q.content_sha256 = i.content_sha256
)

select
    -- sqlfluff reads a column of `exclude` as an unqualified reference.
    q.* exclude (printed_code),  -- noqa: RF02
    -- The parser may not know the Outcomes code ("outcomes"): take the framework's unrated standard.
    case
        when not q.is_rated_standard and not regexp_matches(q.printed_code, '^\d+\.\d+$')
            then coalesce(u.standard_code, q.printed_code)
        else q.printed_code
    end as standard_code
from questions as q
left join unrated as u on q.framework = u.framework
