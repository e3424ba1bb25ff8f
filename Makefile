# Two commands: `make demo` and `make test`. Each sets itself up in .venv first.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# A Python 3.11 interpreter (pyproject: requires-python >=3.11,<3.12): PYTHON when given,
# else the first of python3.11, python3 and python that is 3.11, else pyenv's newest 3.11.
is311 := -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'
find_python := for p in python3.11 python3 python; do \
	  if $$p $(is311) >/dev/null 2>&1; then command -v $$p; exit 0; fi; \
	done; \
	if command -v pyenv >/dev/null 2>&1; then \
	  v=$$(pyenv versions --bare 2>/dev/null | grep -E '^3\.11(\.[0-9]+)?$$' | sort -V | tail -1); \
	  if [ -n "$$v" ]; then echo "$$(pyenv root)/versions/$$v/bin/python3.11"; fi; \
	fi
PYTHON ?= $(shell $(find_python))
define NO_PYTHON
chipbridge needs Python 3.11 and found none (tried python3.11, python3, python and pyenv).
Get one, then run make again:
  Debian 12:  apt-get install python3 python3-venv      (Debian 12's python3 is 3.11)
  pyenv:      pyenv install 3.11
  or name it: make test PYTHON=/path/to/python3.11
endef
export NO_PYTHON

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@if ! test -x $(BIN)/python; then \
	  if [ -z "$(PYTHON)" ] || ! "$(PYTHON)" $(is311) >/dev/null 2>&1; then \
	    echo "$$NO_PYTHON" >&2; exit 1; \
	  fi; \
	  echo "$(PYTHON) -m venv $(VENV)"; "$(PYTHON)" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m chipbridge.demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
