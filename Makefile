# The two commands of the README. Both are idempotent.
SHELL := /bin/bash
PY := .venv/bin/python
export PYTHONPATH := $(CURDIR)

.PHONY: run test bootstrap infra browser bench lint-compose

bootstrap:
	@scripts/bootstrap.sh

infra: bootstrap
	@scripts/infra.sh

run: infra
	@$(PY) scripts/run.py

# Debian's Chromium for the browser tests (apt when missing).
browser:
	@scripts/browser.sh

test: infra browser
	@scripts/test.sh $(ARGS)

# wrk (Debian's) is the load generator of the gateway benchmark.
bench: infra
	@scripts/wrk.sh
	@$(PY) -m bench.run

lint-compose:
	@$(PY) scripts/lint_compose.py
