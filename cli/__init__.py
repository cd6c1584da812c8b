"""Command-line entry points, the top layer: `inspections`, `make run`, `make dev`, `make docs`, the dbt manifest."""
