# One virtual environment, made on first use; every target works from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORK ?= work/sample

.PHONY: demo test lint bench bench-province sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	rm -rf $(WORK) $(WORK)-round2 $(WORK)-cabang $(WORK)-tahun
	@echo "== Round 1: the villages' lists"
	$(BIN)/bantuan run data/sample/desa --dukcapil data/sample/dukcapil.parquet \
		--enrolled data/sample/peserta_aktif.csv --year 2027 --workdir $(WORK); test $$? -le 1
	@echo
	@echo "== The villages answer their correction forms (played by the sample generator)"
	$(BIN)/bantuan sample $(WORK)-round2 --answers-to $(WORK) --batch data/sample
	@echo
	@echo "== Round 2: the lists, the answered forms and a revised list, same work folder;"
	@echo "   the budget (Rp 150 juta) does not reach everyone: the rest wait, in priority order"
	$(BIN)/bantuan run $(WORK)-round2/desa --dukcapil data/sample/dukcapil.parquet \
		--enrolled data/sample/peserta_aktif.csv --year 2027 --workdir $(WORK) \
		--budget 150.000.000; test $$? -le 1
	@echo
	@echo "== After the decree: the registration files for the BPJS branch"
	$(BIN)/bantuan handover --workdir $(WORK)
	@echo
	@echo "== The branch answers (played by the sample generator): registered, rejected, a stranger"
	$(BIN)/bantuan sample $(WORK)-cabang --branch-to $(WORK)
	$(BIN)/bantuan branch-result $(WORK)-cabang/hasil_registrasi_diterima.xlsx \
		$(WORK)-cabang/data_ditolak.csv --workdir $(WORK); test $$? -le 1
	@echo
	@echo "== During the year (played by the sample generator): monthly bills, a death, leavers"
	$(BIN)/bantuan sample $(WORK)-tahun --year-of $(WORK) --batch data/sample
	$(BIN)/bantuan month $(WORK)-tahun/tagihan_2027-01.xlsx -m 2027-01 -w $(WORK) --today 2027-01-10
	$(BIN)/bantuan paid -m 2027-01 --on 2027-01-14 -w $(WORK)
	$(BIN)/bantuan month $(WORK)-tahun/tagihan_2027-02.xlsx -m 2027-02 -w $(WORK) --today 2027-02-10
	$(BIN)/bantuan paid -m 2027-02 --on 2027-02-13 -w $(WORK)
	$(BIN)/bantuan month $(WORK)-tahun/tagihan_2027-03.xlsx -m 2027-03 -w $(WORK) --today 2027-03-10 \
		--dukcapil $(WORK)-tahun/dukcapil_2027-03.parquet
	$(BIN)/bantuan changes $(WORK)-tahun/laporan_desa_maret.xlsx -w $(WORK) --today 2027-03-20 \
		--dukcapil $(WORK)-tahun/dukcapil_2027-03.parquet
	$(BIN)/bantuan month $(WORK)-tahun/tagihan_2027-04.xlsx -m 2027-04 -w $(WORK) --today 2027-04-20
	@echo
	@echo "== Replacements from the waiting list, an amended decree, their hand-over"
	$(BIN)/bantuan replace --budget 150.000.000 --start 2027-05 -w $(WORK) --today 2027-04-20
	$(BIN)/bantuan year --budget 150.000.000 -w $(WORK)
	@echo
	@echo "Outputs:"
	@echo "  $(WORK)/validated.csv            every row with its status, reasons and suggestion"
	@echo "  $(WORK)/perubahan_2.csv          what changed in round 2, row by row"
	@echo "  $(WORK)/answers.csv              every answer read back, and what became of it"
	@echo "  $(WORK)/ledger.sqlite            every decision, kept across runs (bantuan history)"
	@echo "  $(WORK)/perbaikan/               one correction workbook per village"
	@echo "  $(WORK)/report/eligible_2027.csv the people paid for, with their premium (and .xlsx)"
	@echo "  $(WORK)/report/lampiran_sk_2027.pdf    the decree attachment to print and sign (and .xlsx)"
	@echo "  $(WORK)/report/lampiran_sk_2027_publik.pdf  the copy to post: NIKs masked, no birth dates"
	@echo "  $(WORK)/report/ringkasan_2027.xlsx     the summary per desa and kecamatan, with charts"
	@echo "  $(WORK)/report/rincian_anggaran_2027.xlsx  the budget lines (RKA/DPA) for SIPD"
	@echo "  $(WORK)/serah_terima/1/              the registration files and cover letter for the branch"
	@echo "  $(WORK)/register.csv                 each person's state: decreed, handed over, registered, rejected, left"
	@echo "  $(WORK)/bulanan/                     each month's bill reconciled; leavers' papers; refunds due"
	@echo "  $(WORK)/perubahan_sk/1/              the amendment to the decree: who left, who replaces them"
	@echo "  $(WORK)/bulanan/rekap_2027.xlsx      the year: per person, per month, the budget per semester"
	@echo
	@echo "The command is in .venv/bin: run .venv/bin/bantuan --help (or . .venv/bin/activate first)."

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

test: lint
	$(BIN)/pytest

# Regency-scale figures (not a test): the first run generates and caches the batch in bench/cache.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/run_bench.py

# Province-like figures (100,000 applicants, a registry of 10 million): generates its batch once.
bench-province: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/run_bench.py --province

# Regenerates the committed sample batch (deterministic for the seed).
sample: $(STAMP)
	rm -rf data/sample
	$(BIN)/bantuan sample data/sample --seed 2025 --villages 10 --applicants 1000 --registry 20000

clean:
	rm -rf $(VENV) work
