# kmsconform — see README.md. Parts own their targets in mk/*.mk; they add to
# the variables below (e.g. BENCH_TARGETS += bench-enc) instead of editing
# this file.
GO      ?= go
BIN     := bin/kmsconform
REPORT  ?= report

# Extra prerequisites contributed by mk/*.mk.
LINT_EXTRA    :=
TEST_EXTRA    :=
BENCH_TARGETS :=

.PHONY: all build setup lint test test-go conformance bench clean
all: build

build:
	$(GO) build -buildvcs=auto -o $(BIN) ./cmd/kmsconform

include $(sort $(wildcard mk/*.mk))

# lint: go vet, gofmt (failing on any output) and the parts' own linters.
lint: $(LINT_EXTRA)
	$(GO) vet ./...
	@out="$$(gofmt -l $$(find . -name '*.go' -not -path './.git/*'))"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# setup: install what the tests need and build the openssl images
# (scripts/setup.sh; exit 3 with the command to run when that needs root).
# KMSCONFORM_SKIP_SETUP=1 skips it, e.g. on a developer's ready machine.
setup:
	@if [ "$(KMSCONFORM_SKIP_SETUP)" = 1 ]; then echo "setup: skipped (KMSCONFORM_SKIP_SETUP=1)"; else bash scripts/setup.sh; fi

# test: everything — set-up, lint, every Go test and Ginkgo suite, and the
# parts' extras; its last lines count the tests and specs that passed,
# failed and were skipped, and say why any were skipped (e.g. no Docker).
TEST_SUMMARY := bin/test-summary.txt
test: setup lint build test-go $(TEST_EXTRA)
	@cat $(TEST_SUMMARY)

# test-go: `go test ./...` through internal/testsummary, which prints each
# package's result, the output of failing tests, and the closing counts
# (Ginkgo suites by spec; skip reasons from t.Skip and the suites'
# "SKIPPING ...: reason" lines) into $(TEST_SUMMARY).
test-go:
	@mkdir -p bin && rm -f $(TEST_SUMMARY) bin/.test-go.rc && $(GO) build -o bin/testsummary ./internal/testsummary
	@{ $(GO) test -json -timeout 30m ./... 2>&1; echo $$? >bin/.test-go.rc; } | bin/testsummary -summary $(TEST_SUMMARY); \
	sum=$$?; rc=$$(cat bin/.test-go.rc); [ "$$rc" = 0 ] && [ "$$sum" = 0 ]

# conformance: the main job on the embedded defaults (host openssl, the
# oracle, the in-process KMS fake); JUnit and a summary in $(REPORT)/.
conformance: build
	$(CONFORMANCE_CMD)

# bench: performance report with ratios measured against references in the same run.
bench: build $(BENCH_TARGETS)

clean:
	rm -rf bin $(REPORT)
