# Two commands for a new user: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test check lint typecheck wheel-check evaluate bench schema clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "healthclaims needs Python 3.11 or newer (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

run: $(STAMP)
	$(BIN)/healthclaims run corpus/ -o outputs/
	@echo "Records are in outputs/ (one <article-id>.json per article, plus records.jsonl and manifest.json)."

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check pipeline tests benchmarks

# mypy finds the package by its import name: .venv/src/healthclaims is a link to pipeline/
# (see [tool.mypy] in pyproject.toml); paths are printed as pipeline/... again.
typecheck: $(STAMP)
	@mkdir -p $(VENV)/src && ln -sfn $(CURDIR)/pipeline $(VENV)/src/healthclaims
	@$(BIN)/mypy > $(VENV)/mypy.out; status=$$?; sed 's#^$(VENV)/src/healthclaims/#pipeline/#' $(VENV)/mypy.out; exit $$status

check: lint typecheck test

# Build the wheel, install it into a fresh virtual environment and run it from another folder.
wheel-check: $(STAMP)
	bash .ci/wheel-check

evaluate: $(STAMP)
	$(BIN)/healthclaims evaluate ../shared/corpus/dev --floors tests/quality_floors.json

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py ../shared/corpus/pool

schema: $(STAMP)
	$(BIN)/healthclaims schema -o models/record.schema.json

clean:
	rm -rf $(VENV) outputs .pytest_cache
