# Two commands on a fresh machine: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run; skipped (and said so) when unreachable.
QMS_TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres test-e2e lint format bench clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	QMS_DATA_DIR=var/test $(PY) manage.py check
	QMS_DATA_DIR=var/test $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: $(VENV)/.installed-dev
	@echo "=== pytest on SQLite ==="
	QMS_DATA_DIR=var/test DATABASE_URL= $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(QMS_TEST_PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "=== pytest on PostgreSQL ($(QMS_TEST_PG_URL)) ==="; \
		QMS_DATA_DIR=var/test DATABASE_URL=$(QMS_TEST_PG_URL) $(PY) -m pytest $(PYTEST_ARGS); \
	else \
		echo "=== PostgreSQL not reachable at $(QMS_TEST_PG_URL): PostgreSQL run skipped ==="; \
	fi

# Only the browser journeys (Playwright + /usr/bin/chromium); `make test` runs them too.
test-e2e: $(VENV)/.installed-dev
	QMS_DATA_DIR=var/test DATABASE_URL= $(PY) -m pytest -m e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

clean:
	rm -rf var/test .pytest_cache
