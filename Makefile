# ipcenter: two commands set everything up on a fresh machine.
#   make run   venv + requirements + migrate + demo data + dev server on 127.0.0.1:8000 (SQLite by default)
#   make test  the full pytest suite against PostgreSQL and Redis (see README for the variables)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ipcenter
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
PYTEST_ARGS ?=
# two test processes (pytest-xdist): the suite's browser journeys and seeds overlap on two cores
PYTEST_WORKERS ?= 2

.PHONY: run test bench venv messages check worker beat clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/.installed

messages: venv
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

run: venv messages
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: venv messages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	CELERY_TASK_ALWAYS_EAGER=1 FAST_PASSWORD_HASHING=1 \
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: venv
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
	CELERY_TASK_ALWAYS_EAGER=1 FAST_PASSWORD_HASHING=1 \
	$(BIN)/pytest tests/perf -p no:cacheprovider -q -s --override-ini="addopts="

check: venv
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py check
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py makemigrations --check --dry-run

worker: venv
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A ipcenter worker -l info -Q ipcenter,ipcenter.long

beat: venv
	DEBUG=$${DEBUG:-1} $(BIN)/celery -A ipcenter beat -l info

clean:
	rm -rf $(VENV) staticfiles
