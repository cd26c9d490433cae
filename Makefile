# Huxiao — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test serve demo lint typecheck migrations-check pytest install install-dev clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: venv, install, migrate the embedded SQLite database, load the demo, serve on :8000
run: export HUXIAO_DEBUG := $(or $(HUXIAO_DEBUG),true)
run: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "护校安园 on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## demo: (re)load the demo district into the configured database; idempotent
demo: export HUXIAO_DEBUG := $(or $(HUXIAO_DEBUG),true)
demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

## serve: production-like — gunicorn + whitenoise with collected static files
serve: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	HUXIAO_MANIFEST_STATIC=true $(PY) manage.py collectstatic --noinput --verbosity 0
	HUXIAO_MANIFEST_STATIC=true $(VENV)/bin/gunicorn huxiao.wsgi:application --bind $(HOST):$(PORT) \
	  --workers $${HUXIAO_WORKERS:-3} --threads 4 --access-logfile -

## lint: ruff lint and format check, and the import layers (import-linter contracts in pyproject.toml)
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: install-dev
	$(VENV)/bin/mypy huxiao

migrations-check: install-dev
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run

pytest: install-dev
	mkdir -p var
	$(VENV)/bin/pytest -n $${HUXIAO_TEST_WORKERS:-2} $(PYTEST_ARGS)

## test: lint, type check, migration check and the whole test suite
test: lint typecheck migrations-check pytest

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache

## bench: synthetic province + benchmark (BENCH_DB=sqlite|postgres, BENCH_SCHOOLS=12000); see docs/performance.md
bench: install-dev
	mkdir -p var
	$(PY) -m bench.generate --schools $${BENCH_SCHOOLS:-12000} --database $${BENCH_DB:-sqlite}
	$(PY) -m bench.run --database $${BENCH_DB:-sqlite} $(BENCH_ARGS)
