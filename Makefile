# datavalley: `make run` publishes the sample pipeline, `make test` runs every test.
# Cargo's build folder lives outside the clone so that repeated runs stay quick.
CARGO_TARGET_DIR ?= $(HOME)/.cache/datavalley/target
export CARGO_TARGET_DIR
BIN := $(CARGO_TARGET_DIR)/release/datavalley
PIPELINE ?= pipelines/val-d-enza.toml
# The external validators of the conformance tests (pySHACL, rdflib, frictionless, pyarrow),
# installed from PyPI into a virtual environment outside the clone.
VENV ?= $(HOME)/.cache/datavalley/venv
REQUIREMENTS := tests/conformance/requirements.txt

.PHONY: all build run test bench check prerequisites

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

# Tests use the release profile: polars is compiled once for both `make run` and `make test`.
test: prerequisites $(VENV)/installed
	DATAVALLEY_PYTHON=$(VENV)/bin/python cargo test --release --locked

bench:
	@echo "make bench: not yet; the national benchmark is its own issue"

check: prerequisites
	cargo fmt --check
	cargo clippy --release --locked --all-targets -- -D warnings
