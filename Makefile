# The two commands a school needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
KIT_DEMO ?= 1

.PHONY: run test lint bench clean browser-deps

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
# Playwright drives /usr/bin/chromium and never downloads a browser.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium poppler-utils fonts-dejavu-core; \
	fi

lint: $(TEST_STAMP)
	$(BIN)/ruff check kit tests
	$(BIN)/ruff format --check kit tests

test: $(TEST_STAMP) browser-deps lint
	$(BIN)/pytest -n 2

bench: $(TEST_STAMP)
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) dist build
