# Two commands: `make run` (demo on http://127.0.0.1:5000; PORT=8080 make run) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed

.PHONY: run test install lint test-sqlite test-postgres test-browser migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(FLASK) db upgrade
	$(FLASK) crm seed-demo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: install
	$(BIN)/ruff check .

# SQLite always; PostgreSQL when it answers on 127.0.0.1:5432 (CI starts it);
# the browser tests when Chromium is installed (with CI=true a missing browser fails).
test: install lint test-sqlite test-postgres test-browser

test-sqlite: install
	$(BIN)/pytest -m "not browser"

test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 dbname=test user=postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL: running the suite again on $(PG_TEST_URL)"; \
		CRM_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m "not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable on 127.0.0.1:5432 and CI=true: failing."; exit 1; \
	else \
		echo "== PostgreSQL not reachable on 127.0.0.1:5432: SKIPPING the PostgreSQL run."; \
	fi

test-browser: install
	@if [ -x /usr/bin/chromium ]; then \
		echo "== Browser tests in Chromium (axe-core, screenshots in tests/artifacts/)"; \
		$(BIN)/pytest -m browser; \
	elif [ "$$CI" = "true" ]; then \
		echo "Chromium is not installed (/usr/bin/chromium) and CI=true: failing."; exit 1; \
	else \
		echo "== Chromium not installed: SKIPPING the browser tests (apt-get install chromium)."; \
	fi

migrate: install
	$(FLASK) db migrate -m "$(m)"

clean:
	rm -rf $(VENV) instance tests/artifacts
