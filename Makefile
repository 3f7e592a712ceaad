# Two commands on a fresh machine: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test run; skipped (and said so) when unreachable.
QMS_TEST_PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres

.PHONY: run test test-sqlite test-postgres test-e2e lint format bench messages clean

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

# Translation catalogues (needs GNU gettext: xgettext, msgmerge, msgfmt). English for our own
# Vietnamese source strings: add the English of any new msgid to qms/locale/en_messages.py (the
# build stops and lists what is missing). Vietnamese for Wagtail's admin: qms/locale/build_vi.py.
# The compiled .mo files are committed, so other machines need no gettext.
messages: $(VENV)/.installed
	QMS_DATA_DIR=var/test $(PY) manage.py makemessages -l en --no-obsolete --no-wrap \
		--add-location=file --ignore=.venv --ignore=var --ignore=tests --ignore='bench/*'
	$(PY) qms/locale/build_en.py
	$(PY) qms/locale/build_vi.py
	for po in qms/locale/*/LC_MESSAGES/*.po; do msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; done

clean:
	rm -rf var/test .pytest_cache
