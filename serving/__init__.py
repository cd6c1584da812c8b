"""Publishing the marts to BI tools: write-audit-publish, versions, rollback, dashboard (no Dagster here)."""
