# Niagara: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker test contract bench bench-twins wheel-check lint schema-lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

run: export DEBUG ?= 1
run: $(VENV)/.installed-run .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)
	@# The background worker (webhooks, sweeps) runs beside the server and stops with it.
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload --verbosity 0 & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The background worker alone (production runs one or more beside `make serve`: docs/deploy.md).
worker: $(VENV)/.installed-run
	exec $(BIN)/python manage.py db_worker --no-reload

# Production serving: gunicorn with WEB_CONCURRENCY workers (default 2), DEBUG off, static files
# collected and served by WhiteNoise. SECRET_KEY from the environment, else one generated into
# .secret-key (kept out of git) on first use. Put a TLS proxy in front (docs/deploy.md).
WEB_CONCURRENCY ?= 2
serve: export DEBUG = 0
serve: $(VENV)/.installed-run .secret-key
	export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret-key)}" && \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 && \
	exec $(BIN)/gunicorn niagara.wsgi --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
		--access-logfile - --forwarded-allow-ips '127.0.0.1,::1'

# A development checkout's settings, so that `manage.py` works in any shell as the README prints
# it (settings read .env; the environment wins over it). Never deployed: not in git, not in the
# wheel; delete it to run this checkout with production settings.
.env:
	printf '# Written by make run: this checkout is for development.\nDEBUG=1\n' > $@

.secret-key: | $(BIN)/python
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The suite spreads over TEST_WORKERS processes (pytest-xdist); each has its own test database.
TEST_WORKERS ?= 2
test: export DEBUG ?= 1
test: $(VENV)/.installed-dev
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

# The contract fuzz: schemathesis against the API's own schema (CI runs it on PostgreSQL),
# operations spread over CONTRACT_WORKERS processes.
CONTRACT_WORKERS ?= 2
contract: export DEBUG ?= 1
contract: $(VENV)/.installed-dev
	NIAGARA_CONTRACT_EXAMPLES=$${NIAGARA_CONTRACT_EXAMPLES:-100} $(BIN)/pytest tests/contract \
		-q -p no:warnings -n $(CONTRACT_WORKERS) --dist worksteal

# Benchmarks print figures; they are not part of `make test`. SIZE is the demo floor the floor
# benchmark seeds once and keeps in a database of its own (small, 100k or 1m).
SIZE ?= 100k
bench: export DEBUG ?= 1
bench: $(VENV)/.installed-dev
	SIZE=$(SIZE) $(BIN)/pytest benchmarks/floor -q -s -p no:warnings --reuse-db
	$(BIN)/pytest benchmarks -q -s -p no:warnings --ignore=benchmarks/floor

# Size-independence (issue 24): the floor benchmark on a 250k floor and on its twin 100 times
# smaller, one after the other, then each request's ratio (benchmarks/floor/twins.py).
bench-twins: export DEBUG ?= 1
bench-twins: $(VENV)/.installed-dev
	SIZE=250k BENCH_JSON=.bench-250k.json $(BIN)/pytest benchmarks/floor/test_floor.py \
		-q -s -p no:warnings --reuse-db
	SIZE=2.5k BENCH_JSON=.bench-2.5k.json $(BIN)/pytest benchmarks/floor/test_floor.py \
		-q -s -p no:warnings --reuse-db
	$(BIN)/python benchmarks/floor/twins.py .bench-250k.json .bench-2.5k.json

# The wheel as a container or another machine installs it: built here, installed in a fresh
# virtualenv outside the checkout, then checked, migrated and asked for pages there.
WHEEL_VENV ?= /tmp/niagara-wheel
wheel-check: $(VENV)/.installed-dev
	rm -rf dist $(WHEEL_VENV)
	$(BIN)/python -m pip wheel --no-deps --quiet --wheel-dir dist .
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet dist/niagara-*.whl
	cd $(WHEEL_VENV) && env -i PATH="$$PATH" HOME="$$HOME" DEBUG=1 \
		DJANGO_SETTINGS_MODULE=niagara.settings DATABASE_URL=sqlite:///$(WHEEL_VENV)/db.sqlite3 \
		sh -c 'bin/python -m django check --fail-level WARNING && \
		bin/python -m django migrate --no-input -v 0 && \
		bin/python -c "import django; django.setup(); from django.test import Client; \
		pages = {p: Client(HTTP_HOST=\"127.0.0.1\").get(p).status_code \
		for p in (\"/admin/login/\", \"/healthz\", \"/api/docs/\")}; print(pages); \
		assert set(pages.values()) == {200}, pages"'

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The served OpenAPI schema against Redocly's and Spectral's recommended rules (no project
# config weakening them): any error fails. Needs Node.js and the npm registry (pinned versions).
SCHEMA_LINT := tools/schema-lint
schema-lint: export DEBUG ?= 1
schema-lint: $(VENV)/.installed-dev
	mkdir -p build
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file build/openapi.yaml
	cd $(SCHEMA_LINT) && npm ci --silent --no-audit --no-fund
	cd $(SCHEMA_LINT) && npx --no-install redocly lint ../../build/openapi.yaml --format=summary
	cd $(SCHEMA_LINT) && npx --no-install spectral lint ../../build/openapi.yaml --fail-severity=error

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm
