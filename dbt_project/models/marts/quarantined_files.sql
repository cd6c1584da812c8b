-- Files of the landing folder that are currently quarantined (could not be parsed), for the UI.
with quarantine as (
    select * from {{ ref('stg_quarantine') }}
),

report_files as (
    select * from {{ ref('stg_report_files') }}
)

select
    q.file_path::varchar as file_path,
    q.content_sha256::varchar as content_sha256,
    q.size_bytes::bigint as size_bytes,
    q.reason::varchar as reason,
    q.quarantined_at::timestamp as quarantined_at
from quarantine as q
inner join report_files as f
    on q.file_path = f.file_path and q.content_sha256 = f.content_sha256
where f.status = 'quarantined' and f.file_present
