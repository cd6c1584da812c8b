-- raw.reports: one row per parsed file version with its report-level facts, typed. The PDU and region
-- are as printed, without the "PDU" / "region" suffix; mapping them to the reference names is left to
-- int_report_versions.
with source as (
    select * from {{ source('raw', 'reports') }}
),

renamed as (
    select
        content_sha256,
        source_file,
        source_format,
        parsed_at,
        parser_version,
        trim(regexp_replace(pdu, '\s+PDU$', '')) as pdu_as_printed,
        nullif(trim(regexp_replace(region, '\s+region$', '', 'i')), '') as region_as_printed,
        try_strptime(published, '%Y-%m')::date as published_month,
        try_strptime(fieldwork_month, '%Y-%m')::date as fieldwork_month,
        fieldwork_start_date,
        trim(overall_rating) as overall_rating,
        score,
        max_score,
        cases_inspected,
        interviews,
        lead_inspector,
        chief_inspector,
        isbn,
        framework,
        outcomes_text,
        outcomes_pct_yes,
        n_warnings
    from source
)

select * from renamed
