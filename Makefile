# Tin Báo — every target creates .venv itself, so a fresh machine needs only Python ≥ 3.11 + pip.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run test test-fast lint format bench soak lock schema clean

# The tinbao command lives in .venv/bin, not on PATH: a fresh shell needs the venv activated.
HINT := echo "Lệnh tinbao nằm trong $(BIN)/: trong mỗi cửa sổ dòng lệnh mới, gõ «source $(BIN)/activate» (hoặc gõ $(BIN)/tinbao). / The tinbao command is in $(BIN)/: run «source $(BIN)/activate» in each new shell."

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)
	@$(HINT)

## The main job: bots on the channels whose tokens are set; with none, the web playground.
run: $(STAMP)
	@$(HINT)
	$(BIN)/tinbao run

## All tests (SQLite always; PostgreSQL too where it answers; CI=true makes it required).
test: $(STAMP)
	$(BIN)/python -m pytest

## Without the LibreOffice conversion (quicker while editing).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m 'not slow'

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

soak: $(STAMP)
	TINBAO_SOAK=1 $(BIN)/python -m pytest tests/faults -m '' -q

## Re-pin requirements.lock from a clean environment (run after changing dependencies).
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet '.[dev]'
	.lockenv/bin/python -m pip freeze --exclude tinbao | grep -v '^-e' > requirements.lock
	rm -rf .lockenv

## Regenerate the initial migration from the models (pre-release only: nothing is deployed).
schema: $(STAMP)
	rm -f storage/migrations/versions/0001_initial_schema.py
	rm -f .schema.db && DATABASE_URL=sqlite:///.schema.db $(BIN)/alembic revision --autogenerate -m "initial schema" --rev-id 0001
	rm -f .schema.db*
	$(BIN)/ruff format storage/migrations/versions

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
