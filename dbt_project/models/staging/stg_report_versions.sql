-- The current parsed version of every landing path, typed and keyed. Files that left the landing
-- folder (present = false) are kept on purpose: their inspections must stay in the marts.
with current_files as (
    select file_path, content_sha256, present
    from {{ source('raw', 'report_files') }}
    where status = 'parsed'
),

aliases as (
    select lower(trim(alias)) as alias_key, pdu_name from {{ ref('pdu_aliases') }}
),

versions as (
    select
        r.content_sha256,
        f.file_path,
        f.present as file_present,
        r.source_file,
        r.source_format,
        r.parsed_at,
        r.parser_version,
        -- HMI spells some PDUs differently; map known aliases to the reference name.
        coalesce(a.pdu_name, trim(regexp_replace(r.pdu, '\s+PDU$', ''))) as pdu_name,
        nullif(trim(regexp_replace(r.region, '\s+region$', '', 'i')), '') as region_as_printed,
        try_strptime(r.published, '%Y-%m')::date as published_month,
        try_strptime(r.fieldwork_month, '%Y-%m')::date as fieldwork_month,
        r.fieldwork_start_date,
        trim(r.overall_rating) as overall_rating,
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
    inner join {{ source('raw', 'reports') }} as r on r.content_sha256 = f.content_sha256
    left join aliases as a on a.alias_key = lower(trim(regexp_replace(r.pdu, '\s+PDU$', '')))
)

select
    -- Stable key: slug of the PDU + publication month, e.g. dorset-2023-08.
    trim(regexp_replace(lower(v.pdu_name), '[^a-z0-9]+', '-', 'g'), '-')
        || '-' || strftime(v.published_month, '%Y-%m') as inspection_id,
    v.*,
    coalesce(v.region_as_printed, d.region) as region
from versions as v
left join {{ ref('pdu_directory') }} as d on d.pdu_name = v.pdu_name
