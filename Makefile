# Two commands for a newcomer: `make demo` (everything, default year) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export WAREHOUSE_DIR ?= $(CURDIR)/warehouse
export DAGSTER_HOME ?= $(WAREHOUSE_DIR)/dagster_home
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
SCENARIO ?= dagster_project/simulate/scenarios/default.yaml
SEED ?= 0
SCALE ?= 1.0
START ?= 2024-11-03
END ?= 2025-11-30
DEFS := -m dagster_project.definitions

.PHONY: help setup manifest demo simulate materialize dev test test-fast lint bench bench-smoke spark clean

help:
	@echo "make demo   set up, simulate the default year, materialize every asset, publish marts + report"
	@echo "make test   the test suite (real Dagster, dbt, DuckDB, GX on small generated data)"
	@echo "make dev    the Dagster UI on http://127.0.0.1:3000"
	@echo "make bench  benchmarks (see benchmarks/README.md)"
	@echo "make spark  build every mart on local Spark and compare with DuckDB"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The exact tested set, then the project itself without re-resolving dependencies.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(VENV)/.installed manifest $(DAGSTER_HOME)/dagster.yaml

$(DAGSTER_HOME)/dagster.yaml: dagster_project/instance/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp $< $@

# dagster-dbt reads dbt's manifest at load time; build it once per change of the dbt project.
manifest: $(VENV)/.installed
	$(BIN)/dagster-dbt project prepare-and-package --file dagster_project/defs/dbt/project.py > /dev/null

simulate: setup
	$(BIN)/python -m dagster_project.simulate --scenario $(SCENARIO) --out $(WAREHOUSE_DIR)/landing \
		--seed $(SEED) --scale $(SCALE) --start $(START) --end $(END)

# The same Definitions the UI and the schedule use: reference data, then the whole year as one
# range run (single-run backfill policy), then marts, checks, publish and report.
materialize: setup
	WAREHOUSE_DEMO=$${WAREHOUSE_DEMO:-1} $(BIN)/dagster job execute $(DEFS) -j reference_data
	WAREHOUSE_DEMO=$${WAREHOUSE_DEMO:-1} $(BIN)/dagster job execute $(DEFS) -j daily_warehouse \
		--tags '{"dagster/asset_partition_range_start": "$(START)", "dagster/asset_partition_range_end": "$(END)"}'

demo: simulate materialize
	@echo
	@echo "Done. Results in $(WAREHOUSE_DIR):"
	@echo "  marts for analysts: duckdb -readonly $(WAREHOUSE_DIR)/marts.duckdb   (schema marts)"
	@echo "  report:             $(WAREHOUSE_DIR)/report/index.html"
	@echo "  Dagster UI:         make dev, then open http://127.0.0.1:3000"

dev: setup
	$(BIN)/dagster dev -w workspace.yaml

test: setup
	bash .ci/install-chromium.sh
	$(BIN)/pytest -q -m "not bench"

test-fast: setup
	$(BIN)/pytest -q -m "not slow and not spark and not browser and not bench"

lint: setup
	$(BIN)/ruff check dagster_project tests benchmarks

bench: setup
	$(BIN)/python -m benchmarks.run

bench-smoke: setup
	$(BIN)/pytest -q -m bench

spark: setup
	$(BIN)/pytest -q -m spark

clean:
	rm -rf $(WAREHOUSE_DIR) dbt/target dbt/logs
