-- The current parsed version of every landing path, with the reference PDU name, region and the
-- inspection it claims. Files that left the landing folder (file_present = false) are kept on purpose:
-- their inspections must stay in the marts.
with report_files as (
    select * from {{ ref('stg_report_files') }}
),

reports as (
    select * from {{ ref('stg_reports') }}
),

pdu_aliases as (
    select * from {{ ref('pdu_aliases') }}
),

pdu_directory as (
    select * from {{ ref('pdu_directory') }}
),

current_files as (
    select file_path, content_sha256, file_present
    from report_files
    where status = 'parsed'
),

aliases as (
    select
        pdu_name,
        lower(trim(alias)) as alias_key
    from pdu_aliases
),

versions as (
    select
        r.content_sha256,
        f.file_path,
        f.file_present,
        r.source_file,
        r.source_format,
        r.parsed_at,
        r.parser_version,
        -- HMI spells some PDUs differently; map known aliases to the reference name.
        coalesce(a.pdu_name, r.pdu_as_printed) as pdu_name,
        r.region_as_printed,
        r.published_month,
        r.fieldwork_month,
        r.fieldwork_start_date,
        r.overall_rating,
        r.score,
        r.max_score,
        r.cases_inspected,
        r.interviews,
        r.lead_inspector,
        r.chief_inspector,
        r.isbn,
        r.framework,
        r.outcomes_text,
        r.outcomes_pct_yes,
        r.n_warnings
    from current_files as f
    inner join reports as r on f.content_sha256 = r.content_sha256
    left join aliases as a on lower(r.pdu_as_printed) = a.alias_key
)

select
    -- Stable key: slug of the PDU + publication month, e.g. dorset-2023-08.
    {{ slug('v.pdu_name') }} || '-' || strftime(v.published_month, '%Y-%m') as inspection_id,
    v.*,
    coalesce(v.region_as_printed, d.region) as region
from versions as v
left join pdu_directory as d on v.pdu_name = d.pdu_name
