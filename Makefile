# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
WORKERS ?= 2
PORT ?= 8000
export FLASK_APP := wsgi

.PHONY: run test bench lint format translations translations-compile check serve setup clean browser-setup

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) translations-compile

translations-compile: $(STAMP)
	$(BIN)/pybabel compile --directory translations --use-fuzzy --domain messages >/dev/null

## make run: set up, migrate the SQLite database in instance/, load catalog/, serve on :8000
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask catalog load
	$(BIN)/gunicorn --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

## Debian's Chromium for the browser tests (no browser download); needs root and apt.
CHROMIUM ?= /usr/bin/chromium
browser-setup:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	  else echo "Chromium is missing and cannot be installed here: the browser tests will be skipped"; fi; }

## make test: set up and run the whole suite (PostgreSQL too when TEST_DATABASE_URL is set)
test: setup browser-setup
	$(BIN)/python -m pytest

check: setup
	$(BIN)/flask catalog check

## make bench: the benchmarks of bench/ (installs the baselines they compare against)
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pip-audit --skip-editable --progress-spinner off

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make translations: extract the interface strings and update the nl/fr/en catalogues
translations: setup
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _l --output-file translations/messages.pot --project rechtenverkenner --no-location --sort-output .
	$(BIN)/pybabel update --input-file translations/messages.pot --output-dir translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) translations-compile

clean:
	rm -rf $(VENV) instance .pytest_cache
