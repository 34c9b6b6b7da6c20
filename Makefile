# dtix: `make demo` runs a whole exchange on embedded defaults; `make test` runs the suite.
# `make serve` runs the schedules on a Prefect server and worker here (docs/operations.md).
# Both create the virtual environment in .venv on first use (only python3 is needed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= demo-output

.PHONY: demo test lint format venv serve clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dtix demo --home $(DEMO_HOME) --reset

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

serve: $(STAMP)
	$(BIN)/dtix serve --home $(DEMO_HOME)

clean:
	rm -rf $(VENV) $(DEMO_HOME) .pytest_cache .ruff_cache
