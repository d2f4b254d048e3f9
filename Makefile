# Flicket — the one entry point for people and CI.
#   make run     build everything and serve on the embedded SQLite (http://localhost:5000)
#   make test    every test: generated files, front end, end to end, then Go on all databases
#   make lint    go vet, golangci-lint, actionlint, the front end's linters
#   make build   bin/flicket, with the SPA embedded
#   make api-docs  regenerate api-docs/ and the SPA's API types from the swag annotations
#   make bench   load benchmark (see README)
#   make fuzz    run every Go fuzz target for FUZZTIME (default 1m) each

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

GOBIN := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X github.com/flicket/flicket/backend/internal/version.Version=$(VERSION)

GOLANGCI_VERSION := v2.15.0
ACTIONLINT_VERSION := v1.7.12

# Test databases: `make test` uses these when set (.ci/run sets both).
FLICKET_TEST_MYSQL_URL ?=
FLICKET_TEST_POSTGRES_URL ?=
export FLICKET_TEST_MYSQL_URL FLICKET_TEST_POSTGRES_URL

SWAG := cd backend && go tool swag init -q -g doc.go -d internal/api,internal/model --parseInternal --requiredByDefault --overridesFile .swaggo

.PHONY: build backend frontend run test go-test frontend-test e2e screenshots lint check-workflows api-docs check-api-docs bench bench-web fuzz fuzz-short clean

## build: the flicket binary with the SPA embedded, in bin/flicket
build: frontend
	$(MAKE) backend

backend:
	cd backend && CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o ../bin/flicket ./cmd/flicket

# The SPA is built into backend/internal/spa/dist, which the binary embeds;
# npm ci runs again whenever package-lock.json is newer than node_modules.
NPM_CI = { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund; }

frontend:
	cd frontend && $(NPM_CI) && npm run build

## run: build, then serve on the embedded SQLite in ./data (first run creates "admin")
run: build
	./bin/flicket serve

## test: everything. Every suite runs even when an earlier one fails; the Go
## run comes last so its summary closes the output, and the exit status is
## non-zero if any suite failed.
test:
	@failed=""; \
	for t in check-workflows check-api-docs frontend-test e2e fuzz-short; do \
		$(MAKE) --no-print-directory $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "make test: FAILED before the Go tests:$$failed"; fi; \
	$(MAKE) --no-print-directory go-test || failed="$$failed go-test"; \
	[ -z "$$failed" ]

go-test:
	cd backend && go vet ./... && go tool gotestsum --format testname -- -race -count=1 -timeout 50m ./...

frontend-test:
	cd frontend && $(NPM_CI) && npm test

# e2e: the Playwright journeys in frontend/e2e, in Debian's chromium, against
# the real binary on a fresh SQLite database.
e2e: build
	cd frontend/e2e && $(NPM_CI) && npm test

## screenshots: run the journeys and update the README's pictures
screenshots: build
	cd frontend/e2e && $(NPM_CI) && FLICKET_E2E_SCREENSHOTS=frontend/e2e/screenshots npm test

## check-workflows: lint the GitHub workflow
check-workflows:
	@command -v actionlint >/dev/null || go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	actionlint

## lint: static checks
lint:
	cd backend && go vet ./...
	@command -v golangci-lint >/dev/null && golangci-lint version 2>/dev/null | grep -q 'version 2.15.0' || go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)
	cd backend && golangci-lint run ./...
	@command -v actionlint >/dev/null || go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	actionlint
	@if [ -f frontend/package.json ]; then cd frontend && npm run lint; fi

## api-docs: regenerate the OpenAPI documents and the SPA's API types
api-docs:
	$(SWAG) -o internal/apidocs --outputTypes go
	$(SWAG) -o ../api-docs --outputTypes json,yaml
	cd backend && go run ./internal/errcodes/gen
	cd frontend/tools/openapi && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run --silent gen

## check-api-docs: fail when the committed generated files are stale
check-api-docs: api-docs
	@git diff --exit-code -- api-docs backend/internal/apidocs frontend/src/api/schema.d.ts \
		|| { echo "api-docs are stale: run 'make api-docs' and commit the result"; exit 1; }

## fuzz: every Go fuzz target (request bodies, list queries, CSV export,
## markdown, users import, JSON text) for FUZZTIME each: a duration or a count
## of runs (FUZZTIME=20000x). Failing inputs land in testdata/fuzz.
FUZZTIME ?= 1m
fuzz:
	backend/fuzz.sh $(FUZZTIME)

# fuzz-short: a few hundred new inputs per target, part of `make test` (the
# committed seeds and failures also run with every go test). A count, not a
# duration: no clock to race on a busy machine.
fuzz-short:
	backend/fuzz.sh 500x

## bench: load benchmark on SQLite, MariaDB and PostgreSQL (see README: BENCH_* variables)
bench: backend
	backend/bench/run.sh

## bench-web: rendering 50 rows of the triage table, in Debian's chromium (main-thread CPU ms), then in jsdom (vitest bench)
bench-web:
	cd frontend && $(NPM_CI) && npx vite build --config vite.bench.config.ts
	cd frontend/e2e && $(NPM_CI) && node bench/list-render.mjs ../node_modules/.bench-web
	cd frontend && uptime && npm run --silent bench

clean:
	rm -rf bin
