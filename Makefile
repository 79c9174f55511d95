# Paper Catalogue. Two commands on a fresh machine: `make serve` and `make test`.
# Every target creates or updates its own virtual environment in .venv first.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

# Material 9.8 prints an end-of-life banner on every run; the README explains the plan.
export NO_MKDOCS_2_WARNING := 1
# Same inputs, same bytes: MkDocs stamps sitemap.xml with this date instead of "now".
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve build test test-fast lint workflows check pytest test-tools benchmark clean lock \
	zensical-check

# Exact versions, every file checked by hash (requirements/, written by `make lock`): what
# CI tested is what Pages builds with, whatever PyPI released since. The dev tools by
# default; the Pages build sets REQUIREMENTS=requirements/runtime.txt, so no test or lint
# tool is installed in the job whose output is published.
REQUIREMENTS ?= requirements/dev.txt

$(STAMP): pyproject.toml $(REQUIREMENTS)
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python >= 3.11 is needed (Material 9.8 requires it)")'
	$(PYTHON) -m venv $(VENV)
	@# uv installs the locked set in about a third of pip's time (a fresh clone's `make test`
	@# waited on it), checking every hash alike; uv itself comes from the same lock, its pin
	@# and hashes, by pip. A lock without it (runtime.txt, the Pages build's) is pip's.
	@if grep -q '^uv==' $(REQUIREMENTS); then \
		awk '/^uv==/ {p = 1; print; next} p && /^ +--hash/ {print; next} {p = 0}' \
			$(REQUIREMENTS) > $(VENV)/uv-lock.txt && \
		echo "$(BIN)/python -m pip install --quiet --require-hashes -r $(VENV)/uv-lock.txt" && \
		$(BIN)/python -m pip install --quiet --require-hashes -r $(VENV)/uv-lock.txt && \
		echo "$(BIN)/uv pip install --require-hashes --compile-bytecode -r $(REQUIREMENTS)" && \
		$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes \
			--compile-bytecode -r $(REQUIREMENTS); \
	else \
		echo "$(BIN)/python -m pip install --quiet --require-hashes -r $(REQUIREMENTS)" && \
		$(BIN)/python -m pip install --quiet --require-hashes -r $(REQUIREMENTS); \
	fi
	@# The project itself, from the tree: its dependencies and build backend are locked above.
	@# An egg-info left in the tree by an older install would be found first from the
	@# project folder and name plugins that no longer exist: it goes.
	rm -rf *.egg-info
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

## serve: build the catalogue and serve it at http://127.0.0.1:8000 with live reload
# --livereload: with Click >= 8.2.2, MkDocs 1.6.1 silently turns live reload off without it.
# --dirty: keep the preview's folder between rebuilds (emptying it made every rebuild
# write 800 files anew, 0.6 s); the plugin rebuilds every page and removes stale ones.
serve: $(STAMP)
	$(BIN)/mkdocs serve --livereload --dirty --dev-addr $(HOST):$(PORT)

## build: build the site into site/ (strict: any warning fails)
build: $(STAMP)
	$(BIN)/mkdocs build --strict --clean --site-dir site

## test: everything CI checks — lint, workflows, data check, tests (incl. browser), strict build
test: lint workflows check pytest build

## test-fast: the inner loop — lint and the unit tests (no site build, no browser)
test-fast: lint test-tools
	$(BIN)/python -m pytest -n 2 -q tests/unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The GitHub workflows and Dependabot's settings, validated offline: schema, then
# zizmor's security audits.
workflows: $(STAMP)
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml
	$(BIN)/zizmor --offline --persona=auditor .github/

check: $(STAMP)
	$(BIN)/python -m generator check

test-tools:
	@.ci/ensure-test-tools

pytest: $(STAMP) test-tools
	$(BIN)/python -m pytest -n 2

## zensical-check: export the docs folder, build it with Zensical (Material's successor),
# and check every internal link of the result, at the root and under a subpath.
# Zensical is pinned and installed here only, not a dependency of the project: its newer
# releases need packages not yet published, and MkDocs builds the site until 2027.
# Zensical reports no broken raw-HTML link, so generator.review.links counts them.
ZENSICAL := zensical==0.0.73
ZENSICAL_DIR := export/zensical
SUBPATH_URL := http://127.0.0.1/sub/
zensical-check: $(STAMP)
	$(BIN)/python -m pip install --quiet '$(ZENSICAL)'
	$(BIN)/python -m generator export $(ZENSICAL_DIR)/root
	$(BIN)/zensical build --strict --clean -f $(ZENSICAL_DIR)/root/mkdocs.yml
	$(BIN)/python -m generator.review.links $(ZENSICAL_DIR)/root/site
	$(BIN)/python -m generator export --site-url $(SUBPATH_URL) $(ZENSICAL_DIR)/sub
	$(BIN)/zensical build --strict --clean -f $(ZENSICAL_DIR)/sub/mkdocs.yml
	$(BIN)/python -m generator.review.links --site-url $(SUBPATH_URL) $(ZENSICAL_DIR)/sub/site

## benchmark: run the benchmarks (minutes; results go to benchmarks/README.md by hand)
benchmark: $(STAMP)
	$(BIN)/python benchmarks/build_vs_floor.py

## lock: rewrite requirements/*.txt from pyproject.toml (LOCK_UPGRADE=--upgrade: newest allowed)
# For CPython 3.11 on Linux x86_64 (CI's and Pages' runners); existing pins are kept unless
# a range excludes them or LOCK_UPGRADE is set. dev.txt is held to runtime.txt's versions.
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --index-url https://pypi.org/simple $(LOCK_UPGRADE)
lock: $(STAMP)
	$(BIN)/uv pip compile $(LOCK_FLAGS) pyproject.toml requirements/build.in \
		-o requirements/runtime.txt
	$(BIN)/uv pip compile $(LOCK_FLAGS) --extra dev -c requirements/runtime.txt \
		pyproject.toml requirements/build.in -o requirements/dev.txt

clean:
	rm -rf site .pytest_cache .ruff_cache $(ZENSICAL_DIR)
