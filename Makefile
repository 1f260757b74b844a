# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-sqlite test-postgres lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(STAMP)

run: install
	$(BIN)/shuangsuiji init
	$(BIN)/shuangsuiji demo --if-empty
	$(BIN)/shuangsuiji serve

# The whole suite on SQLite, then again on PostgreSQL when SSJ_TEST_PG_URL is set.
test: install
	$(BIN)/python -m pytest -q -p no:cacheprovider
	@if [ -n "$$SSJ_TEST_PG_URL" ]; then \
		echo "== again on PostgreSQL ($$SSJ_TEST_PG_URL)"; \
		SSJ_TEST_BACKEND=postgres $(BIN)/python -m pytest -q -p no:cacheprovider; \
	else \
		echo "== SSJ_TEST_PG_URL not set: PostgreSQL pass skipped"; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
