# Snout Messaging. `make dev` runs the whole platform; `make test` passes the tests.
SHELL := /bin/bash
TEMPORAL_CLI_VERSION := v1.5.1
GO ?= go
export PATH := $(CURDIR)/bin:$(PATH)

.PHONY: dev test go-test web web-if-node web-test e2e bench lint db build temporal migrate seed clean help openapi

help:
	@echo "make dev     run the platform (PostgreSQL, Temporal dev server + UI, simulator, worker, API)"
	@echo "make test    Go tests, web checks and unit tests, and the browser end-to-end suite"
	@echo "make web     build the dashboard (web/dist; npm ci when package-lock.json changed)"
	@echo "make web-test  typecheck, lint, Vitest and the generated-API check of the dashboard"
	@echo "make e2e     the dashboard in Chromium against a real stack (scripts/e2e.sh)"
	@echo "make bench   measured benchmarks"
	@echo "make lint    gofmt, go vet, workflowcheck"
	@echo "make db      start a local PostgreSQL and create the snout role/database"
	@echo "make openapi write api/openapi.json from the router (the front end's types come from it)"
	@echo "make web     build the dashboard (npm ci, vite build) into web/dist/app, which the API binary embeds"

build: bin/snout

bin/snout: $(shell find . -name '*.go' -not -path './bin/*' -not -path './web/node_modules/*') $(wildcard web/dist/app/index.html) $(wildcard migrations/*.sql policies/*) go.mod go.sum
	$(GO) build -o bin/snout ./cmd/snout

temporal: bin/temporal

# The official Temporal CLI, pinned, built from the Go module proxy once.
bin/temporal:
	@echo "Building the Temporal CLI $(TEMPORAL_CLI_VERSION) into ./bin (first build takes several minutes)…"
	GOBIN=$(CURDIR)/bin $(GO) install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

db:
	@bash scripts/db.sh

# Make PostgreSQL reachable if it is not (only for the default local URL).
ensure-db: bin/snout
	@./bin/snout db-check || { \
	  if [ -z "$$DATABASE_URL" ]; then bash scripts/db.sh; else exit 1; fi; }

# The dashboard. node_modules is reinstalled when package-lock.json changes;
# web/dist is rebuilt when a source changes.
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json web/tsconfig.app.json

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/app/index.html: web/node_modules/.package-lock.json $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/app/index.html

web-test: web/node_modules/.package-lock.json
	cd web && npm run typecheck && npm run lint && npm test && npm run check:api

e2e: bin/temporal ensure-db web/node_modules/.package-lock.json
	bash scripts/e2e.sh

dev: web-if-node bin/snout bin/temporal ensure-db
	./bin/snout dev

migrate: bin/snout ensure-db
	./bin/snout migrate

seed: bin/snout ensure-db
	./bin/snout seed

test: go-test web-test e2e

go-test: bin/temporal bin/snout ensure-db
	bash scripts/test.sh

bench: bin/snout bin/temporal ensure-db
	./bin/snout bench

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) run go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0 ./workflows/...

# The OpenAPI document of /api/v1, generated from the Go routes and views;
# TestOpenAPIFileIsCurrent fails when the committed file is stale.
openapi:
	$(GO) test ./api -run '^TestOpenAPIFileIsCurrent$$' -count=1 -update-openapi

# The dashboard: rebuilt when its sources change, into web/dist/app (the
# API embeds web/dist; web/dist/README keeps the folder for builds without
# Node, and then / says how to build the UI).
web-if-node:
	@if command -v npm >/dev/null 2>&1 && [ -f web/package.json ]; then $(MAKE) --no-print-directory web; \
	else echo "Node.js not found: the API will serve a page saying how to build the dashboard (make web)."; fi

clean:
	rm -rf bin/snout .data
