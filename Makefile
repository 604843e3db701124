# Heard: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
BENCH ?=
export DJANGO_SETTINGS_MODULE := config.settings


.PHONY: dev run test test-sqlite test-postgres lint format migrations-check bench train-models eval messages venv clean help

help:
	@echo "make run               set up and start Heard (web + worker) on http://127.0.0.1:$(PORT)/"
	@echo "make test              run the whole test suite on SQLite and PostgreSQL"
	@echo "make lint              ruff and mypy --strict"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make bench [BENCH=x]   run the benchmarks, write benchmarks/results.json"
	@echo "make train-models      retrain heard_nlp's emotion lexicon and model heads (needs ../shared/data)"
	@echo "make eval              measure heard_nlp, write benchmarks/eval.json and docs/models/"
	@echo "make messages          update and compile the translations in locale/"

# What running Heard needs; `make test`, `lint` and `train-models` add the dev tools.
$(VENV)/.installed: pyproject.toml
	@PYTHON=$$(scripts/find-python) || exit 1; \
	  if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYTHON"; "$$PYTHON" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

run: venv
	@DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input -v 0
	@DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo --if-empty
	@DEBUG=$${DEBUG:-1} PORT=$(PORT) $(PY) manage.py run_heard

test: dev
	@scripts/ensure-chromium
	@$(MAKE) --no-print-directory migrations-check
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: dev
	@echo "== Test suite on SQLite =="
	env -u DATABASE_URL HEARD_TESTING=1 $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: dev
	@url=$$(scripts/postgres-url); \
	if [ -z "$$url" ]; then \
	  echo "== No PostgreSQL (set DATABASE_URL or run one on 127.0.0.1:5432): skipping that run =="; \
	else \
	  echo "== Test suite on PostgreSQL ($$url) =="; \
	  HEARD_TESTING=1 DATABASE_URL="$$url" $(PY) -m pytest $(PYTEST_ARGS); \
	fi

lint: dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	HEARD_TESTING=1 $(VENV)/bin/mypy heard heard_nlp config benchmarks

format: dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: dev
	HEARD_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

bench: dev
	HEARD_TESTING=1 $(PY) -m benchmarks $(BENCH)

train-models: dev
	$(PY) -m heard_nlp.lexicon_train
	$(PY) -m heard_nlp.train

eval: dev
	$(PY) -m heard_nlp.evaluate

# Update locale/*/django.po from the code, then compile the .mo files (both are committed).
messages: dev
	DEBUG=1 $(PY) manage.py makemessages -l fr --no-location --ignore=.venv --ignore=staticfiles --ignore=heard_nlp --ignore=benchmarks --ignore=tests --ignore="*.egg-info"
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
