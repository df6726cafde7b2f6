# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install index run chat test eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: its CPU wheel is on disk; an unpinned torch would pull a CUDA build
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/rag index

run: index
	$(BIN)/rag chat

chat: run

test: index
	$(BIN)/python -m pytest

# EVAL_ARGS: e.g. --questions my.jsonl --config hybrid tutorial --min-metric recall@1=0.85
eval: index
	$(BIN)/rag eval $(EVAL_ARGS)

clean:
	rm -rf $(VENV) index/CURRENT index/g-* index/.building-*
