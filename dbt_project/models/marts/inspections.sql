-- One row per inspection. The printed score is the truth; it is derived from the ratings only
-- when the report did not print one (score_is_derived).
-- Incremental (dbt_project.yml): only the inspections to rebuild are selected when the mart is refreshed.
-- depends_on: {{ ref('int_current_inspections') }}
with banded_ratings as (
    select * from {{ ref('int_banded_ratings') }}
),

parse_warnings as (
    select * from {{ ref('stg_parse_warnings') }}
),

current_inspections as (
    select * from {{ ref('int_current_inspections') }}
),

rated as (
    select
        inspection_id,
        count(*) as n_standards_rated,
        sum(rating_points) as points_total
    from banded_ratings
    group by inspection_id
),

warnings as (
    select content_sha256, count(*) as n_parse_warnings
    from parse_warnings
    group by content_sha256
),

scored as (
    select
        i.*,
        coalesce(r.n_standards_rated, 0) as n_standards_rated,
        r.points_total,
        coalesce(i.score, r.points_total) as final_score,
        coalesce(i.max_score, 3 * r.n_standards_rated) as final_max_score,
        coalesce(w.n_parse_warnings, 0) as n_parse_warnings
    from current_inspections as i
    left join rated as r on i.inspection_id = r.inspection_id
    left join warnings as w on i.content_sha256 = w.content_sha256
)

select
    inspection_id::varchar as inspection_id,
    pdu_name::varchar as pdu_name,
    region::varchar as region,
    published_month::date as published_month,
    fieldwork_month::date as fieldwork_month,
    fieldwork_start_date::date as fieldwork_start_date,
    framework::varchar as framework,
    overall_rating::varchar as overall_rating,
    final_score::integer as score,
    final_max_score::integer as max_score,
    (100.0 * final_score / nullif(final_max_score, 0))::double as score_pct,
    n_standards_rated::integer as n_standards_rated,
    points_total::integer as points_total,
    (score is null)::boolean as score_is_derived,
    cases_inspected::integer as cases_inspected,
    interviews::integer as interviews,
    lead_inspector::varchar as lead_inspector,
    chief_inspector::varchar as chief_inspector,
    isbn::varchar as isbn,
    source_file::varchar as source_file,
    source_format::varchar as source_format,
    content_sha256::varchar as content_sha256,
    file_path::varchar as file_path,
    file_present::boolean as file_present,
    parsed_at::timestamp as parsed_at,
    n_parse_warnings::integer as n_parse_warnings,
    newer_file_rejected_at::timestamp as newer_file_rejected_at,
    newer_file_rejected_reason::varchar as newer_file_rejected_reason
from scored
where {{ inspections_to_build('inspection_id') }}
order by published_month, inspection_id
