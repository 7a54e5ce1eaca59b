# Social Value Platform — developer commands. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DEBUG=1
# A throwaway production-like configuration, only for `check --deploy`.
DEPLOY_ENV := DEBUG=0 SECRET_KEY=check-deploy-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ \
	ALLOWED_HOSTS=socialvalue.example.org DATABASE_URL=sqlite:///:memory:

.PHONY: help install assets run bootstrap test check lint types layers bench clean

help:
	@echo "make run     install, build assets, load the framework and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test    install and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make check   lint (ruff), types (mypy), layers (lint-imports), check --deploy, makemigrations --check"
	@echo "make bench   run the benchmarks (BENCH lines)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

socialvalue/core/static/dist/.built: node_modules/.installed $(shell find frontend -type f 2>/dev/null)
	npm run --silent build
	@touch $@

assets: socialvalue/core/static/dist/.built

bootstrap: install assets
	@mkdir -p var
	$(DEV_ENV) $(BIN)/socialvalue bootstrap --demo

run: bootstrap
	$(DEV_ENV) $(BIN)/socialvalue runserver $(HOST):$(PORT)

test: install
	@mkdir -p var
	$(BIN)/pytest -n 2 -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy socialvalue

# Each app imports only the layers below it (the contracts in pyproject.toml).
layers: install
	$(BIN)/lint-imports

check: lint types layers
	$(DEPLOY_ENV) $(BIN)/socialvalue check --deploy --fail-level WARNING
	$(DEV_ENV) $(BIN)/socialvalue makemigrations --check --dry-run

bench: install
	@mkdir -p var
	$(DEV_ENV) $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules socialvalue/core/static/dist staticfiles var/test
