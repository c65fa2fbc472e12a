# The two commands a school needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
KIT_DEMO ?= 1

.PHONY: run test lint bench soak mutation clean browser-deps mail-deps

AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(TEST_STAMP)

run: $(STAMP)
ifeq ($(KIT_DEMO),1)
	$(BIN)/kit demo --if-empty
else
	$(BIN)/kit init
endif
	$(BIN)/kit serve --host 127.0.0.1 --port 5000

# Debian's Chromium for the browser tests and poppler-utils (pdftoppm) for looking at PDFs;
# Playwright drives /usr/bin/chromium and never downloads a browser. DejaVu Sans Condensed
# (fonts-dejavu-extra) keeps the printed call log's sixteen columns on one line per call.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null \
	  || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium poppler-utils \
	    fonts-dejavu-core fonts-dejavu-extra; \
	fi

# Debian's Dovecot: the real IMAP server the mail-in tests start on a free port of their own
# (tests/imap_support.py); the package's own service is not used.
mail-deps:
	@if [ ! -x /usr/sbin/dovecot ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q dovecot-imapd; \
	fi

# axe-core for the accessibility tests (tests/browser/test_accessibility.py), from the npm
# registry into .venv/npm so nothing lands beside the code; installed once.
$(AXE):
	npm install --prefix $(VENV)/npm --no-save --no-audit --no-fund --silent axe-core@4
	touch $(AXE)

lint: $(TEST_STAMP)
	$(BIN)/ruff check kit tests
	$(BIN)/ruff format --check kit tests

test: $(TEST_STAMP) browser-deps mail-deps $(AXE) lint
	$(BIN)/pytest -n 2

bench: $(TEST_STAMP)
	$(BIN)/python -m tests.bench

# A whole school day on `kit serve` (tests/soak): sixteen people through the real forms, mail
# into Dovecot, the daily job, and faults on a schedule (kill -9 every 5 minutes, IMAP
# stopped for a minute, the disk filled for a minute). Not part of `make test` (a one-minute
# version is). Needs root to mount the small disk it fills. Its last line gives the figures;
# it fails when anything acknowledged was lost or duplicated, or anything failed.
SOAK_MINUTES ?= 30
soak: $(TEST_STAMP) mail-deps
	SOAK_MINUTES=$(SOAK_MINUTES) $(BIN)/python -m tests.soak

# Mutation testing of the pure rules (kit/rules/, kit/calls/due.py) against their tests (configured in
# pyproject.toml [tool.mutmut]; not part of `make test`). Prints `mutation score: N%` per
# module and overall, then every mutant no test caught; fails under MUTATION_TARGET percent.
# A fresh run each time (about 20 minutes on one core). While working on one module:
#   make mutation MUTANTS='kit.rules.clock.*'
MUTATION_STAMP := $(VENV)/.installed-mutation
MUTATION_JOBS ?= 1
MUTATION_TARGET ?= 95
MUTANTS ?=

$(MUTATION_STAMP): $(TEST_STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e ".[test,mutation]"
	touch $(MUTATION_STAMP)

mutation: $(MUTATION_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS) > mutants.log 2>&1 || (tail -n 40 mutants.log; exit 1)
	$(BIN)/python -m tests.mutation --fail-under $(MUTATION_TARGET)

clean:
	rm -rf $(VENV) dist build mutants mutants.log
