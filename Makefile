# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# The lock files are resolved against PyPI alone, whatever this machine's pip configuration adds.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null CUSTOM_COMPILE_COMMAND="make lock" \
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--index-url https://pypi.org/simple --no-emit-index-url $(PIP_COMPILE_ARGS)

.PHONY: install lock run test lint serve migrate clean

## The exact, hash-checked versions of requirements-dev.txt, then the project itself (which adds nothing to them).
$(STAMP): requirements-dev.txt requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python bin/check-lock
	$(PIP_INSTALL) --require-hashes -r requirements-dev.txt
	$(PIP_INSTALL) --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## Pin requirements.txt (the product) and requirements-dev.txt (and the dev tools) from pyproject.toml, with hashes.
## Versions already locked stay; `make lock PIP_COMPILE_ARGS=--upgrade` moves every transitive one to the newest.
lock:
	@test -x $(BIN)/pip-compile || { echo "pip-compile is one of the dev tools: make install first"; exit 1; }
	$(PIP_COMPILE) --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt pyproject.toml

migrate: install
	$(BIN)/python manage.py migrate --noinput

## The embedded default: SQLite, tasks run in-process, e-mail printed here, demo data. The periodic tasks (beat's
## schedule) run in a thread of the server; links in e-mail point at HOST:PORT unless SITE_URL is set; a survey
## goes out SURVEY_DELAY_SECONDS after a ticket is resolved (a minute, unless set).
SITE_URL ?= http://$(HOST):$(PORT)
SURVEY_DELAY_SECONDS ?= 60
RUN_ENV := SITE_URL=$(SITE_URL) SURVEY_DELAY_SECONDS=$(SURVEY_DELAY_SECONDS)
run: migrate
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --if-empty
	@echo "Helpdesk is at http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	$(RUN_ENV) $(BIN)/python manage.py rundemo $(HOST):$(PORT)

## The whole test suite. Uses DATABASE_URL / REDIS_URL when set, SQLite and eager tasks otherwise.
## COVERAGE=1 also measures the lines of the product the tests run and prints the figure; it makes the suite
## much slower (60-125 % more time, CONTRIBUTING.md), so it is off by default.
## The tests run on one worker process per core (pytest-xdist); PYTEST_WORKERS=0 runs them in this process.
## Coverage measures one process, so COVERAGE=1 runs them there.
COVERAGE ?= 0
PYTEST_WORKERS ?= auto
test: install
ifeq ($(COVERAGE),1)
	$(BIN)/coverage erase
	status=0; $(BIN)/coverage run -m pytest $(PYTEST_ARGS) || status=$$?; \
	$(BIN)/coverage report --skip-covered --sort=cover; \
	echo "Coverage: $$($(BIN)/coverage report --format=total) % of the product's lines run by the tests"; \
	exit $$status
else
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
endif

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python bin/mypy-baseline
	$(BIN)/python manage.py makemigrations --check --dry-run

## Production-like: gunicorn, a Celery worker and Celery beat against DATABASE_URL and REDIS_URL.
serve: install
	bin/serve

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
