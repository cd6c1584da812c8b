-- The version of every landing path the marts read, with the reference PDU name, region and the
-- inspection it claims: the path's current content when it parsed; else, when its newer content cannot be
-- read (quarantined), its last good version (the newest content it held that parsed), with since when and
-- why the newer file is not used. Files that left the landing folder (file_present = false) are kept on
-- purpose: their inspections must stay in the marts.
with report_files as (
    select * from {{ ref('stg_report_files') }}
),

file_versions as (
    select * from {{ ref('stg_report_file_versions') }}
),

quarantine as (
    select * from {{ ref('stg_quarantine') }}
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

last_good as (
    select
        v.file_path,
        v.content_sha256,
        v.held_since
    from file_versions as v
    where
        v.status = 'parsed'
        and v.content_sha256 in (select r.content_sha256 from reports as r)
    qualify row_number() over (
        partition by v.file_path order by v.held_since desc, v.last_seen_at desc, v.content_sha256 asc
    ) = 1
),

-- Since when the path has held no usable version: the first content it held after its last good one.
unusable_since as (
    select
        g.file_path,
        min(v.held_since) as since
    from last_good as g
    inner join file_versions as v on g.file_path = v.file_path and g.held_since < v.held_since
    group by g.file_path
),

current_files as (
    select
        file_path,
        content_sha256,
        file_present,
        null::timestamp as newer_file_rejected_at,
        null::varchar as newer_file_rejected_reason
    from report_files
    where status = 'parsed'

    union all

    select
        f.file_path,
        g.content_sha256,
        f.file_present,
        coalesce(u.since, q.quarantined_at, f.first_seen_at) as newer_file_rejected_at,
        coalesce(q.reason, 'not parsed') as newer_file_rejected_reason
    from report_files as f
    inner join last_good as g on f.file_path = g.file_path
    left join unusable_since as u on f.file_path = u.file_path
    left join quarantine as q on f.file_path = q.file_path and f.content_sha256 = q.content_sha256
    where f.status = 'quarantined'
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
        r.n_warnings,
        f.newer_file_rejected_at,
        f.newer_file_rejected_reason
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
