# Niagara: `make run` to try it, `make test` to check it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test contract bench lint format clean

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
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py ensure_admin --url http://$(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: export DEBUG ?= 1
test: $(VENV)/.installed-dev
	$(BIN)/pytest
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

# Benchmarks print figures; they are not part of `make test`.
bench: export DEBUG ?= 1
bench: $(VENV)/.installed-dev
	$(BIN)/pytest benchmarks -q -s

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-journal db.sqlite3-wal db.sqlite3-shm
