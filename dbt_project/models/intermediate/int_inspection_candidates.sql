-- Every parsed version that claims an inspection (the same report in two formats, a re-published
-- file, a damaged copy), ranked by the rule that picks the one the marts keep:
--   1. complete before incomplete (all the framework's rated standards, every case-supervision
--      standard with its key-question percentages, a score, recommendations numbered 1..N);
--   2. then fewer parse warnings;
--   3. then the newest parse (then the content hash and path, so that the choice is always the same).
-- A last good version kept because its file's newer content cannot be read (newer_file_rejected_at set)
-- competes like any other: a file turning unreadable changes no value the marts hold, only marks it.
-- `choice` says, on every row, which file won and why.
with versions as (
    select * from {{ ref('int_report_versions') }}
),

standards as (
    select * from {{ ref('stg_standards') }}
),

key_questions as (
    select * from {{ ref('stg_key_questions') }}
),

recommendations as (
    select * from {{ ref('stg_recommendations') }}
),

framework_standards as (
    select * from {{ ref('framework_standards') }}
),

framework as (
    select
        framework,
        count(*) filter (where is_rated) as n_rated_expected
    from framework_standards
    group by framework
),

expected_questions as (
    select framework, standard_code, n_key_questions
    from framework_standards
    where is_rated and n_key_questions > 0
),

rated as (
    select
        content_sha256,
        count(distinct standard_code) as n_rated
    from standards
    group by content_sha256
),

percentages as (
    select
        content_sha256,
        standard_code,
        count(pct_yes) as n_pct
    from key_questions
    where is_rated_standard
    group by content_sha256, standard_code
),

short_of_percentages as (
    select v.content_sha256, count(*) as n_standards_short
    from versions as v
    inner join expected_questions as e on v.framework = e.framework
    left join percentages as p on v.content_sha256 = p.content_sha256 and e.standard_code = p.standard_code
    where coalesce(p.n_pct, 0) < e.n_key_questions
    group by v.content_sha256
),

recommendation_numbers as (
    select
        content_sha256,
        count(*) = count(distinct rec_number) and min(rec_number) = 1 and max(rec_number) = count(*)
            as numbered_1_to_n
    from recommendations
    group by content_sha256
),

assessed as (
    select
        v.*,
        coalesce(r.n_rated, 0) as n_standards_found,
        f.n_rated_expected as n_standards_expected,
        coalesce(s.n_standards_short, 0) as n_standards_short_of_percentages,
        coalesce(n.numbered_1_to_n, false) as recommendations_numbered_1_to_n,
        (
            f.n_rated_expected is not null
            and coalesce(r.n_rated, 0) = f.n_rated_expected
            and coalesce(s.n_standards_short, 0) = 0
            and v.score is not null
            and coalesce(n.numbered_1_to_n, false)
        ) as is_complete
    from versions as v
    left join framework as f on v.framework = f.framework
    left join rated as r on v.content_sha256 = r.content_sha256
    left join short_of_percentages as s on v.content_sha256 = s.content_sha256
    left join recommendation_numbers as n on v.content_sha256 = n.content_sha256
),

ranked as (
    select
        *,
        row_number() over (
            partition by inspection_id
            order by
                is_complete desc,
                n_warnings asc,
                parsed_at desc,
                content_sha256 asc,
                file_path asc
        ) as candidate_rank,
        count(*) over (partition by inspection_id) as n_candidates
    from assessed
),

winners as (
    select
        w.inspection_id,
        w.file_path as chosen_file,
        case
            when w.n_candidates = 1 then 'only version'
            when w.is_complete and not r.is_complete then 'complete; the next best is incomplete'
            when w.n_warnings < r.n_warnings
                then 'fewer parse warnings (' || w.n_warnings || ' against ' || r.n_warnings || ')'
            when w.parsed_at > r.parsed_at then 'newest parse among equally complete versions with as many warnings'
            else 'identical on completeness, warnings and parse time: first by content hash'
        end as chosen_because
    from ranked as w
    left join ranked as r on w.inspection_id = r.inspection_id and r.candidate_rank = 2
    where w.candidate_rank = 1
)

select
    r.*,
    r.candidate_rank = 1 as is_chosen,
    w.chosen_file,
    w.chosen_because,
    case
        when r.candidate_rank = 1 then 'chosen: ' || w.chosen_because
        else 'not chosen: ' || w.chosen_file || ' is preferred (' || w.chosen_because || ')'
    end as choice
from ranked as r
inner join winners as w on r.inspection_id = w.inspection_id
