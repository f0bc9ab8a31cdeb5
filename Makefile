# Everything a newcomer needs: `make run` and `make test`. Only python3 and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: help venv run serve test lint format openapi schema docs bench bench-search bench-totals bench-sync bench-import bench-ingest eval-checks clean

help:
	@echo "make run     serve the API with the fixtures on http://$(HOST):$(PORT) (PORT overrides), with its worker"
	@echo "make test    run the test suite (set CMS_TEST_DATABASE_URL to add PostgreSQL)"
	@echo "make lint    ruff check and format check"
	@echo "make openapi regenerate openapi.yaml; make schema fixtures/article.schema.json; make docs docs/checks.md"
	@echo "make bench   public reads: throughput, then every read at 200 and 50,000 articles (BENCH_SIZES=)"
	@echo "make bench-totals  list totals: counted per request vs once per generation (50,000 articles)"
	@echo "make bench-sync    sync feed: initial sync of 50,000 articles, per page, and deltas"
	@echo "make bench-import  cms import of 10,000 generated articles (COUNT= to change)"
	@echo "make eval-checks   checks' precision/recall on the corpus, time per article and per 1,000 files"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

venv: $(STAMP)

run: venv
	$(BIN)/cms db upgrade
	$(BIN)/cms import --publish --allow-overdue-review fixtures/articles
	@# The worker (webhooks, CDN purges, schedules) beside the web server, stopped with it.
	$(BIN)/cms worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MAKE) --no-print-directory serve

serve: venv
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) 'cms.app:create_app()'

# One pytest process per core (pytest-xdist), a test file's tests together; TEST_WORKERS=0: one.
TEST_WORKERS ?= auto
test: venv
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

openapi: venv
	$(BIN)/cms openapi write --format=yaml openapi.yaml

schema: venv
	$(BIN)/cms schema write

docs: venv
	$(BIN)/cms catalogue

BENCH_SIZES ?= 200 50000
bench: venv
	$(BIN)/python benchmarks/public_reads.py
	$(BIN)/python -m benchmarks.front_reads $(BENCH_SIZES)

bench-search: venv
	$(BIN)/python -m benchmarks.search_reads 200 50000

bench-totals: venv
	$(BIN)/python -m benchmarks.list_totals 50000

bench-sync: venv
	$(BIN)/python -m benchmarks.sync 50000

COUNT ?= 10000
bench-import: venv
	$(BIN)/python benchmarks/import_throughput.py $(COUNT)

bench-ingest: venv
	$(BIN)/python benchmarks/ingest_linearity.py

eval-checks: venv
	$(BIN)/python benchmarks/eval_checks.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
