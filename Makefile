# Two commands for a new user: `make run` and `make test`. Everything installs into .venv.
# `make run` installs only what running needs; `make test` adds the test tools.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
ENCODER_STAMP := $(VENV)/.installed-encoder-$(SUM)
GOLD ?= ../shared/corpus/dev
# the floors hold for the development set; another gold folder is scored without them
FLOORS ?= $(if $(filter ../shared/corpus/dev,$(GOLD)),tests/quality_floors.json,)
INPUT ?= corpus/
OUTPUT ?= outputs/

.PHONY: run test check lint typecheck wheel-check evaluate bench bench-html schema clean bench-strength strength-model encoder strength-encoder

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "healthclaims needs Python 3.11 or newer (set PYTHON=python3.x)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@rm -f $(VENV)/.installed-run-*
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@rm -f $(VENV)/.installed-run-* $(VENV)/.installed-test-*
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/healthclaims run $(INPUT) -o $(OUTPUT)
	@echo "Records are in $(OUTPUT) (one <article-id>.json per article, plus records.jsonl and manifest.json)."

test: $(TEST_STAMP)
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check pipeline tests benchmarks

# mypy finds the package by its import name: .venv/src/healthclaims is a link to pipeline/
# (see [tool.mypy] in pyproject.toml); paths are printed as pipeline/... again.
typecheck: $(TEST_STAMP)
	@mkdir -p $(VENV)/src && ln -sfn $(CURDIR)/pipeline $(VENV)/src/healthclaims
	@$(BIN)/mypy > $(VENV)/mypy.out; status=$$?; sed 's#^$(VENV)/src/healthclaims/#pipeline/#' $(VENV)/mypy.out; exit $$status

check: lint typecheck test

# Build the wheel, install it into a fresh virtual environment and run it from another folder.
wheel-check: $(TEST_STAMP)
	bash .ci/wheel-check

# make evaluate GOLD=DIR scores the pipeline against the gold annotations in DIR.
evaluate: $(RUN_STAMP)
	$(BIN)/healthclaims evaluate $(GOLD) $(if $(FLOORS),--floors $(FLOORS))

bench: $(RUN_STAMP)
	$(BIN)/python benchmarks/bench.py ../shared/corpus/pool

bench-html: $(RUN_STAMP)
	$(BIN)/python benchmarks/html_extraction.py ../shared/html

schema: $(RUN_STAMP)
	$(BIN)/healthclaims schema -o models/record.schema.json

clean:
	rm -rf $(VENV) outputs .pytest_cache

# The healthclaims[encoder] extra: claim strength by the fine-tuned sentence encoder. torch 2.13.0 is
# pinned first because that release is a CPU build on this machine's disk (about 1.2 GB with the extra,
# about 75 s); a plain `torch` would be a CUDA build of several GB.
$(ENCODER_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[encoder]"
	@rm -f $(VENV)/.installed-encoder-*
	@touch $@

encoder: $(ENCODER_STAMP)

# Rules alone, rules + bag-of-words and (with the encoder extra installed) rules + encoder, 5-fold CV.
bench-strength: $(RUN_STAMP)
	$(BIN)/python benchmarks/strength.py ../shared/strength

# Retrain the shipped claim-strength classifier (cross-validated figures first), from the labelled sentences.
strength-model: $(RUN_STAMP)
	$(BIN)/python -m healthclaims.components.strength.train ../shared/strength -o models/strength_classifier

# Retrain the shipped sentence-encoder weights (fine-tuned top layers and head) on every labelled sentence.
strength-encoder: $(ENCODER_STAMP)
	$(BIN)/python -m healthclaims.components.strength.train ../shared/strength --no-cv -e models/strength_encoder --threads 1
