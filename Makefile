# Snout Messaging. `make dev` runs the whole platform; `make test` passes the tests.
SHELL := /bin/bash
TEMPORAL_CLI_VERSION := v1.5.1
GO ?= go
export PATH := $(CURDIR)/bin:$(PATH)

.PHONY: dev test bench lint db build temporal migrate seed clean help openapi web web-if-node

help:
	@echo "make dev     run the platform (PostgreSQL, Temporal dev server + UI, simulator, worker, API)"
	@echo "make test    unit + integration tests (real PostgreSQL and Temporal)"
	@echo "make bench   measured benchmarks"
	@echo "make lint    gofmt, go vet, workflowcheck"
	@echo "make db      start a local PostgreSQL and create the snout role/database"
	@echo "make openapi write api/openapi.json from the router (the front end's types come from it)"
	@echo "make web     build the dashboard (npm ci, vite build) into web/dist/app, which the API binary embeds"

build: bin/snout

bin/snout: $(shell find . -name '*.go' -not -path './bin/*' -not -path './web/node_modules/*') $(wildcard migrations/*.sql policies/*) $(shell find web/dist -type f 2>/dev/null) go.mod go.sum
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

dev: web-if-node bin/snout bin/temporal ensure-db
	./bin/snout dev

migrate: bin/snout ensure-db
	./bin/snout migrate

seed: bin/snout ensure-db
	./bin/snout seed

test: bin/temporal bin/snout ensure-db
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
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) $(wildcard web/index.html web/package.json web/package-lock.json web/vite.config.* web/tsconfig*.json)

web: web/dist/app/index.html

web/dist/app/index.html: $(WEB_SOURCES)
	cd web && npm ci && npm run build -- --outDir dist/app --emptyOutDir
	@touch $@

web-if-node:
	@if command -v npm >/dev/null 2>&1 && [ -f web/package.json ]; then $(MAKE) --no-print-directory web; \
	else echo "Node.js not found: the API will serve a page saying how to build the dashboard (make web)."; fi

clean:
	rm -rf bin/snout .data
