# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run test install install-test setup lint mutate audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes. Running needs only the portal's own dependencies;
# the test tools (pytest, Playwright, ruff…) come with `make test`. One marker file per kind of
# install, so that having installed one never counts as having installed the other.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# The local portal runs with DJANGO_DEBUG=1 unless you say otherwise; production sets 0.
run: export DJANGO_DEBUG ?= 1
# The demo accounts have a published password: loading them is an explicit opt-in, given here
# and by `make setup`, never by DJANGO_DEBUG.
run: export DJANGO_DEMO_DATA ?= 1
# Links inside PDFs made while it runs point at this server.
run: export DJANGO_SITE_URL ?= http://127.0.0.1:$(PORT)/
run: setup
	@echo
	@echo "mdportal is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Medical Director role explainer: http://127.0.0.1:$(PORT)/roles/medical-director/"
	@echo "  Northshire induction pack (public): http://127.0.0.1:$(PORT)/trusts/northshire/induction/"
	@echo "  Southmoor induction pack (members): http://127.0.0.1:$(PORT)/trusts/southmoor/induction/"
	@echo "  Sign in: http://127.0.0.1:$(PORT)/accounts/login/"
	@echo "  Demo accounts (password: \$$DEMO_PASSWORD, default 'induction-demo-2026'):"
	@echo "    northshire-hr (editor, approver), northshire-md, northshire-ned (readers), southmoor-hr, southmoor-cs (editors, approvers)"
	@echo "  Editors and approvers set up two-step sign-in at their first sign-in, with any authenticator app."
	@echo "  Passkeys need a host name: use http://localhost:$(PORT)/ for them."
	@echo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Idempotent: migrate, load the reference data, then the demo trusts (loaddata updates in place).
setup: export DJANGO_DEMO_DATA ?= 1
setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddata roles
	$(MANAGE) load_demo

# The suite runs in parallel, one worker per CPU, each test file kept on one worker (so the
# browser and live server a file starts are started once). WORKERS=0 runs it in one process.
WORKERS ?= auto
test: install-test
	$(BIN)/pytest -n $(WORKERS) --dist loadfile

lint: install-test
	$(BIN)/ruff check .

# Mutation testing of the rule modules (slow: not part of `make test` or CI). Prints each
# group's score and survivors and writes mutation/RESULTS.md; see mutation/run.py.
mutate: install-test
	$(BIN)/python mutation/run.py

# Asks vulnerability databases about every package in .venv, every pin in pyproject.toml and
# the vendored front end; see security/audit.py. Exit 1: a known vulnerability; exit 3: a source
# did not answer, so not everything was checked (never a pass). See README, "Dependency audit".
audit: install-test
	$(BIN)/python security/audit.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
