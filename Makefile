# kombo-site: `make run` starts the product on embedded defaults, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test lint format bench screenshot clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kombo-site needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(PY) -m kombo_site.localenv
	BASE_URL="$${BASE_URL:-http://127.0.0.1:$(PORT)}" $(PY) manage.py serve --port $(PORT)

# Kombo's own frontend library (npm) for the embedded-flow browser test; without npm that test
# skips locally and fails in CI.
KOMBO_CONNECT := tests/e2e/kombo_connect/node_modules/@kombo-api/connect/dist/index.mjs

$(KOMBO_CONNECT): tests/e2e/kombo_connect/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/e2e/kombo_connect && npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: the @kombo-api/connect browser test will not run"; fi

# axe-core (npm) for the accessibility browser tests; same rules as above without npm.
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js

$(AXE): tests/e2e/axe/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/e2e/axe && npm ci --silent --no-audit --no-fund; \
	else echo "npm not found: the accessibility browser tests will not run"; fi

test: $(VENV)/.installed-dev $(KOMBO_CONNECT) $(AXE)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed-dev
	$(PY) -m bench $(BENCH)

# The README's dashboard picture, from a throw-away demo database in headless Chromium.
screenshot: $(VENV)/.installed-dev
	$(PY) docs/screenshot.py $(if $(OUTPUT),--output $(OUTPUT))

clean:
	rm -rf $(VENV) var
