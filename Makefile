# One-command set-up: both targets create .venv and install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test

.PHONY: run test lint bench migrate lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TESTSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot migrate
	$(BIN)/python -m bot

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(TESTSTAMP)
	$(BIN)/ruff check bot adapters storage tests bench
	$(BIN)/mypy

test: $(TESTSTAMP)
	$(BIN)/ruff check bot adapters storage tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

# requirements.txt: pyproject's runtime dependencies pinned to what is installed (buildpacks, Docker)
lock: $(TESTSTAMP)
	$(BIN)/python scripts/lock_requirements.py

bench: $(STAMP)
	$(BIN)/python -m bench --help

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
