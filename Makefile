# Set-up and everyday commands. `make run` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint serve migrate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

## The embedded default: SQLite, tasks run in-process, e-mail printed here, demo data.
run: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Helpdesk is at http://$(HOST):$(PORT)/ (stop with Ctrl-C)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## The whole test suite. Uses DATABASE_URL / REDIS_URL when set, SQLite and eager tasks otherwise.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
