# Snout Messaging. `make dev` runs the whole platform; `make test` passes the tests.
SHELL := /bin/bash
TEMPORAL_CLI_VERSION := v1.5.1
GO ?= go
export PATH := $(CURDIR)/bin:$(PATH)

.PHONY: dev test bench lint db build temporal migrate seed clean help openapi

help:
	@echo "make dev     run the platform (PostgreSQL, Temporal dev server + UI, simulator, worker, API)"
	@echo "make test    unit + integration tests (real PostgreSQL and Temporal)"
	@echo "make bench   measured benchmarks"
	@echo "make lint    gofmt, go vet, workflowcheck"
	@echo "make db      start a local PostgreSQL and create the snout role/database"
	@echo "make openapi write api/openapi.json from the router (the front end's types come from it)"

build: bin/snout

bin/snout: $(shell find . -name '*.go' -not -path './bin/*') $(wildcard migrations/*.sql policies/*) go.mod go.sum
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

dev: bin/snout bin/temporal ensure-db
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

clean:
	rm -rf bin/snout .data
