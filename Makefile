# SILON: `make run` serves the portal on the embedded default; `make test` runs every test and the linters.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1:8000

.PHONY: run test test-shifted setup setup-dev migrate demo lint format bench messages screenshots clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "SILON needs Python 3.11 or newer: $(PYTHON) not found. Run: make PYTHON=python3.11 ..." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "SILON needs Python 3.11 or newer; $(PYTHON) is %d.%d. Install 3.11+ and run: make PYTHON=python3.11 ..." % (v[0], v[1]))'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_load --address $(HOST)

## The portal at http://$(HOST) (default 127.0.0.1:8000; `make run HOST=0.0.0.0:8080`) with the region master
## data and demo accounts (printed, with the address).
run: demo
	$(PY) manage.py runserver $(HOST)

## Lint, format check and the whole test suite. Services-bound tests skip (with reasons) without services.
## The suite runs on every core (pytest-xdist, one process per core, a file's tests together) in random order
## (pytest-randomly prints the seed: `make test PYTEST_ARGS="-p randomly -p no:cacheprovider --randomly-seed=N"`
## repeats an order). TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
PYTEST := $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)
test: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PYTEST)

## The suite again on a clock moved ahead (time-machine; see tests/conftest.py), proving no test depends on the
## day it runs: SHIFT=400d, SHIFT=3y. CI runs both.
SHIFT ?= 400d
test-shifted: setup-dev
	SILON_TEST_CLOCK_SHIFT=$(SHIFT) $(PYTEST)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Benchmarks on PostgreSQL + Redis with real workers (figures printed; see bench/__main__.py). Exits non-zero
## when a correctness check fails (errors, inexact counts, an unfinished upload) or a bench cannot run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/silon_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6
bench: setup-dev
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null) || { echo "wrk missing and could not be installed (apt-get install -y wrk)"; exit 1; }
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(BENCH_REDIS_URL)} $(PY) -m bench --strict

messages: setup-dev
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py makemessages -d djangojs -l en --ignore=.venv --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

## Current screenshots of each role's main page at desktop and phone width, into docs/screenshots/ (Chromium
## through Playwright, the demo data; tests/browser/test_screenshots.py).
screenshots: setup-dev
	SILON_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(VENV)/bin/pytest -n 0 -p no:randomly tests/browser/test_screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles test-artifacts
