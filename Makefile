# nexusdb: `make seed` loads the knowledge base, `make test` runs the suite.
# Both create .venv and install what they need on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: help install seed test lint db-start db-stop db-url clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(INSTALLED)  ## Create .venv and install nexusdb with its development tools

seed: $(INSTALLED)  ## Migrate the database to head and load seeds/ (embedded PostgreSQL unless DATABASE_URL is set)
	$(BIN)/nexusdb db upgrade
	$(BIN)/nexusdb db create-reader
	$(BIN)/nexusdb seed

test: $(INSTALLED)  ## Run the whole test suite
	$(BIN)/pytest

lint: $(INSTALLED)  ## ruff, mypy --strict and squawk over every revision
	$(BIN)/ruff check src tests migrations benchmarks .ci
	$(BIN)/ruff format --check src tests migrations benchmarks .ci
	$(BIN)/mypy src benchmarks
	$(BIN)/python .ci/lint-migrations.py

db-start: $(INSTALLED)  ## Start the embedded PostgreSQL and leave it running
	$(BIN)/nexusdb db start

db-stop: $(INSTALLED)  ## Stop the embedded PostgreSQL
	$(BIN)/nexusdb db stop

db-url: $(INSTALLED)  ## Print the database's connection string
	@$(BIN)/nexusdb db url

clean:  ## Remove .venv and caches (the embedded database in .nexusdb/ is kept)
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

.PHONY: bench
# BENCH_ARGS passes options through, e.g. BENCH_ARGS="--events 1000000 --calls 100".
bench: $(INSTALLED)  ## Measure the performance targets (benchmarks/README.md; BENCH_ARGS=...)
	$(BIN)/python -m benchmarks all $(BENCH_ARGS)
