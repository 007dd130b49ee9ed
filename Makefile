# Two commands on a fresh machine: `make run` (set up + offline default pipeline) and `make test`.
# `make test-fast` runs the unit tests only (no end-to-end `dvc repro`); `make format-check` checks ruff format.
PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
export PATH := $(BIN):$(PATH)
export HF_HUB_DISABLE_TELEMETRY := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install run test test-fast lint format-check check-numerics bench clean-venv chromium

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m xlrobust.nltk_setup || { apt-get update -qq && $(BIN)/python -m xlrobust.nltk_setup; }
	touch $(STAMP)

install: $(STAMP)

# JOBS=N: how many independent stages run at once (default: `python -m xlrobust.parallel_repro --help`)
run: install
	PYTHONPATH=src $(BIN)/python -m xlrobust.parallel_repro $(if $(JOBS),--jobs $(JOBS))

# Headless Chromium for tests/test_browser.py (Debian package; root in CI). Cheap when already installed; if it
# cannot be installed the browser tests skip with that reason.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; } \
		|| echo "chromium could not be installed: tests/test_browser.py will skip"

test: lint chromium
	$(BIN)/pytest -q -n 2

test-fast: lint
	$(BIN)/pytest -q -n 2 -m "not slow"

lint: install
	$(BIN)/ruff check src stages tests benchmarks tools
	$(BIN)/ruff format --check src stages tests benchmarks tools

format-check: install
	$(BIN)/ruff format --check src stages tests benchmarks tools

# Does this machine reproduce the committed run's float numerics? (tools/check_numerics.py, about a minute)
check-numerics: install
	PYTHONPATH=src $(BIN)/python tools/check_numerics.py

bench: install
	$(BIN)/python benchmarks/run_all.py

clean-venv:
	rm -rf $(VENV)
