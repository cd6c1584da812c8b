# Two commands matter: `make run` (build everything on the landing folder) and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# `make deploy` honours the caller's DAGSTER_HOME (environment or command line); the others use the project's.
DEPLOY_HOME := $(or $(DAGSTER_HOME),$(CURDIR)/.dagster_deploy)
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: install run test dev lint lint-sql manifest bench docs clean browser postgres

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
# pip's and setuptools' notes go to a log, shown only when the install fails.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "installing the project and its dependencies into $(VENV) (log: $(VENV)/pip-install.log)"
	@$(BIN)/pip install --quiet -e '.[dev]' > $(VENV)/pip-install.log 2>&1 || { cat $(VENV)/pip-install.log; exit 1; }
	@touch $@

install: $(VENV)/.installed dagster-home manifest

# The instance's storage is created once, under a lock (orchestration/instance.py): `make dev` and
# `make run` started together on a fresh clone must not both create it.
.PHONY: dagster-home
dagster-home: $(VENV)/.installed
	@mkdir -p $(DAGSTER_HOME)
	@cp orchestration/dagster.yaml $(DAGSTER_HOME)/.dagster.yaml.$$$$ && mv -f $(DAGSTER_HOME)/.dagster.yaml.$$$$ $(DAGSTER_HOME)/dagster.yaml
	@test -f $(DAGSTER_HOME)/.instance-ready || $(BIN)/python -m orchestration.instance

# dagster-dbt needs dbt's manifest before the definitions load. Parsed again only when a file dbt reads
# changed, so a `make run` with nothing new parses nothing.
DBT_MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(wildcard dbt_project/*.yml) $(shell find dbt_project/models dbt_project/seeds dbt_project/macros \
  dbt_project/tests -type f 2>/dev/null)
$(DBT_MANIFEST): $(DBT_SOURCES) $(VENV)/.installed
	@$(BIN)/python -m cli.dbt_manifest
manifest: $(DBT_MANIFEST)

# `make run FORCE=1` rebuilds and publishes even when nothing changed (`inspections run --force`).
run: install
	@$(BIN)/inspections run $(if $(filter 1 yes true,$(FORCE)),--force)

test: install browser postgres
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

# Headless Chromium (Debian's package) for the dashboard test; the test skips with a reason without it.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "warning: could not install chromium; the dashboard browser test will be skipped"

# Debian's PostgreSQL server binaries for the PostgreSQL serving tests, which start their own throwaway server in
# a temporary folder on a free port (any cluster Debian sets up is not used); they skip with a reason without it.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
	  || echo "warning: could not install postgresql; the PostgreSQL serving tests will be skipped"

# The Dagster UI on http://127.0.0.1:$(DEV_PORT); Ctrl-C or SIGTERM stops it and everything it started.
DEV_PORT ?= 3000
dev: install
	@$(BIN)/python -m cli.dev --port $(DEV_PORT)

# The deployment (docs/deploy.md): webserver, daemon and code server in the background on PostgreSQL
# (DAGSTER_POSTGRES_URL, else a local server under its DAGSTER_HOME, default .dagster_deploy: never make dev's).
DEPLOY_PORT ?= 3000
.PHONY: deploy deploy-stop
deploy: $(VENV)/.installed manifest
	@test -n "$$DAGSTER_POSTGRES_URL" || $(MAKE) --no-print-directory postgres
	DAGSTER_HOME=$(DEPLOY_HOME) DEPLOY_PORT=$(DEPLOY_PORT) $(BIN)/python -m deploy.stack start

deploy-stop:
	DAGSTER_HOME=$(DEPLOY_HOME) $(BIN)/python -m deploy.stack stop

# Benchmark (docs/benchmark.md): `make bench`, or `make bench BENCH_ARGS=--quick` for a smoke run.
bench: install
	$(BIN)/python -m bench.run_bench $(BENCH_ARGS)

# dbt's documentation site for the marts (column descriptions, lineage) as one file that opens from disk
# (dbt_project/target/static_index.html); needs a built warehouse (make run).
docs: install
	$(BIN)/python -m cli.dbt_docs

docs-serve: docs
	PROBATION_WAREHOUSE=$${PROBATION_WAREHOUSE:-$(CURDIR)/warehouse/probation.duckdb} $(BIN)/dbt docs serve \
	  --project-dir dbt_project --profiles-dir dbt_project --port 8081

lint: lint-sql $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# sqlfluff (.sqlfluff) on the dbt models, offline: the dbt templater compiles them against a throwaway warehouse
# holding the seeds, with dbt's files in a temporary folder. `make test` runs the same through
# tests/dbt/test_sql_lint.py.
lint-sql: $(VENV)/.installed
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT \
	  && export PROBATION_WAREHOUSE=$$tmp/lint.duckdb DBT_TARGET_PATH=$$tmp/target DBT_LOG_PATH=$$tmp/logs \
	  && $(BIN)/dbt seed --project-dir dbt_project --profiles-dir dbt_project --quiet \
	  && $(BIN)/sqlfluff lint dbt_project/models

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
