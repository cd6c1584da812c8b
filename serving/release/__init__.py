"""A serving version as a data release: a Frictionless data package with what changed since the last version.

`package` writes it into the version folder before the publish switches to the version, `schema` turns the
dbt contracts and docs/contract.md into Table Schemas, `diff` compares two versions' marts. Writing needs
no Frictionless at runtime (plain JSON, DuckDB, the standard library); the tests validate with it.
"""
