# datavalley: `make run` publishes the sample pipeline, `make test` runs every test.
# Cargo's build folder lives outside the clone so that repeated runs stay quick.
CARGO_TARGET_DIR ?= $(HOME)/.cache/datavalley/target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/release/datavalley
# Whether the real public files are beside the clone: without them the tests that read them
# are listed as skipped (build.rs). Set for every build, so that `make run` and `make test`
# build the crate alike.
DATAVALLEY_SHARED_DATA := $(if $(wildcard ../shared/data/.),present,absent)
export DATAVALLEY_SHARED_DATA
PIPELINE ?= pipelines/val-d-enza.toml
# The external validators of the conformance tests (pySHACL, rdflib, frictionless, pyarrow),
# installed from PyPI into a virtual environment outside the clone.
VENV ?= $(HOME)/.cache/datavalley/venv
REQUIREMENTS := tests/conformance/requirements.txt
# The browser checks of the site: playwright-core and axe from npm, driving Debian's Chromium
# (never a browser downloaded by a tool), Lighthouse on the same Chromium, the W3C Nu HTML
# Checker (vnu-jar) on Debian's Java, and PurgeCSS for `make css`. npm runs no install script:
# vnu-jar's would download a Java runtime.
BROWSER_DIR := tests/browser
CHROMIUM := /usr/bin/chromium

.PHONY: all build run test bench check prerequisites chromium java css

all: build

prerequisites:
	@command -v cargo >/dev/null 2>&1 || { echo "cargo not found: install the Rust toolchain from https://rustup.rs"; exit 2; }

build: prerequisites
	cargo build --release --locked

run: build
	$(BIN) run $(PIPELINE)
	@echo "Open output/val-d-enza/current/index.html in a browser; the data are in output/val-d-enza/current/data/"

$(VENV)/installed: $(REQUIREMENTS)
	@command -v python3 >/dev/null 2>&1 || { echo "python3 not found: the conformance tests need Python 3 with venv"; exit 2; }
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r $(REQUIREMENTS)
	cp $(REQUIREMENTS) $@

$(BROWSER_DIR)/node_modules/installed: $(BROWSER_DIR)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: the browser tests need Node.js and npm"; exit 2; }
	cd $(BROWSER_DIR) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --silent
	cp $(BROWSER_DIR)/package-lock.json $@

chromium:
	@test -x $(CHROMIUM) || { \
		echo "installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

java:
	@command -v java >/dev/null 2>&1 || { \
		echo "installing Debian's Java (default-jre-headless) for the W3C HTML checker"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; fi; }

# Rewrites assets/bootstrap-italia/bootstrap-italia.purged.min.css, the only Bootstrap Italia
# rules a release ships, from the templates and src/site: run it after adding a class, and
# commit the result (a test fails while it is stale).
css: $(BROWSER_DIR)/node_modules/installed
	node tools/purge-css.mjs

# Tests use the release profile: polars is compiled once for both `make run` and `make test`.
test: prerequisites $(VENV)/installed $(BROWSER_DIR)/node_modules/installed chromium java
	DATAVALLEY_PYTHON=$(VENV)/bin/python cargo test --release --locked

# The benchmark (bench/run.py; results in BENCHMARKS.md): pandas, DuckDB and polars from PyPI in
# their own virtual environment, generated inputs and outputs outside the clone. It takes minutes.
# Then a year of nightly national releases and their history (bench/history.py, about 50 minutes
# on 2 cores; HISTORY_ARGS="--nights 30" for a shorter one).
BENCH_VENV ?= $(HOME)/.cache/datavalley/bench-venv
BENCH_ARGS ?=
HISTORY_ARGS ?=

$(BENCH_VENV)/installed: bench/requirements.txt
	@command -v python3 >/dev/null 2>&1 || { echo "python3 not found: the benchmark needs Python 3 with venv"; exit 2; }
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	cp bench/requirements.txt $@

bench: build $(BENCH_VENV)/installed
	$(BENCH_VENV)/bin/python bench/run.py --bin $(BIN) $(BENCH_ARGS)
	$(BENCH_VENV)/bin/python bench/history.py --bin $(BIN) $(HISTORY_ARGS)

check: prerequisites
	cargo fmt --check
	cargo clippy --release --locked --all-targets -- -D warnings
