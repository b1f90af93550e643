# The two commands of the README: `make run` and `make test`. Both create or refresh .venv
# from the pinned requirements first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint serve bench bench-formats bench-scale reliability soak fuzz clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/wiredup run --sources sources.toml --root data

test: $(STAMP)
	$(BIN)/python -m pytest

# One machine: prefect server on 127.0.0.1:4200, the wiredup process pool, every deployment of
# prefect.yaml, and a worker in the foreground (Ctrl-C stops both). See docs/operations.md.
serve: $(STAMP)
	scripts/serve.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy flows ingest dedupe storage pipeline record report

# Quality and speed of the sign stage (a few minutes; reads ../shared/corpora where it lies).
bench: $(STAMP)
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.throughput
	$(BIN)/python -m bench.normalization
	$(BIN)/python -m bench.formats

# The wire formats: stories by detection per fixture family, parse time against NewsML-G2.
bench-formats: $(STAMP)
	$(BIN)/python -m bench.formats

# The million-story figures: window memory and load time, a run against it, import and
# re-clustering (about half an hour and a few GB under /tmp).
bench-scale: $(STAMP)
	$(BIN)/python -m bench.window --stories 1000000
	$(BIN)/python -m bench.backfill --stories 1000000

# The crash, fault, hostile-input, secrets and soak tests alone, with their figures at the end
# (part of `make test` too; RELIABILITY.md quotes them).
reliability: $(STAMP)
	$(BIN)/python -m pytest tests/reliability

# The soak: 200,000 stories through 20 scheduled runs, one process each, against a loopback
# wire server and a local prefect server; peak RSS per run, window size, nothing lost or
# duplicated (docs/soak.md).
soak: $(STAMP)
	$(BIN)/python -m bench.soak --stories 200000 --runs 20

# Fuzz every parser for ten minutes with fresh random inputs (docs/fuzzing.md).
fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz --minutes 10

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
