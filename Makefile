# Yiwang — the two commands of the README, and what they stand on.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The suite runs in parallel (pytest-xdist), one worker per core; a file's tests stay on one worker, the
# longest files first (conftest.py, HEAVY_FIRST).
TEST_WORKERS ?= auto

.PHONY: help run test lint typecheck pytest install install-dev messages bench bench-quick clean

help:
	@echo "make run    install, prepare the demo database and serve on http://$(HOST):$(PORT)/"
	@echo "make test   install dev tools, then ruff, mypy and the whole pytest suite"

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Yiwang needs Python 3.11; set PYTHON=/path/to/python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: $(VENV)/.installed
	$(PY) manage.py messages_compile

run: install messages
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo_load
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

test: install-dev messages
	scripts/ensure-chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy src/yiwang
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=30 $(PYTEST_ARGS)

bench: install
	$(PY) bench/run.py $(BENCH_ARGS)

# The hot paths' CPU and SQL per request beside their budgets (docs/performance.md), before every merge.
bench-quick: install-dev messages
	$(PY) bench/quick.py $(BENCH_ARGS)

clean:
	rm -rf var/test .pytest_cache .mypy_cache .ruff_cache
