# The two commands of the README: `make run` (set up, ingest the seed corpus, open the chat) and
# `make test` (set up, run the whole suite). Everything they need is installed from here.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run ask check test test-fast llm-setup system-deps clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: setup
	$(BIN)/newsqa ingest
	$(BIN)/newsqa chat

ask: setup
	$(BIN)/newsqa ingest
	$(BIN)/newsqa ask "What are Putin's conditions for a ceasefire?"

# The local llama.cpp server the openai engine is tested against (built once, cached in ~/.cache).
llm-setup: setup
	bash scripts/build-llama-wheel.sh $(BIN)/pip

# tmux drives the real `newsqa chat` in a terminal test; installed when missing and we may.
system-deps:
	@command -v tmux >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq tmux >/dev/null) || echo "tmux missing: its test will be skipped"; }

# The lint and type gate (ruff check, ruff format --check, mypy): `make test` runs it first.
check: setup
	PYTHON=$(BIN)/python scripts/check

test: setup llm-setup system-deps check
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not llm"

clean:
	rm -rf $(VENV) .pytest_cache
