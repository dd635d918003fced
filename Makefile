# policykb — the commands a newcomer needs. Each target creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: help demo test lint typecheck check exports bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)  ## set up, then validate the shipped data and ask it a few questions
	$(BIN)/policykb validate
	$(BIN)/policykb stats
	$(BIN)/policykb recommendations --country Chile --pillar data-driven-public-sector/trust
	$(BIN)/policykb coverage --framework digital-identity-framework

test: $(STAMP)  ## set up, then run lint, type checks and the whole test suite
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: $(STAMP)  ## mypy --strict on src/
	$(BIN)/mypy

exports: $(STAMP)  ## regenerate exports/ from the shipped data
	$(BIN)/policykb export --all exports/

bench: $(STAMP)  ## run the benchmarks (see docs/performance.md); BENCH_ARGS="--sizes 100,1000"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Optional: linkml in its own venv (its rdflib and pydantic pins must not touch .venv); not
# needed by `make test` or CI. Writes bench/out/linkml.md, not bench/results.md.
LINKML_VERSION := 1.12.1
LINKML_VENV    := .venv-linkml
LINKML_STAMP   := $(LINKML_VENV)/.installed-$(LINKML_VERSION)

$(LINKML_STAMP):
	$(PYTHON) -m venv $(LINKML_VENV)
	$(LINKML_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LINKML_VENV)/bin/python -m pip install --quiet 'linkml==$(LINKML_VERSION)'
	touch $(LINKML_STAMP)

.PHONY: bench-linkml
bench-linkml: $(STAMP) $(LINKML_STAMP)  ## validate vs linkml-validate (installs linkml into .venv-linkml); BENCH_ARGS as for bench
	mkdir -p bench/out
	$(BIN)/python bench/run.py --figures validate --sizes 100,1000 \
	  --linkml $(LINKML_VENV)/bin/linkml-validate --output bench/out/linkml.md $(BENCH_ARGS)

clean:  ## remove the virtual environment and caches, policykb's load cache included
	-@if [ -x $(BIN)/policykb ]; then $(BIN)/policykb cache clear; fi
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
