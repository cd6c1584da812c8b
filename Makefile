# Two commands matter: `make run` (build everything on the landing folder) and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: install run test dev lint manifest bench docs clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed dagster-home manifest

.PHONY: dagster-home
dagster-home:
	@mkdir -p $(DAGSTER_HOME)
	@cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

# dagster-dbt needs dbt's manifest before the definitions load.
manifest: $(VENV)/.installed
	$(BIN)/python -m orchestration.dbt_manifest

run: install
	$(BIN)/python -m orchestration.run

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

dev: install
	$(BIN)/dagster dev -w workspace.yaml

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
