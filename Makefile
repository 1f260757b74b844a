# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install fonts run test test-dates lint format bench clean

$(STAMP): pyproject.toml setup.py domain/draw/_fastticket.c
	@echo "== installing shuangsuiji and its dependencies into $(VENV)/"
	@echo "   (the first time takes about a minute, longer on a slow network: packages are"
	@echo "   downloaded and the optional C extension compiled; later runs skip this step)"
	@test -x $(BIN)/python || { echo "-- creating the virtual environment"; $(PYTHON) -m venv $(VENV); }
	@echo "-- upgrading pip"
	@$(BIN)/python -m pip install -q --upgrade pip
	@echo "-- installing the project (editable) with its dev tools: pip install -e '.[dev]'"
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@
	@echo "== installed: $(BIN)/shuangsuiji"

install: $(STAMP) fonts

# The inspection notice needs a CJK font. Installs one when root with apt; never fails the build.
fonts:
	@if [ -n "$$SSJ_FONT_PATH" ]; then \
		echo "CJK font: SSJ_FONT_PATH=$$SSJ_FONT_PATH"; \
	elif command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=zh file 2>/dev/null)" ]; then \
		echo "CJK font found: $$(fc-list --format '%{file}\n' :lang=zh | sort | head -n 1)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "== installing a CJK font for the inspection notice (fonts-noto-cjk)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y -q fonts-noto-cjk fontconfig >/dev/null 2>&1 \
		|| { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q fonts-noto-cjk fontconfig >/dev/null 2>&1; } \
		|| apt-get install -y -q fonts-wqy-zenhei fontconfig >/dev/null 2>&1 \
		|| echo "!! could not install a CJK font: install fonts-noto-cjk or set SSJ_FONT_PATH"; \
	else \
		echo "!! no CJK font found: notices (行政检查通知书) cannot be printed until one is."; \
		echo "   Debian/Ubuntu: sudo apt-get install fonts-noto-cjk   Fedora: sudo dnf install google-noto-serif-cjk-fonts"; \
		echo "   or set SSJ_FONT_PATH=/path/to/a/CJK/font.ttf (.otf/.ttc)"; \
	fi

run: install
	@echo "== preparing the database (shuangsuiji init)"
	@$(BIN)/shuangsuiji init
	@echo "== loading the demo data if the database is empty (shuangsuiji demo --if-empty)"
	@$(BIN)/shuangsuiji demo --if-empty
	@echo "== starting the server (shuangsuiji serve); Ctrl-C stops it"
	@$(BIN)/shuangsuiji serve

# The whole suite on SQLite, and the tests that use a database again on PostgreSQL when
# SSJ_TEST_PG_URL is set (tests/conftest.py picks them: the others do not depend on it). The
# two passes share nothing (the SQLite pass never opens PostgreSQL), so they run side by side,
# one per core; the PostgreSQL pass's output is shown after the SQLite pass's.
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider
test: install
	@if [ -z "$$SSJ_TEST_PG_URL" ]; then \
		$(PYTEST) && echo "== SSJ_TEST_PG_URL not set: PostgreSQL pass skipped"; \
		exit $$?; \
	fi; \
	echo "== the whole suite on SQLite, and the database tests on PostgreSQL ($$SSJ_TEST_PG_URL) beside it"; \
	pg_log=$$(mktemp); \
	SSJ_TEST_BACKEND=postgres $(PYTEST) > "$$pg_log" 2>&1 & pg_pass=$$!; \
	trap 'kill $$pg_pass 2>/dev/null; rm -f "$$pg_log"' EXIT; \
	$(PYTEST); sqlite_status=$$?; \
	wait $$pg_pass; pg_status=$$?; \
	echo "== the database tests on PostgreSQL"; cat "$$pg_log"; \
	[ $$sqlite_status = 0 ] && [ $$pg_status = 0 ]

# The tests that involve dates, again with the machine's clock at 20:00 UTC on 31 December of
# the first year chinesecalendar does not cover (already the next year in Beijing): they must
# pass on any date. Needs faketime (Debian: apt-get install faketime).
DATE_TESTS := tests/test_clock.py tests/calendar tests/tasks \
	tests/publication tests/audit/test_reminders.py tests/draw/test_prepare_calendar.py \
	tests/bot/test_coordinator_notices.py tests/bot/test_coordinator_review.py \
	tests/bot/test_inspector_reminders.py tests/bot/test_inspector_report.py \
	tests/bot/test_reminders.py tests/cli/test_cli_tasks.py
test-dates: install
	@command -v faketime >/dev/null || { echo "faketime is needed: apt-get install faketime"; exit 1; }
	@year=$$($(BIN)/python -c "from domain.calendar.workdays import package_years; print(max(package_years()) + 1)"); \
	echo "== date-sensitive tests with the clock at $$year-12-31 20:00 UTC"; \
	TZ=UTC faketime -f "@$$year-12-31 20:00:00" $(PYTEST) $(DATE_TESTS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
