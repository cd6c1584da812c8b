-- One row per inspection (PDU + publication month): the same report in two formats, or a
-- re-published file, collapses to the newest parse.
select *
from {{ ref('stg_report_versions') }}
qualify row_number() over (
    partition by inspection_id
    order by parsed_at desc, content_sha256
) = 1
