# The two commands of the quick start are `make run` and `make test`; the rest are helpers.
# Every target creates .venv and installs the locked dependencies first when needed.

VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PORT ?= 8000
DEMO_ENTRIES ?= 300
# Absolute links (emails, feeds, the printable case, the admin address printed at setup) point
# at the port the site is served on: `make run PORT=8101` gives http://127.0.0.1:8101.
SITE_URL ?= http://127.0.0.1:$(PORT)
DEV_ENV := DJANGO_DEBUG=1 SITE_URL=$(SITE_URL)

.PHONY: run setup test lint format bench bench-connections lock clean

run: setup
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Migrate the SQLite database under var/, load the site content and a demo map, and
# make a local admin account (its password is printed on the first run only).
setup: $(INSTALLED)
	@mkdir -p var
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py load_content
	@if $(DEV_ENV) $(PY) manage.py help demo_map >/dev/null 2>&1; then \
		$(DEV_ENV) $(PY) manage.py demo_map --count $(DEMO_ENTRIES) --seed 1; \
	else echo "demo_map is not available yet: the map starts empty."; fi
	$(DEV_ENV) $(PY) manage.py create_local_admin

# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: $(INSTALLED)
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The benchmarks of bench/run.py, e.g. `make bench BENCH_DATABASE=sqlite BENCH_ENTRIES=5000`;
# BENCH_ARGS passes more options (`.venv/bin/python bench/run.py --help`).
BENCH_DATABASE ?= postgres
BENCH_ENTRIES ?= 100000
bench: $(INSTALLED)
	$(PY) bench/run.py --database $(BENCH_DATABASE) --entries $(BENCH_ENTRIES) $(BENCH_ARGS)

# The connections' benchmark (bench/connections.py): 50,000 connections over BENCH_ENTRIES.
bench-connections: $(INSTALLED)
	$(PY) bench/connections.py --database $(BENCH_DATABASE) --entries $(BENCH_ENTRIES) $(BENCH_ARGS)

# Regenerate the hashed lock files after editing pyproject.toml.
lock: $(INSTALLED)
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.12 \
		--generate-hashes --no-header --quiet -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.12 \
		--generate-hashes --no-header --quiet -o requirements/dev.txt

$(PY):
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(INSTALLED): requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/dev.txt
	@touch $@

clean:
	rm -rf $(VENV) var staticfiles
