"""Dagster assets and asset checks, one module per stage: fetch -> raw -> dbt -> checks -> serving."""
