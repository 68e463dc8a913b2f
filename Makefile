# One virtual environment, made on first use; every target works from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORK ?= work/sample

.PHONY: demo test lint bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/bantuan ingest data/sample/desa --workdir $(WORK); test $$? -le 1
	$(BIN)/bantuan validate --workdir $(WORK) --dukcapil data/sample/dukcapil.parquet --enrolled data/sample/peserta_aktif.csv; test $$? -le 1
	@echo "Outputs are in $(WORK)/"

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

test: lint
	$(BIN)/pytest

# Regenerates the committed sample batch (deterministic for the seed).
sample: $(STAMP)
	rm -rf data/sample
	$(BIN)/bantuan sample data/sample --seed 2025 --villages 10 --applicants 1000 --registry 20000

clean:
	rm -rf $(VENV) work
