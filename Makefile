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

.PHONY: run test test-fast check install install-test system-deps index bench clean lock

# Debian programs the ingest step calls: Tesseract with its Vietnamese model (scanned PDFs)
# and antiword (Word 97 .doc); and LibreOffice Impress without its GUI with the DejaVu fonts, which
# the tests use to render a draft's slides to PDF (about 80 MB to fetch, 244 MB on disk, well under
# a minute: docs/install.md). Installed only when missing; needs root (or sudo) on Debian.
SYSTEM_DEPS := tesseract-ocr tesseract-ocr-vie antiword libreoffice-impress-nogui libreoffice-writer-nogui fonts-dejavu-core

# Every version `make run` and `make test` install is pinned in requirements.lock (pip-compile of
# pyproject.toml with the extras below); `make lock` regenerates it, `make check` fails when they disagree.
LOCK := requirements.lock
LOCK_EXTRAS := st llm llm-test test
PIP_VERSION := 25.3
PIP_TOOLS_VERSION := 7.5.3
TOOLS := .venv-tools

# llama.cpp (llama-cpp-python, the llm-test extra) compiles from source. pip would build it for the
# build machine's own instruction set (-march=native), and a native build crashes on CPUs of this kind
# (AVX-512/AMX paths: a general protection fault in libggml-cpu.so). Build for a portable x86-64-v3
# baseline instead (AVX2, FMA, F16C; no AVX-512, no AMX), once, into a wheel cache keyed by the
# version and the flags, so a second install of the same lock does not rebuild.
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
  -DGGML_AVX512=OFF -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_VNNI=OFF -DGGML_AVX512_BF16=OFF \
  -DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
else
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF
endif
LLAMA_VERSION := $(shell sed -n 's/^llama-cpp-python==//p' $(LOCK))
WHEEL_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/tro-ly-ntm/wheels
LLAMA_WHEELS := $(WHEEL_CACHE)/llama-cpp-python-$(LLAMA_VERSION)-$(shell echo '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)

$(BIN)/ntm: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q pip==$(PIP_VERSION)
	$(PIP) install -q -c $(LOCK) -e .
	touch $@

# No prerequisite: the folder's name carries the version (from the lock) and the flags, so a fresh
# clone (whose files are all new) reuses a wheel built before instead of building it again.
$(LLAMA_WHEELS)/.built:
	@echo "Building llama-cpp-python $(LLAMA_VERSION) for a portable instruction set (a few minutes, once)..."
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) wheel -q --no-deps --no-cache-dir --no-binary llama-cpp-python \
	  -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	touch $@

$(VENV)/.test-installed: $(BIN)/ntm $(LLAMA_WHEELS)/.built
	$(PIP) install -q --find-links $(LLAMA_WHEELS) --only-binary llama-cpp-python -r $(LOCK)
	$(PIP) install -q --no-deps -e .
	touch $@

# Regenerate the lock from pyproject.toml; pins already in it are kept unless they no longer fit.
lock:
	test -x $(TOOLS)/bin/pip-compile || { $(PYTHON) -m venv $(TOOLS) \
	  && $(TOOLS)/bin/python -m pip install -q pip==$(PIP_VERSION) pip-tools==$(PIP_TOOLS_VERSION); }
	$(TOOLS)/bin/pip-compile -q pyproject.toml $(addprefix --extra ,$(LOCK_EXTRAS)) --strip-extras \
	  --no-emit-find-links --no-emit-index-url -o $(LOCK)

system-deps:
	@if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx vie \
	    || ! command -v antiword >/dev/null 2>&1 || ! dpkg -s $(SYSTEM_DEPS) >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); export DEBIAN_FRONTEND=noninteractive; \
	  $$SUDO apt-get install -y -q --no-install-recommends $(SYSTEM_DEPS) >/dev/null 2>&1 \
	    || { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q --no-install-recommends $(SYSTEM_DEPS) >/dev/null; } \
	    || echo "Không cài được $(SYSTEM_DEPS) (cần apt-get): PDF quét và tệp .doc sẽ không đọc được, bài trình chiếu không được kiểm tra bằng LibreOffice." >&2; \
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
	$(BIN)/python .ci/check_lock.py $(LOCK) $(LOCK_EXTRAS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy $(addprefix -p ,$(TYPED))

bench: install
	$(PIP) install -q -c $(LOCK) -e '.[bench]'
	$(BIN)/ntm eval
	$(BIN)/ntm eval bench
	$(BIN)/ntm eval criteria-bench
	$(BIN)/ntm eval load

clean:
	rm -rf $(VENV) index/chroma index/bm25 index/docs index/manifest.json index/CURRENT index/generations index/store index/sentences
