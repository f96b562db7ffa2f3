# Kvarter — the two commands that matter: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/kvarter
export KVARTER_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-sqlite test-postgres lint bench fuzz install install-dev browser messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## demo: set up a SQLite database with the demo municipality and serve it at http://127.0.0.1:8000
demo: install
	$(BIN)/kvarter migrate --noinput
	$(BIN)/kvarter demo
	$(BIN)/kvarter serve --bind 127.0.0.1:8000 --workers 2

## browser: Debian's Chromium for the end-to-end tests (Playwright drives it; no browser download)
browser:
	@bash scripts/ensure-chromium.sh

## test: lint, then the suite on SQLite (end-to-end tests included) and — when one answers —
## on PostgreSQL (without the end-to-end tests and the bounded API fuzz: they test the browser
## and the API contract, not the database; `make fuzz` fuzzes PostgreSQL in full).
## Each phase prints its wall-clock time. PYTEST_WORKERS=0 runs without pytest-xdist.
PYTEST_WORKERS ?= auto
XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS))
# Runs the rest of the line and prints how long it took as "phase <name>: <n> s".
TIMED = @bash -c 'start=$$(date +%s); "$${@:2}"; status=$$?; \
	echo "== phase $$1: $$(( $$(date +%s) - start )) s (exit $$status) =="; exit $$status' --

test: install-dev browser
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint test-sqlite || exit $$?; \
	if [ -n "$$DATABASE_URL" ] || $(BIN)/python scripts/postgres_available.py "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres || exit $$?; \
	else \
		echo "PostgreSQL: none answers at 127.0.0.1:5432 and DATABASE_URL is unset; SQLite only."; \
	fi; \
	echo "== make test: $$(( $$(date +%s) - start )) s in all =="

test-sqlite: install-dev
	@echo "== tests on SQLite =="
	$(TIMED) sqlite env -u DATABASE_URL $(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: install-dev
	@echo "== tests on PostgreSQL (end-to-end tests left out) =="
	$(TIMED) postgres env DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" \
		$(BIN)/python -m pytest $(XDIST) --ignore=tests/e2e --ignore=tests/api/test_fuzz.py $(PYTEST_ARGS)

lint: install-dev
	$(TIMED) ruff $(BIN)/ruff check src tests bench
	$(TIMED) mypy $(BIN)/mypy

## bench: speed and memory figures (printed, never asserted in unit tests)
bench: install-dev
	$(BIN)/python -m bench

## fuzz: schemathesis (all checks) against the demo on PostgreSQL as an administrator and a reader
##       (FUZZ_DATABASE_URL, FUZZ_PORT, FUZZ_EXAMPLES, FUZZ_ARGS: see scripts/fuzz.sh)
fuzz: install-dev
	BIN=$(BIN) bash scripts/fuzz.sh

## messages: regenerate the Swedish translation catalogue after changing texts
messages: install-dev
	cd src/kvarter && ../../$(BIN)/django-admin makemessages -l sv --no-obsolete --settings=kvarter.settings.test --pythonpath=..
	cd src/kvarter && ../../$(BIN)/django-admin compilemessages --settings=kvarter.settings.test --pythonpath=..

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
