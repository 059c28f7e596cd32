# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export FLASK_APP := audit_app

.PHONY: run serve test lint types install install-test db clean test-tools

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[test,dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

db: install
	$(BIN)/audit-app db upgrade

run: db
	$(BIN)/audit-app demo
	$(BIN)/flask --app audit_app run --host 127.0.0.1 --port 5000

# Production-style serving: gunicorn, settings from the environment (see docs/deployment.md).
# --preload: the app is made once in the master and the workers fork from it, so a
# worker started by --max-requests serves at once (no start-up of its own).
serve: db
	$(BIN)/gunicorn --preload --workers $${WEB_CONCURRENCY:-2} --bind $${BIND:-127.0.0.1:8000} \
		--max-requests 1000 --max-requests-jitter 100 'audit_app:create_app()'

lint: install-test
	$(BIN)/ruff check audit_app tests scripts
	$(BIN)/ruff format --check audit_app tests scripts
	$(BIN)/bandit --quiet --recursive audit_app --severity-level medium

types: install-test
	$(BIN)/mypy audit_app

# The checkers the tests run (vnu-jar and axe-core from the npm registry, as locked in
# tests/tools/package-lock.json; vnu.jar runs on the machine's Java).
TOOLS := tests/tools
$(TOOLS)/node_modules/.installed: $(TOOLS)/package-lock.json
	cd $(TOOLS) && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

test-tools: $(TOOLS)/node_modules/.installed

test: lint types test-tools
	$(BIN)/audit-app questionnaires check
	$(BIN)/pytest

# Known vulnerabilities in the installed dependencies (needs PyPI's JSON API or OSV;
# --strict fails when a package could not be checked: see docs/security.md).
.PHONY: audit
audit: install-test
	$(BIN)/pip-audit --strict --skip-editable --progress-spinner off

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache

# Every benchmark in benchmarks/: each bench_*.py (then issue 19's table: every figure of
# the run against its goal, benchmarks/goals.py), then the autosave load test on SQLite
# (and on PostgreSQL too when LOADTEST_DATABASE_URL is set, e.g.
# postgresql+psycopg://postgres@127.0.0.1:5432/loadtest: never the test database).
# Web benchmarks need wrk (apt-get install wrk). Numbers go to docs/benchmarks.md.
# CAMPAIGN=1 adds the campaign (benchmarks/campaign.py: 1,000 institutions through the API,
# PDFs by 2 report workers; needs PostgreSQL and Redis on 127.0.0.1, takes 15-30 minutes;
# CAMPAIGN_DATABASE_URL overrides its database, default .../campaign: never the test one).
.PHONY: bench
bench: install-test
	@set -e; export BENCH_GOALS=$$(mktemp) PYTHONPATH=$(CURDIR); for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script; done; \
		$(BIN)/python benchmarks/goals.py; rm -f $$BENCH_GOALS
	$(BIN)/python benchmarks/load_autosave.py
	@if [ -n "$$LOADTEST_DATABASE_URL" ]; then \
		$(BIN)/python benchmarks/load_autosave.py --database postgresql --url "$$LOADTEST_DATABASE_URL"; fi
	@if [ -n "$$CAMPAIGN" ]; then \
		$(BIN)/python benchmarks/campaign.py $${CAMPAIGN_DATABASE_URL:+--url "$$CAMPAIGN_DATABASE_URL"}; fi
