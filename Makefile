# Cartoparty — the two commands of the README, and a few helpers.
.PHONY: run test install serve demo lint bench clean

HOST ?= 127.0.0.1:8000
VENV := .venv/bin

## Install what is missing, migrate, load the demo carto-party, serve on http://$(HOST)
## (HOST=0.0.0.0:8000 serves the local network and prints the join QR codes).
run: install
	$(VENV)/cartoparty migrate --noinput -v0
	$(VENV)/cartoparty demo
	$(VENV)/cartoparty serve $(HOST)

## Run the whole test suite (SpatiaLite; PostGIS when DATABASE_URL=postgis://…)
test: install
	$(VENV)/lint-imports
	$(VENV)/python -m pytest

install:
	./scripts/bootstrap.sh

## The habits, enforced (CI runs it before the tests): ruff, mypy --strict on the domain
## packages, the import contracts, ESLint on the browser code.
lint: install
	$(VENV)/ruff check .
	$(VENV)/mypy mapping layers exports
	$(VENV)/lint-imports
	npx --no-install eslint .

demo: install
	$(VENV)/cartoparty migrate --noinput -v0
	$(VENV)/cartoparty demo

clean:
	rm -rf data/ .pytest_cache
